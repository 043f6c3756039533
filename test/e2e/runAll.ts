/**
 * Everything that runs in a real VS Code, in order, with one closing line for CI:
 *   1. the harness self-test against the smoke fixture (UI + extension host)
 *   2. the real extension's UI tests (test/e2e/ui, not smoke/) and host suites (test/e2e/host, not smoke/)
 *      — each skipped with a note while it has no test files; the extension must be built.
 *   3. what users install: the approval and agent-terminal UI tests again, against the linux-x64 VSIX
 *      installed with `code-server --install-extension` (--vsix, default the one `npm run package`
 *      leaves in .package/), in a child process with E2E_EXTENSION_VSIX set (see ui/fleetFixture.ts).
 *
 *   npx tsx test/e2e/runAll.ts [--self-only] [--vsix <file>] [--no-vsix]
 * Needs `bash test/e2e/setup.sh` first (and `npm run build` for step 2, `npm run package -- --target linux-x64` for 3).
 */
import { spawn } from 'node:child_process';
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

/** The UI tests that run a second time against the installed VSIX. */
const VSIX_TESTS = ['approvals.test.ts', 'agents.test.ts'].map((f) => path.join(REPO_ROOT, 'test', 'e2e', 'ui', f));

function defaultVsix(): string {
  const { name, version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(REPO_ROOT, '.package', `${name}-linux-x64-${version}.vsix`);
}

/** runUi.ts in a child process with E2E_EXTENSION_VSIX set (output passed through); its closing line gives the tally. */
function runVsixTests(vsix: string): Promise<Tally> {
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package -- --target linux-x64\` first (or pass --no-vsix)`);
  const args = ['--import', 'tsx', path.join(__dirname, 'runUi.ts'), ...VSIX_TESTS];
  const child = spawn(process.execPath, args, { env: { ...process.env, E2E_EXTENSION_VSIX: vsix }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    process.stdout.write(d);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const m = /e2e-ui: (\d+) passed, (\d+) failed/.exec(out);
      const failures = m ? Number(m[2]) : 0;
      resolve({ passes: m ? Number(m[1]) : 0, failures: failures || (code === 0 && m ? 0 : 1) });
    });
  });
}

function hasTests(dir: string, skip: string): boolean {
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir, { withFileTypes: true }).some((e) => {
    if (e.isDirectory()) return e.name !== skip && hasTests(path.join(dir, e.name), '');
    return e.name.endsWith('.test.ts');
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'self-only': { type: 'boolean' }, vsix: { type: 'string' }, 'no-vsix': { type: 'boolean' } } });
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
    if (!values['no-vsix']) {
      const vsix = values.vsix ? path.resolve(values.vsix) : defaultVsix();
      console.log(`== Codex Fleet UI from the installed ${path.relative(REPO_ROOT, vsix)}`);
      add('Codex Fleet UI (installed VSIX)', await runVsixTests(vsix));
    }
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
