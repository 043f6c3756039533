/**
 * Everything that runs in a real VS Code, in order, with one closing line for CI:
 *   1. the harness self-test against the smoke fixture (UI + extension host)
 *   2. the real extension's UI tests (test/e2e/ui, not smoke/) and host suites (test/e2e/host, not smoke/)
 *      — each skipped with a note while it has no test files; the extension must be built.
 *
 *   npx tsx test/e2e/runAll.ts [--self-only]
 * Needs `bash test/e2e/setup.sh` first (and `npm run build` for step 2).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildHostSuites, runExtensionHostTests } from './runExtensionHost';
import { runUiTests } from './runUi';
import { REPO_ROOT, SMOKE_EXTENSION } from './support/tools';
import { extensionUnderTest } from './ui/fleetFixture';

interface Tally {
  passes: number;
  failures: number;
}

function hasTests(dir: string, skip: string): boolean {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
    if (e.isDirectory()) return e.name !== skip && hasTests(path.join(dir, e.name), '');
    return e.name.endsWith('.test.ts');
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'self-only': { type: 'boolean' } } });
  const started = Date.now();
  const total: Tally = { passes: 0, failures: 0 };
  const add = (label: string, r: Tally): void => {
    total.passes += r.passes;
    total.failures += r.failures;
    console.log(`\n== ${label}: ${r.passes} passed, ${r.failures} failed\n`);
  };
  buildHostSuites();

  console.log('== harness self-test (smoke fixture): UI');
  add('self-test UI', await runUiTests({ smoke: true }));
  console.log('== harness self-test (smoke fixture): extension host');
  add('self-test extension host', await runExtensionHostTests({ extensionPath: SMOKE_EXTENSION }));

  if (!values['self-only']) {
    const entry = path.join(REPO_ROOT, 'dist', 'client', 'extension.js');
    const uiTests = hasTests(path.join(REPO_ROOT, 'test', 'e2e', 'ui'), 'smoke');
    const hostTests = hasTests(path.join(REPO_ROOT, 'test', 'e2e', 'host'), 'smoke');
    if ((uiTests || hostTests) && !fs.existsSync(entry)) {
      throw new Error(`${path.relative(REPO_ROOT, entry)} is missing: run \`npm run build\` first`);
    }
    if (uiTests) add('Codex Fleet UI', await runUiTests({}));
    else console.log('== Codex Fleet UI: no test files in test/e2e/ui (outside smoke/) yet, skipped');
    if (hostTests) add('Codex Fleet extension host', await runExtensionHostTests({ extensionPath: extensionUnderTest() }));
    else console.log('== Codex Fleet extension host: no suites in test/e2e/host (outside smoke/) yet, skipped');
  }

  console.log(`e2e: ${total.passes} passed, ${total.failures} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exitCode = total.failures === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
main().catch((err: unknown) => {
  console.error(err);
  console.log('e2e: 0 passed, 1 failed');
  process.exitCode = 1;
});
