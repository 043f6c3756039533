import { strict as assert } from 'node:assert';
import type { FleetEvent } from '../../../protocol/types';
import { FleetClosedError } from '../../../sdk/errors';
import { EventHub, toPredicate, type StreamItem } from '../../../sdk/events';

const turn = (seq: number, sessionId = 's1'): FleetEvent => ({ seq, time: 0, kind: 'turn/started', sessionId, turnId: `t${seq}` });
const pending = (seq: number): FleetEvent => ({ seq, time: 0, kind: 'sidecar/warning', message: `w${seq}` });

function hub(start = 0, size = 100): { hub: EventHub; errors: unknown[] } {
  const errors: unknown[] = [];
  return { hub: new EventHub(start, size, (e) => errors.push(e)), errors };
}

async function take(it: AsyncIterator<StreamItem>, n: number): Promise<StreamItem[]> {
  const out: StreamItem[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('sdk EventHub', () => {
  it('matches an exact kind, a prefix (with or without the slash), * and a predicate', () => {
    const e = turn(1);
    assert.ok(toPredicate('turn/started')(e));
    assert.ok(toPredicate('turn/')(e));
    assert.ok(toPredicate('turn')(e));
    assert.ok(toPredicate('*')(e));
    assert.ok(!toPredicate('tur')(e), 'a prefix is a whole area, not any string start');
    assert.ok(!toPredicate('turn/completed')(e));
    assert.ok(toPredicate((x) => x.seq === 1)(e));
  });

  it('delivers each seq once, in order, and drops what it already delivered', () => {
    const { hub: h } = hub();
    const seen: number[] = [];
    h.on('*', (e) => void seen.push(e.seq));
    for (const s of [1, 2, 2, 1, 3]) h.push(turn(s));
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(h.lastSeq, 3);
  });

  it('reports handler throws and rejections, and keeps delivering', async () => {
    const { hub: h, errors } = hub();
    let after = 0;
    h.on('turn/started', () => {
      throw new Error('sync boom');
    });
    h.on('turn/started', () => Promise.reject(new Error('async boom')));
    h.on('turn/started', () => void after++);
    h.push(turn(1));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(errors.map((e) => (e as Error).message).sort(), ['async boom', 'sync boom']);
    assert.equal(after, 1);
  });

  it('a stream from a sinceSeq replays the local history, then live events, filtered by session', async () => {
    const { hub: h } = hub();
    h.push(turn(1));
    h.push(turn(2, 'other'));
    h.push(turn(3));
    const stream = h.stream({ sessionId: 's1', sinceSeq: 1 });
    h.push(turn(4));
    h.push(pending(5)); // global: not about s1
    const got = await take(stream, 2);
    stream.close();
    assert.deepEqual(got.map((e) => e.kind === 'sdk/gap' ? -1 : e.seq), [3, 4]);
  });

  it('a sinceSeq older than the local history starts with a notBuffered gap marker', async () => {
    const { hub: h } = hub(10, 2);
    for (const s of [11, 12, 13]) h.push(turn(s));
    const older = await take(h.stream({ sinceSeq: 5 }), 3);
    assert.deepEqual(older.map((e) => e.kind === 'sdk/gap' ? e.reason : e.seq), ['notBuffered', 12, 13]);
    const dropped = await take(h.stream({ sinceSeq: 10 }), 1);
    assert.equal(dropped[0]?.kind, 'sdk/gap', 'seq 11 fell out of a 2-event history');
    const fine = await take(h.stream({ sinceSeq: 11 }), 2);
    assert.deepEqual(fine.map((e) => e.kind === 'sdk/gap' ? -1 : e.seq), [12, 13]);
  });

  it('a gap for a restarted sidecar reaches streams and restarts seqs', async () => {
    const { hub: h } = hub();
    h.push(turn(7));
    const stream = h.stream();
    const marker = h.gap('sidecarRestarted', 0);
    assert.deepEqual([marker.reason, marker.afterSeq, h.lastSeq], ['sidecarRestarted', 7, 0]);
    h.push(turn(1));
    const got = await take(stream, 2);
    assert.deepEqual(got.map((e) => e.kind === 'sdk/gap' ? e.reason : e.seq), ['sidecarRestarted', 1]);
  });

  it('closing ends streams after what they buffered, and rejects waits', async () => {
    const { hub: h } = hub();
    const stream = h.stream();
    const wait = h.waitFor((e) => e.kind === 'turn/completed');
    h.push(turn(1));
    h.close();
    assert.deepEqual((await take(stream, 5)).map((e) => e.kind), ['turn/started']);
    await assert.rejects(wait.promise, FleetClosedError);
  });

  it('waitFor finds an event already in the history after sinceSeq, or the next one', async () => {
    const { hub: h } = hub();
    h.push(turn(1));
    assert.equal((await h.waitFor((e) => e.kind === 'turn/started', 0).promise).seq, 1);
    const next = h.waitFor((e) => e.kind === 'turn/started');
    h.push(turn(2));
    assert.equal((await next.promise).seq, 2);
  });

  it('a stream ends on its abort signal, and break in for-await detaches it', async () => {
    const { hub: h } = hub();
    const ac = new AbortController();
    const stream = h.stream({ signal: ac.signal });
    const pendingNext = stream.next();
    ac.abort();
    assert.deepEqual(await pendingNext, { value: undefined, done: true });
    const seen: number[] = [];
    h.push(turn(1));
    h.push(turn(2));
    for await (const e of h.stream({ sinceSeq: 0 })) {
      seen.push(e.kind === 'sdk/gap' ? -1 : e.seq);
      if (seen.length === 1) break;
    }
    assert.deepEqual(seen, [1]);
  });
});
