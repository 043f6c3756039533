/**
 * Delivers the event stream to one client: applies its filter, sends each event at once while the
 * connection keeps up, and only while a write to it is still in flight merges consecutive streaming
 * deltas of the same item (never reordering, never dropping a character). No timer: an idle
 * connection gets every delta immediately, so coalescing adds no latency.
 */
import { eventSessionId, type FleetEvent, type FleetEventKind, type FleetEventOf } from '../../protocol/types';

export interface StreamFilter {
  sessionIds?: ReadonlySet<string>;
  kinds?: ReadonlySet<FleetEventKind>;
}

/**
 * Hands events (in order) to the connection in one write and calls `done` once written. The array
 * is reused by the stream: read it before returning, do not keep it.
 */
export type SendFn = (events: readonly FleetEvent[], done: (err?: unknown) => void) => void;

export function matches(filter: StreamFilter, e: FleetEvent): boolean {
  if (filter.kinds && !filter.kinds.has(e.kind)) return false;
  if (filter.sessionIds) {
    const sid = eventSessionId(e);
    if (sid !== undefined && !filter.sessionIds.has(sid)) return false;
  }
  return true;
}

export class ClientStream {
  /** Events waiting for the write in flight; swapped with `spare` at each flush (no array per write). */
  private pending: FleetEvent[] = [];
  private spare: FleetEvent[] = [];
  /** The one-event batch of an immediate write. */
  private readonly single: FleetEvent[] = [];
  /** A merged delta this stream made (not the bus's event), which later deltas may extend in place. */
  private mergedTail: FleetEventOf<'item/delta'> | undefined;
  private inFlight = false;
  private closed = false;
  /** Highest seq handed to the connection (replay and live never overlap). */
  private sentSeq = 0;
  /** Deltas merged into an earlier message (for diagnostics and benchmarks). */
  merged = 0;
  private drainWaiters: Array<() => void> = [];

  constructor(
    private filter: StreamFilter,
    private readonly send: SendFn,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  setFilter(filter: StreamFilter): void {
    this.filter = filter;
  }

  /**
   * Send replayed events first, one message each (never merged, so `replayed` counts what arrives);
   * live events with seq ≤ the last replayed are then skipped.
   */
  replay(events: FleetEvent[]): number {
    let n = 0;
    for (const e of events) {
      if (e.seq <= this.sentSeq) continue;
      this.sentSeq = e.seq;
      if (!matches(this.filter, e)) continue;
      if (!this.inFlight && this.pending.length === 0) this.writeOne(e);
      else {
        this.pending.push(e);
        this.mergedTail = undefined;
      }
      n++;
    }
    return n;
  }

  /** Resolves once everything queued so far was handed to the connection. */
  drained(): Promise<void> {
    if (this.closed || (!this.inFlight && this.pending.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  push(e: FleetEvent): void {
    if (this.closed || e.seq <= this.sentSeq || !matches(this.filter, e)) return;
    this.sentSeq = e.seq;
    if (!this.inFlight && this.pending.length === 0) {
      this.writeOne(e);
      return;
    }
    const n = this.pending.length;
    const last = n > 0 ? this.pending[n - 1] : undefined;
    if (
      last &&
      last.kind === 'item/delta' &&
      e.kind === 'item/delta' &&
      last.itemId === e.itemId &&
      last.stream === e.stream &&
      last.turnId === e.turnId
    ) {
      // Merge into the queued delta: it takes the newer seq, so seq order is preserved. The bus's
      // event (also in the ring, maybe queued for other clients) is copied once, then extended.
      if (last === this.mergedTail) {
        last.delta += e.delta;
        last.seq = e.seq;
        last.time = e.time;
      } else {
        this.mergedTail = { ...last, delta: last.delta + e.delta, seq: e.seq, time: e.time };
        this.pending[n - 1] = this.mergedTail;
      }
      this.merged++;
      return;
    }
    this.pending.push(e);
    this.mergedTail = undefined;
  }

  private writeOne(e: FleetEvent): void {
    this.single[0] = e;
    this.inFlight = true;
    this.send(this.single, this.written);
  }

  /** The connection took the last write: send what queued meanwhile, in one write. */
  private readonly written = (err?: unknown): void => {
    this.inFlight = false;
    if (err) this.onError(err);
    this.flush();
  };

  private flush(): void {
    if (this.closed || this.pending.length === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      waiters.forEach((w) => w());
      return;
    }
    const batch = this.pending;
    this.pending = this.spare;
    this.spare = batch;
    this.mergedTail = undefined;
    this.inFlight = true;
    this.send(batch, this.written);
    batch.length = 0;
  }

  close(): void {
    this.closed = true;
    this.pending.length = 0;
    this.mergedTail = undefined;
    this.flush();
  }
}
