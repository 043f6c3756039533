/**
 * The Codex Fleet demo: a real VS Code (code-server) on 127.0.0.1 with the extension installed and a
 * copy of demo/workspace opened. Without an OpenAI login (no OPENAI_API_KEY, no $CODEX_HOME/auth.json
 * or ~/.codex/auth.json) Codex talks to the offline demo model (demo/demoModel.ts). Runs until Ctrl-C.
 *
 * Use `bash demo/run.sh` (installs the tools and builds first). Options:
 *   --extension <dir>   extension to install (default: Codex Fleet from this repo)
 *   --port <n>          port (default 8080 when free, else any free one; env DEMO_PORT)
 *   --offline           use the offline demo model even when a real login exists
 *   --screenshot <png>  also open the page in headless chromium and save a screenshot
 *   --exit              stop after start-up (and the screenshot): a self-check
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { VsCodeBrowser } from '../test/e2e/support/browser';
import { CodeServer, freePort } from '../test/e2e/support/codeServer';
import { REPO_ROOT, removeDir } from '../test/e2e/support/tools';
import { extensionUnderTest } from '../test/e2e/ui/fleetFixture';
import { hasRealCredentials, startDemoModel, type DemoModel } from './demoModel';
import { codexBinaryInPackage, codexPlatform } from '../shared/codexPlatform';

const DEMO_WORKSPACE = path.join(REPO_ROOT, 'demo', 'workspace');

interface Manifest {
  name?: string;
  displayName?: string;
  main?: string;
  contributes?: { viewsContainers?: { activitybar?: Array<{ title?: string }> } };
}

function readManifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The codex binary pinned by the extension's dependencies, if installed. */
function pinnedCodex(extensionDir: string): string | undefined {
  const target = codexPlatform(process.platform, process.arch);
  if (!target) return undefined;
  const bin = path.join(extensionDir, 'node_modules', target.pkg, codexBinaryInPackage(target));
  return fs.existsSync(bin) ? bin : undefined;
}

async function portFor(requested: string | undefined): Promise<number> {
  if (requested) return Number(requested);
  const probe = await freePortIfAvailable(8080);
  return probe ?? freePort();
}

function freePortIfAvailable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(port)));
  });
}

/** A throwaway copy of the sample project, made a git repository like a real one. */
function makeWorkspace(root: string): string {
  const ws = path.join(root, 'tiny-tasks');
  fs.cpSync(DEMO_WORKSPACE, ws, { recursive: true });
  try {
    const git = (...args: string[]): void => void execFileSync('git', args, { cwd: ws, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.email=demo@example.com', '-c', 'user.name=Codex Fleet demo', 'commit', '-q', '-m', 'Tiny Tasks sample');
  } catch {
    // git is optional
  }
  return ws;
}

/** `codex-fleet stop --force` for the demo workspace, when this repo's CLI is built. */
function stopSidecar(workspace: string, env: Record<string, string>): void {
  const cli = path.join(REPO_ROOT, 'bin', 'codex-fleet.js');
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'codexFleet.js'))) return;
  try {
    execFileSync(process.execPath, [cli, 'stop', '--force', '--workspace', workspace], { env: { ...process.env, ...env }, stdio: 'ignore', timeout: 20_000 });
  } catch {
    // none running, or it is already going
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string' },
      port: { type: 'string' },
      offline: { type: 'boolean' },
      screenshot: { type: 'string' },
      exit: { type: 'boolean' },
    },
  });
  // The repo itself, or (while package.json lacks the contributions) the staged copy the e2e tests use.
  const extensionDir = values.extension ? path.resolve(values.extension) : extensionUnderTest();
  const manifest = readManifest(extensionDir);
  const entry = path.join(extensionDir, manifest.main ?? 'extension.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} does not exist: build the extension first (npm run build)`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-fleet-demo-'));
  let model: DemoModel | undefined;
  let server: CodeServer | undefined;
  const workspace = makeWorkspace(root);
  const env: Record<string, string> = { CODEX_FLEET_STATE_DIR: path.join(root, 'state') };
  const cleanup = async (): Promise<void> => {
    await server?.stop();
    stopSidecar(workspace, env); // detached by design: it would outlive VS Code until its idle timeout
    await model?.close();
    removeDir(root);
  };
  try {
    const codex = pinnedCodex(extensionDir);
    if (codex && !process.env.CODEX_FLEET_CODEX) env.CODEX_FLEET_CODEX = codex;
    const offline = values.offline || !hasRealCredentials();
    if (offline) {
      model = await startDemoModel(path.join(root, 'codex-home'));
      Object.assign(env, model.env);
    }
    server = await CodeServer.start({
      workspace,
      extensions: [extensionDir],
      env,
      port: await portFor(values.port ?? process.env.DEMO_PORT),
      label: 'demo',
      userSettings: { 'git.enabled': true },
    });
    const url = server.folderUrl();
    console.log(
      [
        '',
        `  ${manifest.displayName ?? manifest.name ?? 'extension'} demo is running in VS Code (code-server):`,
        '',
        `    ${url}`,
        '',
        offline
          ? `  Model: the OFFLINE DEMO MODEL at ${model?.model.baseUrl} (no OpenAI login found). Ask it to "run the tests" to see an approval.`
          : '  Model: your Codex login (OPENAI_API_KEY or auth.json).',
        `  Workspace: ${workspace} (a throwaway copy of demo/workspace)`,
        `  Logs: ${server.logFile}`,
        '  Stop with Ctrl-C.',
        '',
      ].join('\n'),
    );

    if (values.screenshot) await screenshot(url, manifest, path.resolve(values.screenshot));
    if (!values.exit) {
      const signal = await new Promise<string>((resolve) => {
        // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx),
        // and a second SIGINT without a listener would kill it halfway through the cleanup.
        process.on('SIGINT', () => resolve('SIGINT'));
        process.on('SIGTERM', () => resolve('SIGTERM'));
        void server?.whenExited.then((code) => resolve(`code-server exited (${code})`));
      });
      console.log(`\n  ${signal}: stopping the demo...`);
    }
  } finally {
    await cleanup();
  }
  console.log('  demo stopped, temporary files removed.');
}

async function screenshot(url: string, manifest: Manifest, file: string): Promise<void> {
  const browser = await VsCodeBrowser.open(url);
  try {
    const container = manifest.contributes?.viewsContainers?.activitybar?.[0]?.title;
    if (container) {
      await browser.openViewContainer(container);
      // The view fills (rows, or a welcome view with a button) once the extension has connected;
      // screenshot anyway if it never does.
      const sidebar = browser.page.locator('.sidebar');
      const ready = sidebar.locator('.monaco-list-row').or(sidebar.locator('.welcome-view-content .monaco-button'));
      await ready.first().waitFor({ timeout: 45_000 }).catch(() => undefined);
    }
    await browser.page.mouse.move(700, 450); // no hover tooltip in the picture
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await browser.page.screenshot({ path: file });
    console.log(`  screenshot: ${file}`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
