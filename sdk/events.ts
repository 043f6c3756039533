/**
 * The fleet's event model on the client side: every event the sidecar sends, delivered once in seq
 * order to handlers (`fleet.on(kind | prefix | predicate, handler)`) and async iterators
 * (`for await (const e of fleet.events({ sessionId }))`), with a local history so a consumer can
 * start from a `sinceSeq` it saw earlier, and gap markers when events could not be delivered.
 */
import type { FleetEvent, FleetEventKind, FleetEventOf } from '../protocol/types';
import { eventSessionId } from '../protocol/types';
import type { Disposable } from './emitter';
import { FleetClosedError } from './errors';

/**
 * Synthetic marker (never sent by the sidecar): events after `afterSeq` may be missing. `reason`:
 * `sidecarRestarted` — the fleet reconnected to a new sidecar, whose seqs start again at 1;
 * `dropped` — the sidecar's buffer no longer held them when the fleet reconnected;
 * `notBuffered` — a `sinceSeq` older than this fleet's local history. Re-read state
 * (`session.read()`, `fleet.requests.list()`) after a gap.
 */
export interface FleetGap {
  kind: 'sdk/gap';
  reason: 'sidecarRestarted' | 'dropped' | 'notBuffered';
  /** The last seq delivered before the gap (of the earlier sidecar for `sidecarRestarted`). */
  afterSeq: number;
  time: number;
}

/** What `fleet.events()` yields: the sidecar's events and, where events may be missing, a gap marker. */
export type StreamItem = FleetEvent | FleetGap;

/** Selects events: an exact kind, a prefix (`'request/'`, `'turn'`, `'*'` for all), or a predicate. */
export type EventMatcher = FleetEventKind | (string & {}) | ((e: FleetEvent) => boolean);

export type EventHandler<E extends FleetEvent = FleetEvent> = (e: E) => void | Promise<void>;

export interface StreamOptions {
  /** Only events about this session (global events such as `runtime/state` are left out). */
  sessionId?: string;
  /** Only events matching this. */
  match?: EventMatcher;
  /** Start after this seq: earlier events still in the local history are delivered first. */
  sinceSeq?: number;
  /** Ends the iteration. */
  signal?: AbortSignal;
}

export function toPredicate(m: EventMatcher): (e: FleetEvent) => boolean {
  if (typeof m === 'function') return m;
  if (m === '*' || m === '') return () => true;
  const prefix = m.endsWith('/') ? m : `${m}/`;
  return (e) => e.kind === m || e.kind.startsWith(prefix);
}

interface Listener {
  test(e: FleetEvent): boolean;
  deliver(e: StreamItem): void;
}

/** One fleet's event dispatcher. The connection feeds it; handlers and streams read from it. */
export class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly history: FleetEvent[] = [];
  /** Every event after this seq (of the current sidecar) is in {@link history}, or was dropped from its front. */
  private completeAfter: number;
  private last: number;

  constructor(
    startSeq: number,
    private readonly historySize: number,
    private readonly reportError: (e: unknown) => void,
  ) {
    this.completeAfter = startSeq;
    this.last = startSeq;
  }

  /** Highest seq delivered (of the current sidecar). */
  get lastSeq(): number {
    return this.last;
  }

  /** An event from the sidecar; duplicates (seq already delivered) are dropped. */
  push(e: FleetEvent): void {
    if (e.seq <= this.last) return;
    this.last = e.seq;
    this.history.push(e);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    for (const l of [...this.listeners]) if (l.test(e)) l.deliver(e);
  }

  /** The fleet reconnected and events may be missing: tell every stream, and restart seqs for a new sidecar. */
  gap(reason: FleetGap['reason'], newStartSeq?: number): FleetGap {
    const marker: FleetGap = { kind: 'sdk/gap', reason, afterSeq: this.last, time: Date.now() };
    if (newStartSeq !== undefined) {
      this.last = newStartSeq;
      this.completeAfter = newStartSeq;
      this.history.length = 0;
    }
    for (const l of [...this.listeners]) l.deliver(marker);
    return marker;
  }

  on<K extends FleetEventKind>(kind: K, handler: EventHandler<FleetEventOf<K>>): Disposable;
  on(matcher: EventMatcher, handler: EventHandler): Disposable;
  on(matcher: EventMatcher, handler: EventHandler<never>): Disposable {
    const test = toPredicate(matcher);
    const run = handler as EventHandler;
    const listener: Listener = {
      test,
      deliver: (e) => {
        if (e.kind === 'sdk/gap') return;
        try {
          const r = run(e);
          if (r instanceof Promise) r.catch(this.reportError);
        } catch (err) {
          this.reportError(err);
        }
      },
    };
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Resolve with the first matching event (from the local history after `sinceSeq`, or arriving
   * later); rejects with {@link FleetClosedError} when the fleet closes first.
   */
  waitFor<E extends FleetEvent>(pred: (e: FleetEvent) => e is E, sinceSeq?: number): { promise: Promise<E>; cancel(): void };
  waitFor(pred: (e: FleetEvent) => boolean, sinceSeq?: number): { promise: Promise<FleetEvent>; cancel(): void };
  waitFor(pred: (e: FleetEvent) => boolean, sinceSeq?: number): { promise: Promise<FleetEvent>; cancel(): void } {
    let listener: Listener | undefined;
    const promise = new Promise<FleetEvent>((resolve, reject) => {
      const seen = sinceSeq === undefined ? undefined : this.history.find((e) => e.seq > sinceSeq && pred(e));
      if (seen) return resolve(seen);
      const l: Listener = {
        test: pred,
        deliver: (e) => {
          if (e === END) reject(new FleetClosedError('the fleet closed while waiting for an event'));
          else if (e.kind === 'sdk/gap') return;
          else resolve(e);
          this.listeners.delete(l);
        },
      };
      listener = l;
      this.listeners.add(l);
    });
    return { promise, cancel: () => listener && this.listeners.delete(listener) };
  }

  /** An async iterator of events (and gap markers); ends on `stream.close()`, the signal, or the fleet closing. */
  stream(opts: StreamOptions = {}): EventStream {
    const match = opts.match === undefined ? () => true : toPredicate(opts.match);
    const test = (e: FleetEvent) => (opts.sessionId === undefined || eventSessionId(e) === opts.sessionId) && match(e);
    const stream = new EventStream(() => this.listeners.delete(listener), opts.signal);
    const listener: Listener = { test, deliver: (e) => stream.enqueue(e) };
    if (opts.sinceSeq !== undefined) {
      if (opts.sinceSeq < this.completeAfter || (this.history[0] && opts.sinceSeq + 1 < this.history[0].seq)) {
        stream.enqueue({ kind: 'sdk/gap', reason: 'notBuffered', afterSeq: opts.sinceSeq, time: Date.now() });
      }
      for (const e of this.history) if (e.seq > opts.sinceSeq && test(e)) stream.enqueue(e);
    }
    this.listeners.add(listener);
    return stream;
  }

  /** End every stream (the fleet closed). */
  close(): void {
    for (const l of [...this.listeners]) l.deliver(END);
    this.listeners.clear();
  }
}

/** Internal end-of-stream marker. */
const END: FleetGap = { kind: 'sdk/gap', reason: 'dropped', afterSeq: -1, time: 0 };

/** A buffered async iterator over the fleet's events. Break out of `for await`, or call `close()`, to stop. */
export class EventStream implements AsyncIterableIterator<StreamItem>, Disposable {
  private readonly buffer: StreamItem[] = [];
  private waiting: ((r: IteratorResult<StreamItem>) => void) | undefined;
  private done = false;

  constructor(
    private readonly detach: () => void,
    signal?: AbortSignal,
  ) {
    if (signal?.aborted) this.close();
    else signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  enqueue(e: StreamItem): void {
    if (this.done) return;
    if (e === END) return this.finish();
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: e, done: false });
    } else this.buffer.push(e);
  }

  next(): Promise<IteratorResult<StreamItem>> {
    const e = this.buffer.shift();
    if (e) return Promise.resolve({ value: e, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<StreamItem>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stop: buffered items are dropped and a pending `next()` ends the loop. */
  close(): void {
    this.buffer.length = 0;
    this.finish();
  }

  /** No more items arrive; what is buffered is still yielded. */
  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.detach();
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ value: undefined, done: true });
  }

  dispose(): void {
    this.close();
  }
}
