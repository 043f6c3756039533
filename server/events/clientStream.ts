/**
 * Delivers the event stream to one client: applies its filter, sends each event at once while the
 * connection keeps up, and only while a write to it is still in flight merges consecutive streaming
 * deltas of the same item (never reordering, never dropping a character). No timer: an idle
 * connection gets every delta immediately, so coalescing adds no latency.
 */
import { eventSessionId, type FleetEvent, type FleetEventKind } from '../../protocol/types';

export interface StreamFilter {
  sessionIds?: ReadonlySet<string>;
  kinds?: ReadonlySet<FleetEventKind>;
}

export type SendFn = (event: FleetEvent) => Promise<void>;

export function matches(filter: StreamFilter, e: FleetEvent): boolean {
  if (filter.kinds && !filter.kinds.has(e.kind)) return false;
  if (filter.sessionIds) {
    const sid = eventSessionId(e);
    if (sid !== undefined && !filter.sessionIds.has(sid)) return false;
  }
  return true;
}

export class ClientStream {
  private pending: FleetEvent[] = [];
  private inFlight = 0;
  private closed = false;
  /** Highest seq handed to the connection (replay and live never overlap). */
  private sentSeq = 0;
  /** Deltas merged into an earlier message (for diagnostics and benchmarks). */
  merged = 0;

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
      if (this.inFlight === 0 && this.pending.length === 0) this.write(e);
      else this.pending.push(e);
      n++;
    }
    return n;
  }

  /** Resolves once everything queued so far was handed to the connection. */
  drained(): Promise<void> {
    if (this.closed || (this.inFlight === 0 && this.pending.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private drainWaiters: Array<() => void> = [];

  push(e: FleetEvent): void {
    if (this.closed || e.seq <= this.sentSeq || !matches(this.filter, e)) return;
    this.sentSeq = e.seq;
    if (this.inFlight === 0 && this.pending.length === 0) {
      this.write(e);
      return;
    }
    const last = this.pending[this.pending.length - 1];
    if (
      last &&
      last.kind === 'item/delta' &&
      e.kind === 'item/delta' &&
      last.itemId === e.itemId &&
      last.stream === e.stream &&
      last.turnId === e.turnId
    ) {
      // Merge into the queued delta: it takes the newer seq, so seq order is preserved.
      this.pending[this.pending.length - 1] = { ...last, delta: last.delta + e.delta, seq: e.seq, time: e.time };
      this.merged++;
      return;
    }
    this.pending.push(e);
  }

  private write(e: FleetEvent): void {
    this.inFlight++;
    this.send(e).then(
      () => {
        this.inFlight--;
        if (this.inFlight === 0) this.flush();
      },
      (err) => {
        this.inFlight--;
        this.onError(err);
        if (this.inFlight === 0) this.flush();
      },
    );
  }

  private flush(): void {
    if (this.closed || this.pending.length === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      waiters.forEach((w) => w());
      return;
    }
    const batch = this.pending;
    this.pending = [];
    for (const e of batch) this.write(e);
  }

  close(): void {
    this.closed = true;
    this.pending = [];
    this.flush();
  }
}
