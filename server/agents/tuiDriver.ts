/**
 * Driving the Codex TUI like a person at the keyboard, safely:
 * - know what the screen shows (composer ready and empty, or one of the first-run dialogs);
 * - deliver messages one at a time, only when the agent is idle at an empty composer: bracketed paste
 *   (no `@`/`/` popups, multi-line safe), Enter at least `submitDelayMs` later (an immediate Enter is
 *   swallowed), confirmed by the UserPromptSubmit hook, Enter re-pressed if the text is still waiting,
 *   and a clear error after the timeout. Messages to a busy agent wait in the queue.
 */
import { Emitter, type Disposable, type Event } from '../../sdk/emitter';
import type { PtyHost } from './ptyHost';

export type ScreenKind = 'starting' | 'composer' | 'draft' | 'trust' | 'hooksReview' | 'modelMigration' | 'approval';

/** What the TUI shows, from its screen text. */
export function classifyScreen(text: string): ScreenKind {
  if (/Trust this folder\?/.test(text) && /Trust and continue/.test(text)) return 'trust';
  if (/Hooks need review/.test(text)) return 'hooksReview';
  if (/Use existing model/.test(text)) return 'modelMigration';
  if (/Press enter to confirm or esc to cancel|Would you like to run the following command\?/.test(text)) return 'approval';
  if (/\? for shortcuts/.test(text)) return 'composer';
  if (/^› /m.test(text) && /·/.test(text)) return 'draft';
  return 'starting';
}

/** Control characters other than newline and tab would act as keys: drop them. */
export function sanitizeMessage(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

export interface DriverSignals {
  /** The agent is at rest (no turn, subagent or approval in flight), per its hooks. */
  isIdle(): boolean;
  /** Fires after each applied hook event or process change. */
  onChange: Event<void>;
  /** Root-session UserPromptSubmit, with the prompt text. */
  onPromptSubmit: Event<string>;
}

export interface DriverOptions {
  /** Answer the folder-trust dialog (the user consented). */
  consent: boolean;
  log: { info(m: string): void; warn(m: string): void };
  submitDelayMs?: number;
  /** Wait this long for UserPromptSubmit before pressing Enter again. */
  confirmMs?: number;
  /** Let a freshly drawn composer settle before typing. */
  settleMs?: number;
}

interface Pending {
  text: string;
  /** Typing + confirmation must finish within this (the queue wait has no limit). */
  typingMs: number;
  resolve: () => void;
  reject: (e: Error) => void;
  typed: boolean;
}

/** A message on its way: `done` settles once Codex took it (or typing it failed). */
export interface Delivery {
  readonly done: Promise<void>;
  /** Typing has begun (the message left the queue). */
  readonly typed: boolean;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly stage: 'queued' | 'typed',
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export class TuiDriver {
  private readonly queue: Pending[] = [];
  private pumping = false;
  private readyAt: number | undefined;
  private disposed = false;
  private readonly subs: Disposable[] = [];
  private readonly changed = new Emitter<void>();
  private readonly readyEmitter = new Emitter<void>();
  private readonly dialogEmitter = new Emitter<ScreenKind>();
  private readonly screenEmitter = new Emitter<ScreenKind>();
  private lastDialog: ScreenKind | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  /** The TUI showed its composer at least once. */
  readonly onReady = this.readyEmitter.event;
  /** A dialog the driver cannot answer by itself appeared (hooksReview, or trust without consent). */
  readonly onDialog = this.dialogEmitter.event;
  /** The screen settled after output; with what it shows. */
  readonly onScreen = this.screenEmitter.event;

  constructor(
    private readonly host: PtyHost,
    private readonly signals: DriverSignals,
    private readonly opts: DriverOptions,
  ) {
    this.subs.push(host.onData(() => this.scheduleCheck()));
    this.subs.push(signals.onChange(() => this.changed.fire()));
    this.scheduleCheck();
  }

  get ready(): boolean {
    return this.readyAt !== undefined;
  }

  get queued(): number {
    return this.queue.length;
  }

  screenKind(): ScreenKind {
    return classifyScreen(this.host.screen.text());
  }

  /** Output bursts are coalesced: look at the screen once it has been quiet for a moment. */
  private scheduleCheck(): void {
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), 25);
  }

  private check(): void {
    this.checkTimer = undefined;
    if (this.disposed) return;
    const kind = this.screenKind();
    if (kind === 'composer' || kind === 'draft') {
      if (this.readyAt === undefined) {
        this.readyAt = Date.now();
        this.readyEmitter.fire();
      }
    } else if (kind !== 'starting' && kind !== 'approval' && kind !== this.lastDialog) {
      this.handleDialog(kind);
    }
    this.lastDialog = kind;
    this.changed.fire();
    this.screenEmitter.fire(kind);
  }

  private handleDialog(kind: ScreenKind): void {
    const text = this.host.screen.text();
    if (kind === 'modelMigration') {
      const m = /(\d)\. Use existing model/.exec(text);
      this.opts.log.info('TUI: dismissing the model migration prompt (keeping the configured model)');
      this.host.write(m?.[1] ?? '2');
      setTimeout(() => this.host.write('\r'), 80);
      return;
    }
    if (kind === 'trust' && this.opts.consent) {
      this.opts.log.info('TUI: trusting the folder (consent given)');
      this.host.write('1');
      setTimeout(() => this.host.write('\r'), 80);
      return;
    }
    this.dialogEmitter.fire(kind);
  }

  /**
   * Queue a message. It waits (without limit) until the agent is idle at an empty composer, then is
   * typed; typing and confirmation (UserPromptSubmit) must finish within `typingMs`.
   */
  send(text: string, typingMs: number): Delivery {
    const clean = sanitizeMessage(text);
    if (clean.trim() === '') return { done: Promise.reject(new DeliveryError('the message is empty', 'queued')), typed: false };
    let pending!: Pending;
    const done = new Promise<void>((resolve, reject) => {
      pending = { text: clean, typingMs, resolve, reject, typed: false };
    });
    this.queue.push(pending);
    void this.pump();
    return {
      done,
      get typed() {
        return pending.typed;
      },
    };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.disposed && this.queue.length > 0) {
        const p = this.queue[0]!;
        try {
          await this.deliver(p);
          p.resolve();
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(e)));
        } finally {
          if (this.queue[0] === p) this.queue.shift();
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private canType(): boolean {
    return this.host.isRunning && this.signals.isIdle() && this.screenKind() === 'composer';
  }

  /** Resolve when `pred` holds (checked on every change), false at `deadline`. */
  private waitFor(pred: () => boolean, deadline: number): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (v: boolean): void => {
        if (timer) clearTimeout(timer);
        sub.dispose();
        resolve(v);
      };
      const timer = Number.isFinite(deadline) ? setTimeout(() => finish(pred()), Math.max(0, deadline - Date.now())) : undefined;
      const sub = this.changed.event(() => {
        if (this.disposed) finish(false);
        else if (pred()) finish(true);
      });
    });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  private async deliver(p: Pending): Promise<void> {
    if (!(await this.waitFor(() => this.canType(), Infinity))) throw new DeliveryError('message not delivered: the agent stopped', 'queued');
    const deadline = Date.now() + p.typingMs;
    const settle = (this.readyAt ?? 0) + (this.opts.settleMs ?? 250) - Date.now();
    if (settle > 0) await this.delay(settle);
    let submitted = false;
    const sub = this.signals.onPromptSubmit(() => {
      submitted = true;
      this.changed.fire();
    });
    try {
      p.typed = true;
      const paste = this.host.screen.bracketedPaste;
      this.host.write(paste ? `\x1b[200~${p.text}\x1b[201~` : p.text.replace(/\n/g, ' '));
      await this.delay(this.opts.submitDelayMs ?? 80);
      const confirmMs = this.opts.confirmMs ?? 2500;
      for (let attempt = 0; !submitted; attempt++) {
        if (Date.now() >= deadline || !this.host.isRunning || this.disposed) break;
        if (attempt > 0) this.opts.log.warn(`TUI did not take the message; pressing Enter again (attempt ${attempt + 1})`);
        this.host.write('\r');
        await this.waitFor(() => submitted, Math.min(deadline, Date.now() + confirmMs));
      }
    } finally {
      sub.dispose();
    }
    if (!submitted) throw new DeliveryError('message typed but Codex did not submit it (no UserPromptSubmit hook) before the timeout', 'typed');
  }

  /** Fail queued messages (the agent stopped) and stop watching. */
  dispose(reason = 'the agent stopped'): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.checkTimer) clearTimeout(this.checkTimer);
    for (const s of this.subs) s.dispose();
    this.changed.fire();
    for (const p of this.queue.splice(0)) p.reject(new DeliveryError(`message not delivered: ${reason}`, p.typed ? 'typed' : 'queued'));
    this.changed.dispose();
    this.readyEmitter.dispose();
    this.dialogEmitter.dispose();
    this.screenEmitter.dispose();
  }
}
