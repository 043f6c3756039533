/**
 * The sidecar's event stream: stamps each event with the next `seq` and the time, keeps the newest
 * in a ring buffer for replay, and hands them to every subscribed client stream.
 */
import type { DeltaStream, FleetEvent, FleetEventBody } from '../../protocol/types';
import { Emitter } from '../../sdk/emitter';
import { RingBuffer, type ReplayResult } from './ringBuffer';

export class EventBus {
  private seq = 0;
  private readonly ring: RingBuffer<FleetEvent>;
  private readonly emitter = new Emitter<FleetEvent>();
  readonly onEvent = this.emitter.event;

  constructor(capacity = 10_000) {
    this.ring = new RingBuffer<FleetEvent>(capacity);
  }

  get lastSeq(): number {
    return this.seq;
  }

  emit(body: FleetEventBody): FleetEvent {
    const event = { ...body, seq: ++this.seq, time: Date.now() } as FleetEvent;
    this.ring.push(event);
    this.emitter.fire(event);
    return event;
  }

  /** `emit` for a streamed delta (the hot path): the event built in one literal, no spread of a body. */
  emitDelta(sessionId: string, turnId: string, itemId: string, stream: DeltaStream, delta: string): FleetEvent {
    const event: FleetEvent = { kind: 'item/delta', sessionId, turnId, itemId, stream, delta, seq: ++this.seq, time: Date.now() };
    this.ring.push(event);
    this.emitter.fire(event);
    return event;
  }

  replay(afterSeq: number): ReplayResult<FleetEvent> {
    return this.ring.since(afterSeq);
  }
}
