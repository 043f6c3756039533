/**
 * Runs the UI tests (test/e2e/ui/**\/*.test.ts) with mocha, programmatically. Each suite that calls
 * `useVsCode()` gets its own code-server + chromium (see support/session.ts).
 *
 *   npx tsx test/e2e/runUi.ts [--smoke] [--grep <re>] [--bail] [file.test.ts ...]
 *
 * Without files: every UI test except the harness self-test in ui/smoke/ (`--smoke` runs only that).
 * Needs `bash test/e2e/setup.sh` (tools) and, for the real extension, `npm run build`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { assertToolsInstalled, REPO_ROOT } from './support/tools';

const UI_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'ui');

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

export interface UiRunOptions {
  files?: string[];
  smoke?: boolean;
  grep?: string;
  bail?: boolean;
}

export interface UiRunResult {
  readonly passes: number;
  readonly failures: number;
  readonly pending: number;
  readonly files: string[];
  readonly durationMs: number;
}

export async function runUiTests(opts: UiRunOptions = {}): Promise<UiRunResult> {
  assertToolsInstalled();
  const started = Date.now();
  const smokeDir = path.join(UI_DIR, 'smoke') + path.sep;
  const files = (opts.files?.length ? opts.files.map((f) => path.resolve(f)) : findTests(UI_DIR))
    .filter((f) => opts.files?.length || (opts.smoke ? f.startsWith(smokeDir) : !f.startsWith(smokeDir)))
    .sort();
  if (files.length === 0) throw new Error(`no UI test files found${opts.smoke ? ' in ui/smoke' : ''}`);

  // Generous per-test timeout: every wait inside has its own 15 s selector timeout that fails first.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: 'spec', bail: opts.bail ?? false });
  if (opts.grep) mocha.grep(opts.grep);
  for (const f of files) mocha.addFile(f);
  await mocha.loadFilesAsync();
  const stats = { passes: 0, failures: 0, pending: 0 };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => stats.passes++);
    runner.on('fail', () => stats.failures++);
    runner.on('pending', () => stats.pending++);
  });
  return { ...stats, files, durationMs: Date.now() - started };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { smoke: { type: 'boolean' }, grep: { type: 'string' }, bail: { type: 'boolean' } },
  });
  const result = await runUiTests({ files: positionals, smoke: values.smoke, grep: values.grep, bail: values.bail });
  console.log(`e2e-ui: ${result.passes} passed, ${result.failures} failed (${(result.durationMs / 1000).toFixed(1)} s)`);
  process.exitCode = result.failures === 0 ? 0 : 1;
}

if (require.main === module) {
  // Ctrl-C: exit through process 'exit', whose handlers kill the code-server process groups and chromium.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
