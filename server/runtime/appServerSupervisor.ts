/**
 * Supervises `codex app-server --listen unix://<state dir>/app-server.sock`: an explicit state
 * (starting → ready → restarting/failed/stopped) announced on `onDidChangeState`, restarts with
 * exponential backoff inside a crash budget, graceful shutdown then process-group kill.
 * The unix-socket listener lets other Codex clients (e.g. `codex --remote`) attach to the same runtime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import type { RuntimeInfo, RuntimeState } from '../../protocol/types';
import type { Logger } from '../logger';
import { processAlive } from '../lock';
import { Emitter } from '../../sdk/emitter';
import { assertPrivateDir } from '../../sdk/strictModes';
import { AppServerConnection } from './appServerConnection';
import { CODEX_TESTED_RANGE } from '../../protocol/codexRange';
import { chooseCodex, type CodexBinary, type CodexChoice } from './codexBinary';
import { reconnectToLive } from './reconnect';
import { CrashBudget, type CrashBudgetOptions } from '../../shared/crashBudget';

export interface SupervisorOptions {
  socketPath: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  clientVersion: string;
  log: Logger;
  appServerLog: Logger;
  crashBudget?: CrashBudgetOptions;
  /** How long to wait for SIGTERM before SIGKILL. */
  shutdownTimeoutMs?: number;
  startTimeoutMs?: number;
  codexOverride?: string;
  /** Where the runtime's pid is kept, so a sidecar that was killed leaves no orphan behind. */
  pidFile?: string;
}

/**
 * An app-server left running by a sidecar that died without cleaning up (it runs in its own process
 * group, so it survives): its pid if it is alive and is ours (same listen socket).
 */
export function findOrphan(pidFile: string, socketPath: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (pid > 0 && processAlive(pid) && cmdline.includes('app-server') && cmdline.includes(socketPath)) return pid;
  } catch {
    // no pid file, or not running
  }
  rmSync(pidFile, { force: true });
  return undefined;
}

const STDERR_LINES = 20;

export class AppServerSupervisor {
  private stateValue: RuntimeState = 'stopped';
  private child: ChildProcess | undefined;
  /** An app-server we did not spawn but took over from a sidecar that died (no exit events for it). */
  private adoptedPid: number | undefined;
  private conn: AppServerConnection | undefined;
  private bin: CodexBinary | undefined;
  /** The codex chosen for this sidecar (kept across crash restarts; chosen again on restart()). */
  private choice: Promise<CodexChoice> | undefined;
  private chosen: CodexChoice | undefined;
  private restarts = 0;
  private lastError: string | undefined;
  private stderrTail: string[] = [];
  private generation = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly budget: CrashBudget;
  /** Reconnecting to a live app-server after its connection dropped (its exit is a crash then). */
  private reconnecting = false;
  /** Dropped connections to a live app-server are reconnected; this many in a minute count as a crash. */
  private readonly reconnectBudget = new CrashBudget({ maxCrashes: 10, windowMs: 60_000, initialDelayMs: 20, maxDelayMs: 500 });

  private readonly stateEmitter = new Emitter<RuntimeInfo>();
  private readonly connectEmitter = new Emitter<AppServerConnection>();
  private readonly crashEmitter = new Emitter<{ error: string }>();
  private readonly lossEmitter = new Emitter<void>();
  /** Fires on every state change with the full runtime info. */
  readonly onDidChangeState = this.stateEmitter.event;
  /** Fires with each new, initialized connection (first start and every restart). */
  readonly onDidConnect = this.connectEmitter.event;
  /** Fires when a running runtime died unexpectedly (before any restart). */
  readonly onDidCrash = this.crashEmitter.event;
  /** Fires when the connection dropped but app-server still runs (a reconnect follows; not a crash). */
  readonly onDidLoseConnection = this.lossEmitter.event;

  constructor(private readonly opts: SupervisorOptions) {
    this.budget = new CrashBudget(opts.crashBudget);
  }

  get state(): RuntimeState {
    return this.stateValue;
  }

  get connection(): AppServerConnection | undefined {
    return this.stateValue === 'ready' ? this.conn : undefined;
  }

  /**
   * Resolves once the runtime is ready — at once if it is, or when a start/restart in progress
   * finishes (or fails, or `timeoutMs` passes: callers then get RuntimeUnavailable as usual).
   */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.stateValue === 'ready' || this.stateValue === 'failed' || this.stateValue === 'stopped') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const sub = this.onDidChangeState((info) => {
        if (info.state !== 'starting' && info.state !== 'restarting') done();
      });
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }

  get info(): RuntimeInfo {
    return {
      state: this.stateValue,
      codexPath: this.bin?.path ?? '',
      codexSource: this.bin?.source ?? 'pinned',
      codexVersion: this.chosen?.version,
      codexInRange: this.chosen?.inRange,
      codexTestedRange: { ...CODEX_TESTED_RANGE },
      codexWarning: this.chosen?.warning,
      listenSocket: this.opts.socketPath,
      pid: this.child?.pid ?? this.adoptedPid,
      restarts: this.restarts,
      lastError: this.lastError,
    };
  }

  private setState(state: RuntimeState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.opts.log.info(`runtime: ${state}${this.lastError && (state === 'failed' || state === 'restarting') ? ` (${this.lastError.split('\n')[0]})` : ''}`);
    this.stateEmitter.fire(this.info);
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.setState(this.restarts > 0 ? 'restarting' : 'starting');
    const gen = ++this.generation;
    try {
      // The app-server socket's directory must be ours alone: then nobody else can reach or replace
      // the socket in it (codex creates it with its own mode; it checks the directory too).
      if (process.platform !== 'win32') assertPrivateDir(dirname(this.opts.socketPath));
    } catch (e) {
      if (!FleetError.is(e, ErrorCodes.UnsafeStateDir)) throw e;
      this.lastError = e.message; // deterministic: retrying cannot help
      this.setState('failed');
      return;
    }
    try {
      this.bin = (await this.codexChoice()).bin;
      if (gen !== this.generation || this.stopping) return; // stopped while we looked up the version
      const orphan = this.opts.pidFile ? findOrphan(this.opts.pidFile, this.opts.socketPath) : undefined;
      if (orphan && (await this.adopt(orphan, gen))) return;
      if (gen !== this.generation || this.stopping) return;
      await this.launch(gen);
    } catch (e) {
      if (gen !== this.generation || this.stopping) return;
      this.lastError = `${e instanceof Error ? e.message : String(e)}${this.stderrTail.length ? `\n${this.stderrTail.join('\n')}` : ''}`;
      this.killChild();
      this.handleCrash(gen);
    }
  }

  private async launch(gen: number): Promise<void> {
    const bin = this.bin!;
    rmSync(this.opts.socketPath, { force: true });
    this.stderrTail = [];
    const child = spawn(bin.path, ['app-server', '--listen', `unix://${this.opts.socketPath}`], {
      cwd: this.opts.cwd,
      env: { ...this.opts.env, ...bin.env },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child = child;
    if (this.opts.pidFile && child.pid) {
      writeFileSync(this.opts.pidFile, String(child.pid), { mode: 0o600 });
      chmodSync(this.opts.pidFile, 0o600);
    }
    let buf = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        // eslint-disable-next-line no-control-regex
        const line = buf.slice(0, nl).replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_LINES) this.stderrTail.shift();
        this.opts.appServerLog.info(line);
      }
    });
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`could not run ${bin.path}: ${e.message}`)));
      child.once('exit', (code, signal) => reject(new Error(`codex app-server exited (${signal ?? `code ${code}`}) during start`)));
    });
    exited.catch(() => undefined);
    child.once('exit', (code, signal) => this.onExit(gen, code, signal));

    const conn = await Promise.race([this.waitForSocket(gen), exited]);
    const init = await Promise.race([conn.request('initialize', this.initializeParams()), exited]);
    conn.notify('initialized');
    if (gen !== this.generation || this.stopping) {
      conn.close();
      return;
    }
    this.opts.log.info(`runtime: codex ${this.chosen?.version ?? '?'} (${bin.source}: ${bin.path}) pid ${child.pid}, ${init.userAgent}`);
    this.connected(conn, gen);
  }

  /**
   * Take over a live app-server left by a sidecar that died: its turns keep running and its pending
   * requests are re-sent to us when the sessions are resumed. Returns false (after killing it) if it
   * does not answer.
   */
  private async adopt(pid: number, gen: number): Promise<boolean> {
    try {
      const conn = await AppServerConnection.connect(this.opts.socketPath, this.opts.log);
      const init = await conn.request('initialize', this.initializeParams(), 10_000);
      conn.notify('initialized');
      this.adoptedPid = pid;
      this.opts.log.info(`runtime: took over codex app-server pid ${pid} left by an earlier sidecar (${init.userAgent})`);
      this.connected(conn, gen);
      return true;
    } catch (e) {
      this.opts.log.warn(`runtime: could not take over app-server ${pid} (${e instanceof Error ? e.message : String(e)}); killing it`);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      return false;
    }
  }

  /**
   * Which codex this sidecar runs (app-server and agents): chosen once, range-checked, logged; a
   * choice that passed over the PATH codex (or forces one outside the range) is logged as a warning
   * and reported in `runtime.codexWarning`.
   */
  codexChoice(): Promise<CodexChoice> {
    this.choice ??= chooseCodex(this.opts.env, this.opts.codexOverride).then(
      (c) => {
        this.chosen = c;
        const what = `codex ${c.version ?? '(version unknown)'} (${c.bin.source}: ${c.bin.path})`;
        if (c.warning) this.opts.log.warn(`runtime: ${c.warning}`);
        else this.opts.log.info(`runtime: using ${what}, ${c.inRange ? 'inside' : 'outside'} the tested range`);
        return c;
      },
      (e: unknown) => {
        this.choice = undefined; // try again on the next start (the user may install codex meanwhile)
        throw e;
      },
    );
    return this.choice;
  }

  private initializeParams() {
    return {
      clientInfo: { name: 'codex_fleet', title: 'Codex Fleet', version: this.opts.clientVersion },
      capabilities: { experimentalApi: true, requestAttestation: false },
    };
  }

  private connected(conn: AppServerConnection, gen: number): void {
    this.conn = conn;
    conn.onClose(() => {
      if (gen !== this.generation || this.stopping || this.stateValue !== 'ready') return;
      const pid = this.child?.pid ?? this.adoptedPid;
      if (pid !== undefined && processAlive(pid) && this.reconnectBudget.recordCrash(Date.now()).action === 'restart') {
        void this.reconnect(gen, pid);
        return;
      }
      this.lastError = `lost the connection to codex app-server${this.stderrTail.length ? `\n${this.stderrTail.join('\n')}` : ''}`;
      this.killChild();
      this.handleCrash(gen);
    });
    this.lastError = undefined;
    this.setState('ready');
    this.connectEmitter.fire(conn);
  }

  /**
   * The WebSocket dropped but the process lives (app-server closes a connection that sent it
   * something it could not take): connect again, keeping the process, its turns and the crash
   * budget. Only if it cannot be reached within a few seconds is it treated as crashed.
   */
  private async reconnect(gen: number, pid: number): Promise<void> {
    this.conn = undefined;
    this.opts.log.warn(`runtime: lost the connection to codex app-server pid ${pid}, which is still running; reconnecting`);
    this.lastError = `lost the connection to codex app-server (pid ${pid} still running); reconnecting`;
    this.lossEmitter.fire();
    this.setState('restarting');
    this.reconnecting = true;
    const r = await reconnectToLive({
      socketPath: this.opts.socketPath,
      pid,
      log: this.opts.log,
      wanted: () => gen === this.generation && !this.stopping,
      handshake: async (conn) => {
        const init = await conn.request('initialize', this.initializeParams(), 10_000);
        conn.notify('initialized');
        return init.userAgent;
      },
    }).finally(() => (this.reconnecting = false));
    if ('abandoned' in r) return;
    if ('conn' in r) {
      this.opts.log.info(`runtime: reconnected to codex app-server pid ${pid} (${r.userAgent})`);
      this.connected(r.conn, gen);
      return;
    }
    this.lastError = `lost the connection to codex app-server and could not reconnect (${r.error})${this.stderrTail.length ? `\n${this.stderrTail.join('\n')}` : ''}`;
    this.killChild();
    this.handleCrash(gen);
  }

  /** Readiness probe: the listener's socket accepting a WebSocket connection. */
  private async waitForSocket(gen: number): Promise<AppServerConnection> {
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 20_000);
    let delay = 10;
    for (;;) {
      if (gen !== this.generation || this.stopping) throw new Error('start superseded');
      try {
        return await AppServerConnection.connect(this.opts.socketPath, this.opts.log);
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`codex app-server did not listen on ${this.opts.socketPath}: ${(e as Error).message}`, { cause: e });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 200);
    }
  }

  private onExit(gen: number, code: number | null, signal: NodeJS.Signals | null): void {
    if (gen !== this.generation) return;
    this.child = undefined;
    if (this.stopping) return;
    if (this.stateValue !== 'ready' && !this.reconnecting) return; // a failed start is handled by start()
    this.lastError = `codex app-server exited (${signal ?? `code ${code}`})${this.stderrTail.length ? `\n${this.stderrTail.join('\n')}` : ''}`;
    this.conn?.close();
    this.handleCrash(gen);
  }

  private handleCrash(gen: number): void {
    if (gen !== this.generation || this.stopping) return;
    this.generation++; // the dead generation's late events are ignored from here on
    this.conn = undefined;
    this.crashEmitter.fire({ error: this.lastError ?? 'codex app-server stopped' });
    const verdict = this.budget.recordCrash(Date.now());
    if (verdict.action === 'fail') {
      this.lastError = `codex app-server crashed ${verdict.crashesInWindow} times in a row; not restarting. Last error: ${this.lastError ?? ''}`;
      this.setState('failed');
      return;
    }
    this.restarts++;
    this.setState('restarting');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.start();
    }, verdict.delayMs);
  }

  /** Restart now (user action or settings change); resets the crash budget. */
  async restart(codexOverride?: string): Promise<void> {
    if (codexOverride !== undefined) this.opts.codexOverride = codexOverride || undefined;
    await this.stop();
    this.budget.reset();
    this.restarts++;
    this.choice = undefined;
    this.crashEmitter.fire({ error: 'restarted on request' });
    await this.start();
  }

  private killChild(signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = this.child?.pid ?? this.adoptedPid;
    if (!pid) return;
    try {
      if (process.platform === 'win32') this.child?.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // already gone
    }
    if (signal === 'SIGKILL') this.adoptedPid = undefined;
  }

  /** Graceful: SIGTERM to the process group, SIGKILL after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.generation++;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.conn?.close();
    this.conn = undefined;
    const adopted = this.adoptedPid;
    if (adopted) {
      // Not our child: no exit event; watch it go (bounded).
      this.killChild('SIGTERM');
      const deadline = Date.now() + (this.opts.shutdownTimeoutMs ?? 3000);
      while (processAlive(adopted) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      this.killChild('SIGKILL');
    }
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      this.killChild('SIGTERM');
      const timer = setTimeout(() => this.killChild('SIGKILL'), this.opts.shutdownTimeoutMs ?? 3000);
      await exited;
      clearTimeout(timer);
      this.killChild('SIGKILL'); // anything left in the group
    }
    this.child = undefined;
    if (this.opts.pidFile) rmSync(this.opts.pidFile, { force: true });
    this.setState('stopped');
  }
}
