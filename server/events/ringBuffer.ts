/** A bounded buffer of the newest events, addressable by their (consecutive) seq. */
export interface Sequenced {
  seq: number;
}

export interface ReplayResult<T> {
  events: T[];
  /** Events after the requested seq were already dropped. */
  gap: boolean;
  oldestSeq: number;
}

export class RingBuffer<T extends Sequenced> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get oldestSeq(): number {
    return this.count === 0 ? 0 : this.items[this.start]!.seq;
  }

  get newestSeq(): number {
    return this.count === 0 ? 0 : this.items[(this.start + this.count - 1) % this.capacity]!.seq;
  }

  push(item: T): void {
    if (this.count > 0 && item.seq !== this.newestSeq + 1) throw new Error(`seq ${item.seq} does not follow ${this.newestSeq}`);
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Everything with seq > `afterSeq`, oldest first. */
  since(afterSeq: number): ReplayResult<T> {
    const oldest = this.oldestSeq;
    if (this.count === 0) return { events: [], gap: false, oldestSeq: 0 };
    const gap = afterSeq + 1 < oldest;
    const from = gap ? 0 : Math.max(0, afterSeq + 1 - oldest);
    const events: T[] = [];
    for (let i = from; i < this.count; i++) events.push(this.items[(this.start + i) % this.capacity]!);
    return { events, gap, oldestSeq: oldest };
  }
}
