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
