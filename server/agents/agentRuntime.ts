/**
 * A live agent: its pty, the terminals attached to it, and the summary it reports. The base class
 * handles viewers (output fan-out, screen restore on attach, resize) and change reporting; the TUI
 * agent (below) and the session agent (sessionAgent.ts) supply the process and the state.
 */
import { realpathSync } from 'node:fs';
import type { AgentState, AgentSummary, AgentWaitReason } from '../../protocol/types';
import { codexBinaryInPackage, codexPlatform } from '../../shared/codexPlatform';
import type { Disposable } from '../../sdk/emitter';
import { summarize, type AgentRecord, type AgentRegistry } from './agentRegistry';
import { DEFAULT_COLS, DEFAULT_ROWS, PtyHost } from './ptyHost';
import { stripTerminalReplies } from './screen';

export interface AgentLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface RuntimeContext {
  registry: AgentRegistry;
  /** The codex binary for TUIs (native binary preferred over the npm wrapper). */
  codexPath: string;
  /** Extra environment for the binary (what the npm wrapper would set). */
  codexEnv: Record<string, string>;
  /** Base environment of agent processes. */
  env: NodeJS.ProcessEnv;
  userCodexHome: string;
  log: AgentLog;
  /** Report a changed summary (agent/updated). */
  onSummary(s: AgentSummary): void;
  /** A message for every client (sidecar/warning). */
  warn(message: string): void;
}

export interface AttachHandle {
  /** What the terminal shows now (with colours, modes and scrollback); output from then on follows. */
  screen: string;
  detach(): void;
}

interface Viewer {
  onOutput: (data: string) => void;
  pending: string;
  timer: NodeJS.Timeout | undefined;
}

/** Environment for an agent's TUI: the sidecar's, minus a surrounding Codex session's markers. */
export function agentEnv(ctx: RuntimeContext, codexHome: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) {
    if (v === undefined || k === 'CODEX_THREAD_ID' || k.startsWith('CODEX_SANDBOX') || k === 'CODEX_HOME') continue;
    env[k] = v;
  }
  return { ...env, ...ctx.codexEnv, CODEX_HOME: codexHome, TERM: 'xterm-256color', COLORTERM: 'truecolor' };
}

/** The npm wrapper (`@openai/codex/bin/codex.js`) → its native binary, when installed beside it. */
export function preferNativeCodex(codexPath: string): string {
  let real: string;
  try {
    real = realpathSync(codexPath);
  } catch {
    return codexPath;
  }
  const m = /^(.*)[\\/]@openai[\\/]codex[\\/]bin[\\/]codex\.js$/.exec(real);
  if (!m) return codexPath;
  const target = codexPlatform(process.platform, process.arch);
  if (!target) return codexPath;
  for (const base of [`${m[1]}/@openai/codex/node_modules/${target.pkg}`, `${m[1]}/${target.pkg}`]) {
    try {
      return realpathSync(`${base}/${codexBinaryInPackage(target)}`);
    } catch {
      // not here
    }
  }
  return codexPath;
}

export abstract class AgentRuntime {
  protected host: PtyHost | undefined;
  private hostSubs: Disposable[] = [];
  private readonly viewers = new Set<Viewer>();
  private size = { cols: DEFAULT_COLS, rows: DEFAULT_ROWS };
  private lastReported = '';

  constructor(
    readonly record: AgentRecord,
    protected readonly ctx: RuntimeContext,
  ) {}

  get name(): string {
    return this.record.name;
  }

  get pid(): number | undefined {
    return this.host?.isRunning ? this.host.pid : undefined;
  }

  get isRunning(): boolean {
    return this.host?.isRunning ?? false;
  }

  abstract liveState(): { state: AgentState; waitReason?: AgentWaitReason };
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  /** Release everything (sidecar shutdown): the process is killed. */
  abstract dispose(): Promise<void>;

  summary(): AgentSummary {
    return summarize(this.record, { pid: this.pid, ...this.liveState() });
  }

  /** Persist and report the summary if it changed. */
  protected changed(): void {
    const live = this.liveState();
    this.record.state = live.state;
    this.record.waitReason = live.waitReason;
    const s = this.summary();
    const key = JSON.stringify({ ...s, updatedAt: 0 });
    if (key === this.lastReported) return;
    this.lastReported = key;
    try {
      this.ctx.registry.save(this.record);
    } catch (e) {
      this.ctx.log.error(`agent ${this.name}: cannot save its record: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.ctx.onSummary(this.summary());
  }

  /** Spawn the agent's process in a pty sized like the last attached terminal. */
  protected spawn(file: string, args: string[], cwd: string, env: Record<string, string>): PtyHost {
    this.releaseHost();
    const host = new PtyHost({ file, args, cwd, env, cols: this.size.cols, rows: this.size.rows });
    this.host = host;
    this.hostSubs.push(host.onData((d) => this.fanOut(d)));
    this.ctx.log.info(`agent ${this.name}: started pid ${host.pid}: ${[file, ...args.map((a) => (a.length > 60 ? `${a.slice(0, 57)}...` : a))].join(' ')}`);
    return host;
  }

  protected releaseHost(): void {
    for (const s of this.hostSubs) s.dispose();
    this.hostSubs = [];
  }

  private fanOut(data: string): void {
    for (const v of this.viewers) {
      v.pending += data;
      v.timer ??= setTimeout(() => {
        v.timer = undefined;
        const out = v.pending;
        v.pending = '';
        if (out) v.onOutput(out);
      }, 4);
    }
  }

  attach(cols: number | undefined, rows: number | undefined, onOutput: (data: string) => void): AttachHandle {
    const viewer: Viewer = { onOutput, pending: '', timer: undefined };
    if (cols && rows) this.size = { cols, rows };
    const host = this.host;
    let screen: string;
    if (host?.isRunning) {
      // Resize first: the snapshot then fits this terminal, and the program's redraw for the new
      // size (if any) follows as output.
      host.resize(this.size.cols, this.size.rows);
      screen = host.screen.snapshot();
    } else {
      screen = `\x1b[0m\x1b[H\x1b[2J[agent ${this.name} is ${this.summary().state}: \`codex-fleet agents start ${this.name}\` starts it]\r\n`;
    }
    this.viewers.add(viewer);
    return {
      screen,
      detach: () => {
        if (viewer.timer) clearTimeout(viewer.timer);
        this.viewers.delete(viewer);
      },
    };
  }

  /** Keystrokes from an attached terminal (its answers to terminal queries are dropped). */
  input(data: string): void {
    const keys = stripTerminalReplies(data);
    if (keys) this.host?.write(keys);
  }

  resize(cols: number, rows: number): void {
    if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 2 || rows < 2 || cols > 1000 || rows > 500) return;
    this.size = { cols, rows };
    this.host?.resize(cols, rows);
  }

  /** Tell attached terminals something (a line of their own, not from the agent). */
  protected notice(text: string): void {
    this.fanOut(`\r\n\x1b[2m[codex-fleet] ${text}\x1b[0m\r\n`);
  }

  protected detachAll(): void {
    for (const v of this.viewers) if (v.timer) clearTimeout(v.timer);
    this.viewers.clear();
  }
}
