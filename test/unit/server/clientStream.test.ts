import { strict as assert } from 'node:assert';
import { ClientStream } from '../../../server/events/clientStream';
import type { FleetEvent } from '../../../protocol/types';

let seq = 0;
const delta = (itemId: string, d: string, stream: 'agentMessage' | 'commandOutput' = 'agentMessage'): FleetEvent => ({
  seq: ++seq,
  time: 0,
  kind: 'item/delta',
  sessionId: 's1',
  turnId: 't1',
  itemId,
  stream,
  delta: d,
});

/** A fake connection whose writes complete only when the test says so. */
function manualSink() {
  const sent: FleetEvent[] = [];
  const writes: number[] = [];
  const pending: Array<() => void> = [];
  const send = (events: readonly FleetEvent[], done: () => void) => {
    sent.push(...events);
    writes.push(events.length);
    pending.push(done);
  };
  const completeAll = async () => {
    while (pending.length) {
      pending.shift()!();
      await Promise.resolve();
      await Promise.resolve();
    }
  };
  return { sent, writes, send, completeAll };
}

describe('ClientStream (delta coalescing without a timer)', () => {
  beforeEach(() => (seq = 0));

  it('sends at once when the connection is idle', () => {
    const sink = manualSink();
    const s = new ClientStream({}, sink.send);
    s.push(delta('a', 'x'));
    assert.equal(sink.sent.length, 1);
  });

  it('merges deltas of the same item only while a write is in flight, losing and reordering nothing', async () => {
    const sink = manualSink();
    const s = new ClientStream({}, sink.send);
    const all = [delta('a', 'He'), delta('a', 'll'), delta('a', 'o '), delta('b', '$ ls', 'commandOutput'), delta('a', 'wor'), delta('a', 'ld')];
    for (const e of all) s.push(e);
    assert.equal(sink.sent.length, 1, 'only the first went out; the rest wait for the write');
    await sink.completeAll();
    const text = (id: string) => sink.sent.filter((e) => e.kind === 'item/delta' && e.itemId === id).map((e) => (e.kind === 'item/delta' ? e.delta : '')).join('');
    assert.equal(text('a'), 'Hello world');
    assert.equal(text('b'), '$ ls');
    assert.deepEqual(sink.sent.map((e) => e.seq), [1, 3, 4, 6], 'merged events carry the newest seq; order kept');
    assert.equal(s.merged, 2);
  });

  it('sends what queued during a write in one write, and reports drained after it', async () => {
    const sink = manualSink();
    const s = new ClientStream({}, sink.send);
    s.push(delta('a', '1'));
    s.push(delta('b', '2'));
    s.push({ seq: ++seq, time: 0, kind: 'sidecar/warning', message: 'w' });
    s.push(delta('a', '3'));
    let drained = false;
    void s.drained().then(() => (drained = true));
    await sink.completeAll();
    assert.deepEqual(sink.writes, [1, 3], 'the first at once, the three queued meanwhile in one write');
    assert.equal(drained, true);
  });

  it('applies session and kind filters; global events pass a session filter', () => {
    const sink = manualSink();
    const s = new ClientStream({ sessionIds: new Set(['other']) }, sink.send);
    s.push(delta('a', 'x'));
    s.push({ seq: ++seq, time: 0, kind: 'sidecar/warning', message: 'w' });
    assert.deepEqual(sink.sent.map((e) => e.kind), ['sidecar/warning']);
  });

  it('never delivers an event twice (replay then live)', async () => {
    const sink = manualSink();
    const s = new ClientStream({}, sink.send);
    const e1 = delta('a', '1');
    const e2 = delta('b', '2');
    s.replay([e1, e2]);
    s.push(e2);
    await sink.completeAll();
    assert.deepEqual(sink.sent.map((e) => e.seq), [1, 2]);
  });
});
