/**
 * Runs the mocha suites of test/e2e/host INSIDE the extension host of a real VS Code (code-server),
 * the offline equivalent of @vscode/test-electron (see runElectron.ts for that launcher).
 *
 *   npx tsx test/e2e/runExtensionHost.ts [--smoke | --extension <dir>] [--files <regex>] [--grep <re>]
 *                                        [--workspace <dir>] [--env K=V]... [--timeout <ms>] [--keep]
 *
 * code-server starts with `enable-smoke-test-driver`; the browser opens the workspace with the
 * extensionDevelopmentPath / extensionTestsPath / extensionEnvironment payload, and VS Code calls
 * `window.codeAutomationExit(code)` when the suite's `run()` settles (0 = all passed).
 * The suites are bundled first (test/e2e/build.mjs).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { VsCodeBrowser } from './support/browser';
import { CodeServer } from './support/codeServer';
import { copyWorkspace, makeRunDir, removeDir, REPO_ROOT, SMOKE_EXTENSION } from './support/tools';
import { extensionUnderTest } from './ui/fleetFixture';

const HOST_DIR = path.join(REPO_ROOT, 'dist', 'test', 'e2e', 'host');
const LINE_PREFIX = '[e2e-host] ';

export interface HostRunOptions {
  /** Extension under development (default: the repo = the real extension). */
  extensionPath?: string;
  /** Folder to open (default: a fresh copy of test/e2e/fixtures/workspace). */
  workspace?: string;
  /** Regex over bundle paths under dist/test/e2e/host (default: `^smoke/` for the fixture, else all but smoke/). */
  files?: string;
  grep?: string;
  /** Extra env for the extension host (passed both to code-server and as extensionEnvironment). */
  env?: Record<string, string>;
  /** Whole-run timeout (default 300 000 ms). */
  timeoutMs?: number;
  /** Keep run dirs (logs) afterwards. */
  keep?: boolean;
  /** Called with each line the suite prints (default: console.log). */
  onLine?: (line: string) => void;
}

export interface HostRunResult {
  readonly code: number;
  readonly passes: number;
  readonly failures: number;
  readonly pending: number;
  readonly failed: ReadonlyArray<{ title: string; error: string }>;
  readonly durationMs: number;
}

/** Bundle the host suites (fast: ~30 ms). */
export function buildHostSuites(): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'test', 'e2e', 'build.mjs')], { stdio: 'inherit' });
}

export async function runExtensionHostTests(opts: HostRunOptions = {}): Promise<HostRunResult> {
  const started = Date.now();
  const extensionPath = path.resolve(opts.extensionPath ?? REPO_ROOT);
  const isSmoke = extensionPath === SMOKE_EXTENSION;
  const workspace = opts.workspace ?? copyWorkspace();
  const scratch = makeRunDir('host-results');
  const resultsFile = path.join(scratch, 'results.json');
  const onLine = opts.onLine ?? ((line: string) => console.log(line));
  const extensionEnv: Record<string, string> = {
    E2E_HOST_FILES: opts.files ?? (isSmoke ? '^smoke/' : '^(?!smoke/)'),
    E2E_HOST_RESULTS: resultsFile,
    ...(isSmoke ? { E2E_HOST_MARKER: 'from-runner' } : {}),
    ...(opts.grep ? { E2E_HOST_GREP: opts.grep } : {}),
    ...opts.env,
  };

  let server: CodeServer | undefined;
  let browser: VsCodeBrowser | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    server = await CodeServer.start({ workspace, smokeTestDriver: true, env: opts.env, keep: opts.keep, label: 'code-server-host' });
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://remote${extensionPath}`],
      ['extensionTestsPath', `vscode-remote://remote${path.join(HOST_DIR, 'index.js')}`],
      ['extensionEnvironment', JSON.stringify(extensionEnv)],
    ] as const;
    let exit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    const timeoutMs = opts.timeoutMs ?? 300_000;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`extension-host tests did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    browser = await VsCodeBrowser.open(server.folderUrl(workspace, payload), {
      waitForWorkbench: false,
      beforeNavigate: async (page) => {
        await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
        page.on('console', (m) => {
          const text = m.text();
          const at = text.indexOf(LINE_PREFIX);
          if (at >= 0) onLine(text.slice(at + LINE_PREFIX.length));
        });
        page.on('crash', () => exit(2));
      },
    });
    const code = await Promise.race([exited, timedOut]);
    const results = fs.existsSync(resultsFile)
      ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Omit<HostRunResult, 'code' | 'durationMs'>)
      : { passes: 0, failures: 1, pending: 0, failed: [{ title: '(suite did not run)', error: `exit code ${code}; see ${server.logFile}` }] };
    return { code, passes: results.passes, failures: results.failures, pending: results.pending, failed: results.failed, durationMs: Date.now() - started };
  } catch (err) {
    if (browser) await browser.screenshot(`host-run-failure-${Date.now()}`).catch(() => undefined);
    if (server) console.error(`code-server log tail:\n${server.logTail()}`);
    throw err;
  } finally {
    clearTimeout(timer);
    await browser?.close();
    await server?.stop();
    if (!opts.keep) {
      removeDir(scratch);
      if (!opts.workspace) removeDir(workspace);
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean' },
      extension: { type: 'string' },
      workspace: { type: 'string' },
      files: { type: 'string' },
      grep: { type: 'string' },
      env: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const env: Record<string, string> = {};
  for (const kv of values.env ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`--env expects K=V, got ${kv}`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  buildHostSuites();
  const result = await runExtensionHostTests({
    extensionPath: values.smoke ? SMOKE_EXTENSION : (values.extension ?? extensionUnderTest()),
    workspace: values.workspace,
    files: values.files,
    grep: values.grep,
    env,
    timeoutMs: values.timeout ? Number(values.timeout) : undefined,
    keep: values.keep ?? process.env.E2E_KEEP === '1',
  });
  for (const f of result.failed) console.error(`FAILED ${f.title}\n${f.error}\n`);
  console.log(`e2e-host: ${result.passes} passed, ${result.failures} failed (${(result.durationMs / 1000).toFixed(1)} s)`);
  process.exitCode = result.code === 0 && result.failures === 0 ? 0 : 1;
}

if (require.main === module) {
  // Ctrl-C: exit through process 'exit', whose handlers kill the code-server process groups and chromium.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
