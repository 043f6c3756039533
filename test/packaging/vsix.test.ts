/**
 * Checks every VSIX that `npm run package` built (.package/codex-fleet-<target>-<version>.vsix):
 * its file list is exactly the extension's runtime files plus that platform's node-pty natives and
 * codex, the binaries are for that platform's CPU and keep their exec bit, nothing from development
 * (source maps, TypeScript, tests, debug symbols) gets in. Prints each VSIX's size.
 *
 *   npm run test:package   (builds every target first)
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaryPlatform, Vsix } from './vsixReader';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; main: string };
const LINUX_X64_MAX_MB = 140;

interface Expected {
  triple: string;
  exe: string;
  pty: string[];
  codexResources: string[];
}
const WIN_PTY = ['conpty.node', 'conpty/OpenConsole.exe', 'conpty/conpty.dll', 'conpty_console_list.node', 'pty.node', 'winpty-agent.exe', 'winpty.dll'];
const TARGETS: Record<string, Expected> = {
  'linux-x64': { triple: 'x86_64-unknown-linux-musl', exe: '', pty: ['pty.node'], codexResources: ['bwrap'] },
  'linux-arm64': { triple: 'aarch64-unknown-linux-musl', exe: '', pty: ['pty.node'], codexResources: ['bwrap'] },
  'darwin-x64': { triple: 'x86_64-apple-darwin', exe: '', pty: ['pty.node', 'spawn-helper'], codexResources: [] },
  'darwin-arm64': { triple: 'aarch64-apple-darwin', exe: '', pty: ['pty.node', 'spawn-helper'], codexResources: [] },
  'win32-x64': { triple: 'x86_64-pc-windows-msvc', exe: '.exe', pty: WIN_PTY, codexResources: ['codex-command-runner.exe', 'codex-windows-sandbox-setup.exe'] },
  'win32-arm64': { triple: 'aarch64-pc-windows-msvc', exe: '.exe', pty: WIN_PTY, codexResources: ['codex-command-runner.exe', 'codex-windows-sandbox-setup.exe'] },
};

/** The extension's own files: production bundles, the CLI shim, media, the docs vsce renames. */
function ownFiles(): string[] {
  const media = fs.readdirSync(path.join(ROOT, 'media')).map((f) => `media/${f}`);
  const docs = ['package.json', 'readme.md', 'LICENSE.txt', ...(fs.existsSync(path.join(ROOT, 'CHANGELOG.md')) ? ['changelog.md'] : [])];
  const dist = ['dist/client/extension.js', 'dist/server/sidecar.js', 'dist/cli/codexFleet.js', 'dist/webview/transcript.js', 'dist/webview/codicons/codicon.css', 'dist/webview/codicons/codicon.ttf'];
  return [...docs, 'bin/codex-fleet.js', ...dist, ...media];
}

/** node-pty's JavaScript: its lib/ without the tests (taken from the installed node-pty). */
function ptyLib(): string[] {
  const lib = path.join(ROOT, 'node_modules', 'node-pty', 'lib');
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return walk(lib)
    .map((f) => path.relative(lib, f).split(path.sep).join('/'))
    .filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))
    .map((f) => `node_modules/node-pty/lib/${f}`);
}

function expectedFiles(target: string): string[] {
  const t = TARGETS[target];
  const vendor = `node_modules/@openai/codex-${target}/vendor/${t.triple}`;
  return [
    ...ownFiles(),
    'node_modules/node-pty/package.json',
    'node_modules/node-pty/LICENSE',
    ...ptyLib(),
    ...t.pty.map((f) => `node_modules/node-pty/prebuilds/${target}/${f}`),
    'node_modules/@openai/codex/package.json',
    `node_modules/@openai/codex-${target}/package.json`,
    `${vendor}/codex-package.json`,
    `${vendor}/bin/codex${t.exe}`,
    `${vendor}/codex-path/rg${t.exe}`,
    ...t.codexResources.map((f) => `${vendor}/codex-resources/${f}`),
  ].sort();
}

describe('VSIX per platform (npm run package)', function () {
  for (const target of Object.keys(TARGETS)) {
    describe(target, function () {
      const file = path.join(ROOT, '.package', `${PKG.name}-${target}-${PKG.version}.vsix`);
      let vsix: Vsix;
      const t = TARGETS[target];
      const vendor = `extension/node_modules/@openai/codex-${target}/vendor/${t.triple}`;

      before(async function () {
        if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run package\` first`);
        vsix = await Vsix.open(file);
        console.log(`      ${path.basename(file)}: ${(fs.statSync(file).size / 1e6).toFixed(1)} MB compressed, ${vsix.entries.size} files`);
      });
      after(() => vsix?.close());

      it('holds exactly the extension, its node-pty natives and codex for this platform', () => {
        assert.deepEqual(vsix.extensionFiles(), expectedFiles(target));
        assert.deepEqual([...vsix.entries.keys()].filter((n) => !n.startsWith('extension/')).sort(), ['[Content_Types].xml', 'extension.vsixmanifest']);
      });

      it('says which platform it is for', async () => {
        assert.match(await vsix.text('extension.vsixmanifest'), new RegExp(`TargetPlatform="${target}"`));
      });

      it('has no source maps, TypeScript, tests or debug symbols', () => {
        const dev = vsix.extensionFiles().filter((f) => /\.(map|ts|pdb)$|\.test\.|(^|\/)(test|tests|src)\//.test(f));
        assert.deepEqual(dev, []);
      });

      it('carries production bundles and a manifest without development keys', async () => {
        for (const bundle of ['dist/client/extension.js', 'dist/server/sidecar.js', 'dist/cli/codexFleet.js', 'dist/webview/transcript.js']) {
          const js = await vsix.text(`extension/${bundle}`);
          assert.doesNotMatch(js, /sourceMappingURL/, bundle);
          // Minified: long lines (a development build averages ~40 characters a line; template literals keep some newlines).
          const perLine = js.length / js.split('\n').length;
          assert.ok(perLine > 100, `${bundle} is not minified (${perLine.toFixed(0)} characters a line)`);
        }
        const manifest = JSON.parse(await vsix.text('extension/package.json')) as Record<string, unknown>;
        for (const key of ['scripts', 'devDependencies', 'files']) assert.equal(manifest[key], undefined, key);
        assert.equal(`extension/${path.posix.normalize(String(manifest.main))}`, `extension/${path.posix.normalize(PKG.main)}`);
      });

      it("has node-pty's and codex's binaries for this platform's CPU", async () => {
        const binaries = [`extension/node_modules/node-pty/prebuilds/${target}/pty.node`, `${vendor}/bin/codex${t.exe}`, `${vendor}/codex-path/rg${t.exe}`];
        if (t.pty.includes('spawn-helper')) binaries.push(`extension/node_modules/node-pty/prebuilds/${target}/spawn-helper`);
        if (t.pty.includes('conpty.node')) binaries.push(`extension/node_modules/node-pty/prebuilds/${target}/conpty.node`);
        for (const b of binaries) assert.equal(binaryPlatform(await vsix.head(b, 4096)), target, b);
      });

      if (!t.exe) {
        it('keeps the exec bit of codex, rg, bwrap and spawn-helper', () => {
          const exec = [`${vendor}/bin/codex`, `${vendor}/codex-path/rg`, ...t.codexResources.map((f) => `${vendor}/codex-resources/${f}`)];
          if (t.pty.includes('spawn-helper')) exec.push(`extension/node_modules/node-pty/prebuilds/${target}/spawn-helper`);
          for (const f of exec) assert.equal(vsix.get(f).mode & 0o111, 0o111, `${f} mode ${vsix.get(f).mode.toString(8)}`);
        });
      }

      if (target === 'linux-x64') {
        it(`is at most ${LINUX_X64_MAX_MB} MB`, () => {
          const mb = fs.statSync(file).size / 1e6;
          assert.ok(mb <= LINUX_X64_MAX_MB, `${mb.toFixed(1)} MB`);
        });
      }
    });
  }
});
