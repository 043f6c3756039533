import { strict as assert } from 'node:assert';
import { RingBuffer } from '../../../server/events/ringBuffer';
import { EventBus } from '../../../server/events/eventBus';

const ev = (seq: number) => ({ seq });

describe('RingBuffer', () => {
  it('replays everything after a seq, oldest first', () => {
    const r = new RingBuffer<{ seq: number }>(5);
    for (let i = 1; i <= 4; i++) r.push(ev(i));
    assert.deepEqual(r.since(2), { events: [ev(3), ev(4)], gap: false, oldestSeq: 1 });
    assert.deepEqual(r.since(4).events, []);
    assert.deepEqual(r.since(0).events.map((e) => e.seq), [1, 2, 3, 4]);
  });

  it('reports a gap once the requested events were dropped, and returns what it has', () => {
    const r = new RingBuffer<{ seq: number }>(3);
    for (let i = 1; i <= 10; i++) r.push(ev(i));
    assert.equal(r.size, 3);
    assert.equal(r.oldestSeq, 8);
    assert.deepEqual(r.since(7), { events: [ev(8), ev(9), ev(10)], gap: false, oldestSeq: 8 });
    const res = r.since(5);
    assert.equal(res.gap, true);
    assert.deepEqual(res.events.map((e) => e.seq), [8, 9, 10]);
  });

  it('refuses non-consecutive seqs and bad capacities', () => {
    const r = new RingBuffer<{ seq: number }>(2);
    r.push(ev(1));
    assert.throws(() => r.push(ev(3)));
    assert.throws(() => new RingBuffer(0));
  });

  it('the event bus numbers events from 1 and keeps the newest', () => {
    const bus = new EventBus(2);
    const seen: number[] = [];
    bus.onEvent((e) => seen.push(e.seq));
    for (let i = 0; i < 3; i++) bus.emit({ kind: 'sidecar/warning', message: `w${i}` });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(bus.lastSeq, 3);
    const replay = bus.replay(0);
    assert.equal(replay.gap, true);
    assert.deepEqual(replay.events.map((e) => e.seq), [2, 3]);
  });

  it("emitDelta makes the same event as emit's item/delta, key order included, numbered and kept alike", () => {
    const a = new EventBus(4);
    const b = new EventBus(4);
    const viaEmit = a.emit({ kind: 'item/delta', sessionId: 's', turnId: 't', itemId: 'i', stream: 'reasoning', delta: 'd "q"' });
    const viaDelta = b.emitDelta('s', 't', 'i', 'reasoning', 'd "q"');
    assert.deepEqual(Object.keys(viaDelta), Object.keys(viaEmit));
    assert.deepEqual({ ...viaDelta, time: 0 }, { ...viaEmit, time: 0 });
    assert.deepEqual(b.replay(0).events, [viaDelta]);
  });
});
