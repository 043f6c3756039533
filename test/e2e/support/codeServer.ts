/**
 * A throwaway code-server (VS Code 1.139 with a Node extension host) for tests and the demo.
 *
 * Each instance gets its own run dir (config, user-data, extensions, XDG dirs, log), binds to a free
 * port on 127.0.0.1 without auth, and runs in its own session/process group so stop() can end the
 * ptyHost, file watcher and extension hosts that outlive the main pid. See
 * shared/notes/vscode-e2e-offline.md for why each flag is there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { installExtension } from './extensions';
import { assertToolsInstalled, CODE_SERVER_ENTRY, makeRunDir, NODE24, removeDir } from './tools';

export { installExtension } from './extensions';

export interface CodeServerOptions {
  /** Folder opened by `url` (and by `folderUrl()` without argument). */
  workspace?: string;
  /** Extension folders (linked, not copied) or .vsix files to install before start. */
  extensions?: string[];
  /** Extra environment for code-server, inherited by the extension host and terminals. */
  env?: Record<string, string>;
  /** User settings merged over `DEFAULT_SETTINGS`. */
  userSettings?: Record<string, unknown>;
  /** `--vscode-option enable-smoke-test-driver` (needed by extension-host test runs; hides toasts). */
  smokeTestDriver?: boolean;
  /** Fixed port (default: a free one). */
  port?: number;
  /** Run dir label (default "code-server"). */
  label?: string;
  /** Keep the run dir after stop() (logs, user data) for debugging. Also with E2E_KEEP=1. */
  keep?: boolean;
  /** Readiness timeout for /healthz in ms (default 30 000). */
  startTimeoutMs?: number;
}

/** Settings that keep a test window quiet and deterministic. */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'terminal.integrated.gpuAcceleration': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'window.commandCenter': false,
  'git.enabled': false,
};

/** Environment of the test runner that must not leak into code-server (it would talk to another VS Code). */
const SCRUBBED_ENV = /^(VSCODE_|ELECTRON_RUN_AS_NODE$|CODE_SERVER_|NODE_OPTIONS$)/;

const live = new Set<CodeServer>();
process.once('exit', () => {
  for (const server of live) server.killNow();
});

export class CodeServer {
  /** Root URL; opens `workspace` when given. */
  readonly url: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** Resolves with the exit code when the code-server main process exits. */
  readonly whenExited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly runDir: string,
    readonly workspace: string | undefined,
    private readonly keep: boolean,
  ) {
    this.url = `http://127.0.0.1:${port}/`;
    this.userDataDir = path.join(runDir, 'user-data');
    this.extensionsDir = path.join(runDir, 'extensions');
    this.logFile = path.join(runDir, 'code-server.log');
    this.whenExited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        live.delete(this);
        resolve(code);
      }),
    );
  }

  static async start(opts: CodeServerOptions = {}): Promise<CodeServer> {
    assertToolsInstalled();
    const runDir = makeRunDir(opts.label ?? 'code-server');
    const userDataDir = path.join(runDir, 'user-data');
    const extensionsDir = path.join(runDir, 'extensions');
    const xdg = path.join(runDir, 'xdg');
    for (const d of [path.join(userDataDir, 'User'), extensionsDir, `${xdg}/config`, `${xdg}/data`, `${xdg}/cache`]) {
      fs.mkdirSync(d, { recursive: true });
    }
    const settings = { ...DEFAULT_SETTINGS, ...opts.userSettings };
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    for (const ext of opts.extensions ?? []) installExtension(ext, extensionsDir, { userDataDir });

    const port = opts.port ?? (await freePort());
    const configFile = path.join(runDir, 'config.yaml');
    fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

    const args = [
      CODE_SERVER_ENTRY,
      '--config', configFile,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--reconnection-grace-time', '5',
    ];
    if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
    if (opts.workspace) args.push(opts.workspace);

    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED_ENV.test(k)) env[k] = v;
    Object.assign(env, {
      EXTENSIONS_GALLERY: '{}',
      XDG_CONFIG_HOME: `${xdg}/config`,
      XDG_DATA_HOME: `${xdg}/data`,
      XDG_CACHE_HOME: `${xdg}/cache`,
      ...opts.env,
    });

    const logFile = path.join(runDir, 'code-server.log');
    const logFd = fs.openSync(logFile, 'a');
    // detached = setsid(): code-server leads its own process group, which stop() kills as a whole.
    const child = spawn(NODE24, args, { cwd: runDir, env, detached: true, stdio: ['ignore', logFd, logFd] });
    fs.closeSync(logFd);
    const server = new CodeServer(child, port, runDir, opts.workspace, opts.keep ?? process.env.E2E_KEEP === '1');
    live.add(server);
    try {
      await server.waitHealthy(opts.startTimeoutMs ?? 30_000);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return server;
  }

  /** URL opening `folder` (default: the workspace), with an optional `payload` (extension development). */
  folderUrl(folder = this.workspace, payload?: ReadonlyArray<readonly [string, string]>): string {
    const params: string[] = [];
    if (folder) params.push(`folder=${encodeURIComponent(folder)}`);
    if (payload) params.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
    return params.length ? `${this.url}?${params.join('&')}` : this.url;
  }

  /** Last `n` lines of the code-server log (for error messages). */
  logTail(n = 40): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  }

  /** Resident memory of the whole process group (server, extension hosts, ptyHost, watcher), in bytes. */
  groupRssBytes(): number {
    return processGroupRss(this.child.pid);
  }

  /** SIGTERM the process group, SIGKILL what is left after 5 s, then remove the run dir (unless kept). */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && this.exitCode === undefined) {
      signalGroup(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.whenExited, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
      clearTimeout(timer);
    }
    if (pid !== undefined) signalGroup(pid, 'SIGKILL'); // children that ignored SIGTERM or outlived the leader
    live.delete(this);
    if (!this.keep) removeDir(this.runDir);
  }

  /** Synchronous last resort from process 'exit' (e.g. Ctrl-C of a test run). */
  killNow(): void {
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    if (!this.keep) removeDir(this.runDir);
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Readiness probe only: the HTTP server comes up ~1 s after spawn and nothing signals it otherwise.
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined) {
        throw new Error(`code-server exited (${this.exitCode}) before it was ready:\n${this.logTail()}`);
      }
      try {
        const res = await fetch(`${this.url}healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`code-server not healthy after ${timeoutMs} ms:\n${this.logTail()}`);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Sum of RSS over all processes whose process group is `pgid` (Linux /proc). */
export function processGroupRss(pgid: number | undefined): number {
  if (pgid === undefined) return 0;
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue; // fields[0]=state, [1]=ppid, [2]=pgrp
      const rssPages = Number(fs.readFileSync(`/proc/${entry}/statm`, 'utf8').split(' ')[1]);
      total += rssPages * 4096;
    } catch {
      // process ended while reading
    }
  }
  return total;
}
