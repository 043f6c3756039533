// One build script, one esbuild context per bundle. `node esbuild.mjs [--watch] [--production] [only...]`
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const node = { platform: 'node', format: 'cjs', target: 'node20', bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

/** @type {Record<string, import('esbuild').BuildOptions>} */
const bundles = {
  client: { ...node, entryPoints: ['client/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  server: { ...node, entryPoints: ['server/main.ts'], outfile: 'dist/server/sidecar.js', external: ['node-pty'] },
  cli: { ...node, entryPoints: ['cli/main.ts'], outfile: 'dist/cli/codexFleet.js', external: ['node-pty'] },
  // The public SDK (`codex-fleet/sdk`); its .d.ts files are emitted by tsc below. zod stays a dependency, so a
  // script's own `zod` import is the same copy.
  sdk: { ...node, entryPoints: ['sdk/index.ts'], outfile: 'dist/sdk/index.js', external: ['zod'] },
  webview: {
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/transcript.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
};

const selected = Object.entries(bundles).filter(([name]) => only.length === 0 || only.includes(name));
const { existsSync } = await import('node:fs');
const contexts = [];
for (const [name, options] of selected) {
  const entry = options.entryPoints[0];
  if (!existsSync(entry)) {
    console.warn(`esbuild: skipping ${name} (${entry} not present yet)`);
    continue;
  }
  contexts.push(await esbuild.context(options));
}
// The webview's icon font comes from the @vscode/codicons dependency at build time (not kept in git).
if (selected.some(([name]) => name === 'webview')) {
  const { mkdirSync, copyFileSync } = await import('node:fs');
  mkdirSync('dist/webview/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/codicons/${f}`);
}
// The SDK's declarations (dist/sdk/types/sdk/index.d.ts, named by package.json `exports`).
if (!watch && selected.some(([name]) => name === 'sdk') && existsSync('sdk/index.ts')) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.sdk.json'], { stdio: 'inherit' });
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`esbuild: watching ${contexts.length} bundles`);
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
