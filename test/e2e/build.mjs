// Bundles the extension-host test suites: test/e2e/host/index.ts and every test/e2e/host/**/*.test.ts
// into dist/test/e2e/host/ (CommonJS, `vscode` and `mocha` external). `node test/e2e/build.mjs`
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hostDir = path.join(root, 'test', 'e2e', 'host');
const outdir = path.join(root, 'dist', 'test', 'e2e', 'host');

function tests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const started = Date.now();
fs.rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [path.join(hostDir, 'index.ts'), ...tests(hostDir)],
  outbase: hostDir,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`e2e build: ${path.relative(root, outdir)} in ${Date.now() - started} ms`);
