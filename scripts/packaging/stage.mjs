// Assembles .package/stage/<target>/: exactly the files one platform's VSIX holds, nothing else.
// vsce then packs that folder as it is (scripts/package.mjs); test/packaging/vsix.test.ts checks the result.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ptyNativeDir } from './ptyNatives.mjs';
import { codexOmitted, targetInfo } from './targets.mjs';

/** The extension's own files, relative to the repository root. Bundles are production builds (no maps). */
export const EXTENSION_FILES = [
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'bin/codex-fleet.js',
  'dist/client/extension.js',
  'dist/server/sidecar.js',
  'dist/cli/codexFleet.js',
  'dist/webview/transcript.js',
  'dist/webview/codicons/codicon.css',
  'dist/webview/codicons/codicon.ttf',
];
/** Folders copied whole. */
const EXTENSION_DIRS = ['media'];
/** Dependencies that esbuild leaves external: node-pty (native) and the pinned codex. */
const STAGED_MODULES = ['node-pty', '@openai/codex'];
/** package.json keys that describe the repository's development, not the installed extension. */
const DROPPED_KEYS = ['scripts', 'devDependencies', 'dependencies', 'optionalDependencies', 'allowScripts', 'files', 'overrides'];

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** Hard link when possible (the codex binaries are ~300 MB each and never modified here). */
function linkOrCopy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function walk(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [relative(base, p)];
  });
}

/** `npm pack <spec>` once, unpacked into the cache; returns the unpacked package folder. */
export function npmPackage(cacheDir, spec) {
  const dest = join(cacheDir, 'unpacked', spec.replace(/[/@]/g, '_'));
  if (existsSync(join(dest, '.complete'))) return join(dest, 'package');
  const packs = join(cacheDir, 'npm');
  mkdirSync(packs, { recursive: true });
  const res = spawnSync('npm', ['pack', '--silent', '--pack-destination', packs, spec], { encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  if (res.status !== 0) throw new Error(`npm pack ${spec} failed:\n${res.stderr}`);
  const tgz = join(packs, res.stdout.trim().split('\n').pop());
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const tar = spawnSync('tar', ['-xzf', tgz, '-C', dest], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`unpacking ${tgz} failed:\n${tar.stderr}`);
  rmSync(tgz); // unpacked is all that is used (npm keeps its own copy in its cache)
  writeFileSync(join(dest, '.complete'), spec);
  return join(dest, 'package');
}

/** The repository's package.json minus development keys; `dependencies` names only what is staged
 * unbundled in node_modules (vsce collects exactly those through `npm list`). */
function stagedManifest(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const runtime = Object.fromEntries(STAGED_MODULES.map((m) => [m, pkg.dependencies[m]]));
  for (const k of DROPPED_KEYS) delete pkg[k];
  return { ...pkg, dependencies: runtime };
}

function stageNodePty(root, cacheDir, stage, target) {
  const src = join(root, 'node_modules', 'node-pty');
  const dest = join(stage, 'node_modules', 'node-pty');
  const { name, version, main, license } = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
  mkdirSync(dest, { recursive: true });
  writeFileSync(join(dest, 'package.json'), `${JSON.stringify({ name, version, main, license }, null, 2)}\n`);
  copy(join(src, 'LICENSE'), join(dest, 'LICENSE'));
  for (const f of walk(join(src, 'lib'))) {
    if (f.endsWith('.js') && !f.endsWith('.test.js')) copy(join(src, 'lib', f), join(dest, 'lib', f));
  }
  const natives = ptyNativeDir(root, cacheDir, target);
  for (const f of targetInfo(target).ptyFiles) copy(join(natives, f), join(dest, 'prebuilds', target, f));
}

function stageCodex(root, cacheDir, stage, target) {
  const pin = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies['@openai/codex'];
  const { codexTriple } = targetInfo(target);
  // The wrapper's package.json: server/runtime/codexBinary.ts resolves the platform package from it.
  const wrapper = npmPackage(cacheDir, `@openai/codex@${pin}`);
  copy(join(wrapper, 'package.json'), join(stage, 'node_modules', '@openai', 'codex', 'package.json'));
  const platform = npmPackage(cacheDir, `@openai/codex@${pin}-${target}`);
  const dest = join(stage, 'node_modules', '@openai', `codex-${target}`);
  copy(join(platform, 'package.json'), join(dest, 'package.json'));
  const vendor = join('vendor', codexTriple);
  const omitted = codexOmitted(target);
  for (const f of walk(join(platform, vendor))) {
    if (omitted.some((o) => f === o || f.startsWith(`${o}/`))) continue;
    linkOrCopy(join(platform, vendor, f), join(dest, vendor, f));
  }
}

/**
 * The README as the installed extension shows it: links into the repository's own files (docs/…)
 * would be broken there (the VSIX holds none of them, and the project has no public URL to point
 * at), so they become plain text naming the file. Absolute links stay.
 */
export function withoutRepositoryLinks(markdown) {
  return markdown.replace(/\[([^\]]+)\]\((?!https?:|#)([^)\s]+)\)/g, (_m, text, path) => (text === path ? `\`${path}\`` : `${text} (\`${path}\` in the source)`));
}

/** Build `<outDir>/stage/<target>/` from the production bundles in dist/. Returns its path. */
export function stageTarget(root, outDir, target) {
  const cacheDir = join(outDir, 'cache');
  const stage = join(outDir, 'stage', target);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(stagedManifest(root), null, 2)}\n`);
  for (const f of EXTENSION_FILES) {
    if (f === 'CHANGELOG.md' && !existsSync(join(root, f))) continue;
    copy(join(root, f), join(stage, f));
  }
  writeFileSync(join(stage, 'README.md'), withoutRepositoryLinks(readFileSync(join(root, 'README.md'), 'utf8')));
  for (const d of EXTENSION_DIRS) for (const f of walk(join(root, d))) copy(join(root, d, f), join(stage, d, f));
  stageNodePty(root, cacheDir, stage, target);
  stageCodex(root, cacheDir, stage, target);
  for (const f of targetInfo(target).executables) chmodSync(join(stage, f), 0o755);
  return stage;
}
