/**
 * Extension-host test entry (`extensionTestsPath`), bundled by test/e2e/build.mjs to
 * dist/test/e2e/host/index.js; every `test/e2e/host/**\/*.test.ts` becomes a sibling bundle.
 *
 * VS Code calls `run()` inside the extension host of the window that opened the extension under
 * development; its promise decides the exit code (code-server: `codeAutomationExit(0|1)`,
 * @vscode/test-electron: the process exit code). Environment (from `extensionEnvironment`):
 * - E2E_HOST_FILES: regex over the bundle paths relative to this dir (default: all but `smoke/`)
 * - E2E_HOST_GREP: mocha grep
 * - E2E_HOST_RESULTS: a JSON file to write `{ passes, failures, pending, failed: [...] }` to
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/** Prefix of every line this runner prints; launchers echo exactly these lines from the host console. */
export const LINE_PREFIX = '[e2e-host] ';

interface FailedTest {
  readonly title: string;
  readonly error: string;
}

function findBundles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...findBundles(dir, child));
    else if (entry.name.endsWith('.test.js')) out.push(child);
  }
  return out.sort();
}

export async function run(): Promise<void> {
  const filter = new RegExp(process.env.E2E_HOST_FILES ?? '^(?!smoke/)');
  const files = findBundles(__dirname).filter((f) => filter.test(f));
  const log: string[] = [];
  const say = (...args: unknown[]): void => {
    for (const line of format(...args).split('\n')) {
      log.push(line);
      console.log(LINE_PREFIX + line);
    }
  };
  // The spec reporter prints through Base.consoleLog (printf-style): format here, one prefixed line each.
  Mocha.reporters.Base.consoleLog = say;
  const mocha = new Mocha({ ui: 'bdd', timeout: 15_000, color: false, reporter: 'spec' });
  if (process.env.E2E_HOST_GREP) mocha.grep(process.env.E2E_HOST_GREP);
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  say(`${files.length} suite file(s): ${files.join(', ') || '(none)'}`);
  await mocha.loadFilesAsync();

  const failed: FailedTest[] = [];
  const stats = { passes: 0, failures: 0, pending: 0 };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => stats.passes++);
    runner.on('pending', () => stats.pending++);
    runner.on('fail', (test, err: unknown) => {
      stats.failures++;
      failed.push({ title: test.fullTitle(), error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    });
  });
  const summary = { ...stats, failed, files, log };
  if (process.env.E2E_HOST_RESULTS) fs.writeFileSync(process.env.E2E_HOST_RESULTS, JSON.stringify(summary, null, 2));
  if (files.length === 0) throw new Error('no extension-host test files matched E2E_HOST_FILES');
  if (stats.failures > 0) throw new Error(`${stats.failures} extension-host test(s) failed`);
}
