/**
 * One supervised process in a pseudo-terminal: output fans out to attached viewers and a
 * {@link Screen} keeps what the terminal shows now (for readiness checks and for restoring a
 * reattaching terminal). Output events fire once the screen shows the output, and the exit once all
 * output was shown, so a listener always reads a screen that matches. Stop is graceful first, then
 * the whole process group is killed (node-pty makes the child a session and group leader).
 */
import type { IPty } from 'node-pty';
import { Emitter, type Disposable } from '../../sdk/emitter';
import { Screen } from './screen';

export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols?: number;
  rows?: number;
}

export interface PtyExit {
  exitCode: number;
  signal?: number;
}

type NodePty = typeof import('node-pty');
let nodePty: NodePty | undefined;

/** node-pty is a native module kept out of the bundle; load it on first use. */
function loadPty(): NodePty {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  nodePty ??= require('node-pty') as NodePty;
  return nodePty;
}

/** How long input waits after a resize (Codex redraws ~150 ms after SIGWINCH, dropping keys until then). */
const RESIZE_HOLD_MS = 250;

export const DEFAULT_COLS = 120;
export const DEFAULT_ROWS = 40;

export class PtyHost {
  readonly screen: Screen;
  readonly pid: number;
  private readonly proc: IPty;
  private exitInfo: PtyExit | undefined;
  private held: string[] = [];
  private holdUntil = 0;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly dataEmitter = new Emitter<string>();
  private readonly exitEmitter = new Emitter<PtyExit>();
  readonly onData = this.dataEmitter.event;
  readonly onExit = this.exitEmitter.event;
  readonly exited: Promise<PtyExit>;

  constructor(opts: PtySpawnOptions) {
    const cols = opts.cols ?? DEFAULT_COLS;
    const rows = opts.rows ?? DEFAULT_ROWS;
    // We are the program's terminal, attached viewer or not: answer its startup queries at once (an
    // unanswered query makes a TUI wait, swallowing what is typed meanwhile).
    this.screen = new Screen(cols, rows, (d) => {
      if (this.isRunning) this.proc.write(d);
    });
    this.proc = loadPty().spawn(opts.file, opts.args, { name: 'xterm-256color', cols, rows, cwd: opts.cwd, env: opts.env });
    this.pid = this.proc.pid;
    this.exited = new Promise((resolve) => {
      this.proc.onExit((e) => {
        const exit = { exitCode: e.exitCode, signal: e.signal };
        this.exitInfo = exit;
        void this.screen.drained().then(() => {
          resolve(exit);
          this.exitEmitter.fire(exit);
        });
      });
    });
    this.proc.onData((d) => this.screen.write(d, () => this.dataEmitter.fire(d)));
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): PtyExit | undefined {
    return this.exitInfo;
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.proc.cols, rows: this.proc.rows };
  }

  /** Input; held back while the program digests a resize (Codex drops keys that arrive meanwhile). */
  write(data: string): void {
    if (!this.isRunning) return;
    if (this.held.length > 0 || Date.now() < this.holdUntil) {
      this.held.push(data);
      this.scheduleFlush();
      return;
    }
    this.proc.write(data);
  }

  private holdInput(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, Date.now() + ms);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = undefined;
        if (Date.now() < this.holdUntil) return this.scheduleFlush();
        const data = this.held.join('');
        this.held = [];
        if (data && this.isRunning) this.proc.write(data);
      },
      Math.max(0, this.holdUntil - Date.now()),
    );
  }

  resize(cols: number, rows: number): void {
    if (!this.isRunning || cols < 2 || rows < 2) return;
    if (cols === this.proc.cols && rows === this.proc.rows) return;
    this.proc.resize(cols, rows);
    this.screen.resize(cols, rows);
    this.holdInput(RESIZE_HOLD_MS);
  }

  /** Signal the process group (falls back to the process if the group is gone). */
  signal(sig: NodeJS.Signals): void {
    if (!this.isRunning) return;
    try {
      process.kill(-this.pid, sig);
    } catch {
      try {
        process.kill(this.pid, sig);
      } catch {
        // already gone
      }
    }
  }

  /**
   * Stop: `graceful()` (e.g. typing the quit keys) and wait, then SIGTERM the group, then SIGKILL.
   * Resolves with the exit once the process is gone.
   */
  async stop(graceful: (() => Promise<void> | void) | undefined, timeouts = { graceMs: 3000, termMs: 2000 }): Promise<PtyExit> {
    if (!this.isRunning) return this.exitInfo!;
    const waitExit = (ms: number): Promise<boolean> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          sub.dispose();
          resolve(false);
        }, ms);
        const sub: Disposable = this.onExit(() => {
          clearTimeout(timer);
          sub.dispose();
          resolve(true);
        });
        if (!this.isRunning) {
          clearTimeout(timer);
          sub.dispose();
          resolve(true);
        }
      });
    const done = (): PtyExit => {
      this.killGroup('SIGKILL'); // stragglers left in the group (commands the agent started)
      return this.exitInfo!;
    };
    if (graceful) {
      const exited = waitExit(timeouts.graceMs);
      try {
        await graceful();
      } catch {
        // fall through to signals
      }
      if (await exited) return done();
    }
    this.signal('SIGTERM');
    if (await waitExit(timeouts.termMs)) return done();
    this.signal('SIGKILL');
    await this.exited;
    return done();
  }

  private killGroup(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, sig);
    } catch {
      // no such group any more
    }
  }

  dispose(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.signal('SIGKILL');
    this.dataEmitter.dispose();
    void this.exited.then(() => this.screen.dispose());
  }
}
