/**
 * One transcript panel's logic, free of vscode imports (unit-tested with a fake port and backend):
 * the ready handshake, the snapshot (`sessions/read`) stitched to the live event stream without
 * duplicates or gaps, batched posting, and the webview's commands turned into sidecar requests.
 *
 * Stitching: events for the session are buffered while the snapshot is read; the snapshot is
 * stamped with the sidecar's seq (its `lastSeq`, else the connection's last seq at the reply);
 * buffered events after that seq follow as the first batch. Each batch names the seq it follows
 * (`prevSeq`), so the webview spots a gap. Posting: at once when idle; while a post is in flight,
 * events accumulate and adjacent deltas of one item merge (no timer, so no added latency).
 */
import { ErrorCodes, FleetError } from '../../protocol/errors';
import {
  RequestsAnswer,
  SessionsInterrupt,
  SessionsQueue,
  SessionsQueueRemove,
  SessionsRead,
  SessionsSend,
  type SessionsReadResult,
} from '../../protocol/sidecarProtocol';
import { eventSessionId, type FleetEvent, type TurnControls } from '../../protocol/types';
import {
  isWebviewToHostMessage,
  type AttachedImage,
  type DiffTarget,
  type ExportFormat,
  type HostToWebviewMessage,
  type ThemeKind,
  type WebviewToHostMessage,
} from '../../protocol/webviewProtocol';
import type { Disposable, TranscriptBackend } from './transcriptBackend';

/** The webview, as the controller sees it. `post` resolves false when the webview is gone. */
export interface WebviewPort {
  post(message: HostToWebviewMessage): PromiseLike<boolean>;
}

/** Editor-side effects (implemented with the vscode API in transcriptPanel.ts). */
export interface TranscriptUi {
  openLink(url: string, cwd: string): Promise<void>;
  openFile(path: string, cwd: string): Promise<void>;
  openDiff(target: DiffTarget, cwd: string): Promise<void>;
  copy(text: string, what: string): Promise<void>;
  save(format: ExportFormat, content: string, suggestedName: string): Promise<void>;
  pickImages(): Promise<AttachedImage[]>;
  setTitle(title: string): void;
  log(message: string): void;
  theme(): ThemeKind;
  defaults(): TurnControls | undefined;
}

type Phase = 'waitingReady' | 'loading' | 'live';

/** Global events a transcript shows (runtime trouble) besides its session's own. */
const GLOBAL_KINDS = new Set<FleetEvent['kind']>(['runtime/state']);

export class TranscriptController implements Disposable {
  private phase: Phase = 'waitingReady';
  private lastPostedSeq = 0;
  private outbox: FleetEvent[] = [];
  private posting = false;
  private buffer: FleetEvent[] = [];
  private loadGeneration = 0;
  private pendingFocus: string | undefined;
  private cwd = '';
  private title = '';
  private readonly subs: Disposable[] = [];
  private disposed = false;

  constructor(
    readonly sessionId: string,
    private readonly backend: TranscriptBackend,
    private readonly port: WebviewPort,
    private readonly ui: TranscriptUi,
  ) {
    this.subs.push(backend.onEvent((e) => this.onEvent(e)));
    this.subs.push(backend.onDidReconnect(({ gap }) => void (gap && this.phase !== 'waitingReady' ? this.loadSnapshot() : undefined)));
    void backend.subscribe(sessionId).then(
      (d) => (this.disposed ? d.dispose() : this.subs.push(d)),
      (e: unknown) => ui.log(`transcript ${sessionId}: subscribe failed: ${FleetError.from(e).message}`),
    );
  }

  /** Seq of the last event posted (what the serializer would resume from). */
  get lastSeq(): number {
    return this.lastPostedSeq;
  }

  /** Scroll to a request's card (now if the webview is live, else with the next snapshot). */
  focusRequest(requestId: string): void {
    if (this.phase === 'live') void this.port.post({ type: 'focusRequest', requestId });
    else this.pendingFocus = requestId;
  }

  /** The webview went away (hidden without retained context, or disposed): wait for a new `ready`. */
  webviewGone(): void {
    this.phase = 'waitingReady';
    this.outbox = [];
    this.buffer = [];
  }

  postTheme(theme: ThemeKind): void {
    if (this.phase === 'live') void this.port.post({ type: 'theme', theme });
  }

  async onWebviewMessage(raw: unknown): Promise<void> {
    if (!isWebviewToHostMessage(raw)) {
      this.ui.log(`transcript ${this.sessionId}: ignored a malformed webview message`);
      return;
    }
    const m: WebviewToHostMessage = raw;
    switch (m.type) {
      case 'ready':
      case 'requestSnapshot':
        return this.loadSnapshot();
      // Send and Steer (Enter) both mean "give the model this now": the sidecar decides atomically
      // whether a turn runs, so a turn that ended (or started elsewhere) a moment before the click
      // neither loses the message nor fails with "no turn running".
      case 'send':
        return this.reply(m.id, () => this.backend.request(SessionsSend, { sessionId: this.sessionId, text: m.text, images: m.images, controls: m.controls, whileRunning: 'steer' }));
      case 'steer':
        return this.reply(m.id, () => this.backend.request(SessionsSend, { sessionId: this.sessionId, text: m.text, images: m.images, whileRunning: 'steer' }));
      case 'queue':
        return this.reply(m.id, () => this.backend.request(SessionsQueue, { sessionId: this.sessionId, text: m.text, images: m.images, controls: m.controls }));
      case 'removeQueued':
        return this.reply(m.id, () => this.backend.request(SessionsQueueRemove, { sessionId: this.sessionId, queuedId: m.queuedId }));
      case 'interrupt':
        return this.reply(m.id, () => this.backend.request(SessionsInterrupt, { sessionId: this.sessionId }));
      case 'answerRequest':
        return this.reply(m.id, () => this.backend.request(RequestsAnswer, { requestId: m.requestId, answer: m.answer }));
      case 'attachImages': {
        const images = await this.ui.pickImages().catch(() => []);
        void this.port.post({ type: 'imagesPicked', replyTo: m.id, images });
        return;
      }
      case 'openDiff':
        return this.ui.openDiff(m.target, this.cwd).catch((e: unknown) => this.ui.log(`open diff failed: ${String(e)}`));
      case 'openLink':
        return this.ui.openLink(m.url, this.cwd);
      case 'openFile':
        return this.ui.openFile(m.path, this.cwd);
      case 'copy':
        return this.ui.copy(m.text, m.what);
      case 'export':
        return this.ui.save(m.format, m.content, this.title || this.sessionId);
    }
  }

  private async reply(id: number, run: () => Promise<unknown>): Promise<void> {
    let message: HostToWebviewMessage;
    try {
      await run();
      message = { type: 'result', replyTo: id, ok: true };
    } catch (e) {
      const err = FleetError.from(e);
      const alreadyResolved = err.code === ErrorCodes.AlreadyResolved || err.code === ErrorCodes.RequestNotFound;
      message = { type: 'result', replyTo: id, ok: false, message: alreadyResolved ? 'Already answered elsewhere (or expired).' : err.message, code: err.code, alreadyResolved };
    }
    await this.port.post(message);
  }

  /** Read the session and (re)start the webview from it. */
  async loadSnapshot(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.phase = 'loading';
    this.buffer = [];
    this.outbox = [];
    let result: SessionsReadResult;
    try {
      result = await this.backend.request(SessionsRead, { sessionId: this.sessionId, includeItems: true });
    } catch (e) {
      if (generation !== this.loadGeneration) return;
      this.phase = 'waitingReady';
      const message = `Could not load the session: ${FleetError.from(e).message}`;
      this.ui.log(`transcript ${this.sessionId}: ${message}`);
      void this.port.post({ type: 'error', message });
      return;
    }
    if (generation !== this.loadGeneration || this.disposed) return;
    const stamped: number | undefined = result.lastSeq; // undefined from an older sidecar
    const seq = typeof stamped === 'number' ? stamped : this.backend.lastSeq;
    this.cwd = result.session.cwd;
    this.updateTitle(result.session.name || result.session.preview || this.sessionId);
    const focusRequestId = this.pendingFocus;
    this.pendingFocus = undefined;
    this.lastPostedSeq = seq;
    this.phase = 'live';
    // Buffered events go into the outbox before anything newer can; the init is posted first
    // (webview messages keep their order), the outbox right after it.
    const buffered = this.buffer;
    this.buffer = [];
    for (const e of buffered) this.enqueue(e);
    void this.port.post({
      type: 'init',
      snapshot: { session: result.session, turns: result.turns, queue: result.queue, pending: result.pending, lastSeq: seq },
      defaults: this.ui.defaults(),
      theme: this.ui.theme(),
      focusRequestId,
    });
    this.flush();
  }

  private onEvent(e: FleetEvent): void {
    if (!GLOBAL_KINDS.has(e.kind) && eventSessionId(e) !== this.sessionId) return;
    if (e.kind === 'session/updated') {
      this.cwd = e.session.cwd;
      this.updateTitle(e.session.name || e.session.preview || this.sessionId);
    }
    if (this.phase === 'loading') this.buffer.push(e);
    else if (this.phase === 'live') {
      this.enqueue(e);
      this.flush();
    }
  }

  private enqueue(e: FleetEvent): void {
    const last = this.outbox[this.outbox.length - 1];
    const lastSeq = last ? last.seq : this.lastPostedSeq;
    if (e.seq <= lastSeq) return; // duplicate (replay after reconnect, or already in the snapshot)
    if (e.kind === 'item/delta' && last?.kind === 'item/delta' && last.itemId === e.itemId && last.turnId === e.turnId && last.stream === e.stream) {
      this.outbox[this.outbox.length - 1] = { ...last, delta: last.delta + e.delta, seq: e.seq, time: e.time };
      return;
    }
    this.outbox.push(e);
  }

  private flush(): void {
    if (this.posting || this.phase !== 'live' || this.outbox.length === 0) return;
    const events = this.outbox;
    this.outbox = [];
    const prevSeq = this.lastPostedSeq;
    this.lastPostedSeq = events[events.length - 1].seq;
    this.posting = true;
    const done = (): void => {
      this.posting = false;
      this.flush();
    };
    this.port.post({ type: 'events', prevSeq, events }).then(done, done);
  }

  private updateTitle(title: string): void {
    if (title === this.title) return;
    this.title = title;
    this.ui.setTitle(title);
  }

  dispose(): void {
    this.disposed = true;
    this.loadGeneration++;
    for (const d of this.subs.splice(0)) d.dispose();
  }
}
