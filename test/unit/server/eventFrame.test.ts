import { strict as assert } from 'node:assert';
import { EventFrames, eventMessageJson, lspFrame } from '../../../server/events/eventFrame';
import { ClientStream } from '../../../server/events/clientStream';
import type { DeltaStream, FleetEvent } from '../../../protocol/types';
import { TRICKY } from '../../support/trickyStrings';

/** What vscode-jsonrpc's sendNotification(EventNotification, e) wrote before the splice. */
const viaJsonRpc = (e: FleetEvent): string => JSON.stringify({ jsonrpc: '2.0', method: 'fleet/event', params: e });

const STREAMS: DeltaStream[] = ['agentMessage', 'reasoningSummary', 'reasoning', 'commandOutput', 'fileChangeOutput', 'plan'];

const delta = (over: Partial<Extract<FleetEvent, { kind: 'item/delta' }>> = {}): FleetEvent => ({
  kind: 'item/delta',
  sessionId: '01a251a0-d0f8-74b2-a58a-a91731ae4a27',
  turnId: '01a251a0-d108-7780-ae65-6662c573b0b7',
  itemId: 'msg_a86763529e30c7796e12eb8e',
  stream: 'agentMessage',
  delta: 'word ',
  seq: 42,
  time: 1796665823559,
  ...over,
});

describe('event frames (the serialised fleet/event notification)', () => {
  it('a delta of every stream, with any text, is byte-identical to what vscode-jsonrpc wrote', () => {
    for (const stream of STREAMS) {
      for (const text of TRICKY) {
        const e = delta({ stream, delta: text, itemId: `item ${text}`, sessionId: text || 's', seq: 7, time: 0 });
        assert.equal(eventMessageJson(e), viaJsonRpc(e), `${stream}: ${JSON.stringify(text)}`);
        assert.deepEqual(JSON.parse(eventMessageJson(e)).params, e);
      }
    }
  });

  it('deltas of an unexpected shape take the generic path, with the same bytes', () => {
    const extraKey = { ...delta(), extra: 1 } as unknown as FleetEvent;
    const reordered = { seq: 1, time: 2, kind: 'item/delta', sessionId: 's', turnId: 't', itemId: 'i', stream: 'plan', delta: 'd' } as FleetEvent;
    const fractionalTime = delta({ time: 1.5 });
    const missing = { ...delta(), turnId: undefined } as unknown as FleetEvent;
    for (const e of [extraKey, reordered, fractionalTime, missing]) assert.equal(eventMessageJson(e), viaJsonRpc(e));
  });

  it('every other event kind is serialised as before', () => {
    const events: FleetEvent[] = [
      { kind: 'turn/started', sessionId: 's', turnId: 't', seq: 1, time: 3 },
      { kind: 'turn/completed', sessionId: 's', turnId: 't', status: 'completed', reply: TRICKY.join('|'), seq: 2, time: 3 },
      { kind: 'sidecar/warning', message: 'a "warning" \\ 🚀', seq: 3, time: 3 },
    ];
    for (const e of events) assert.equal(eventMessageJson(e), viaJsonRpc(e));
  });

  it('a merged delta (copied and extended by a client stream) serialises like the same object did', () => {
    const written: FleetEvent[] = [];
    let done: (() => void) | undefined;
    const s = new ClientStream({}, (events, cb) => {
      written.push(...events);
      done = cb;
    });
    const parts = ['a "', '\\b', '🚀', '\n', 'ü'];
    const originals = parts.map((d, i) => delta({ delta: d, seq: i + 1 }));
    for (const e of originals) s.push(e);
    done?.();
    assert.equal(written.length, 2);
    const merged = written[1]!;
    assert.equal(eventMessageJson(merged), viaJsonRpc(merged));
    assert.deepEqual(JSON.parse(eventMessageJson(merged)).params, { ...delta(), delta: parts.slice(1).join(''), seq: 5 });
    assert.deepEqual(originals.map((e) => (e.kind === 'item/delta' ? e.delta : '')), parts, "the bus's events (in the ring) are not changed by merging");
  });

  it('frames carry the UTF-8 byte length, and an event is serialised once for all clients', () => {
    const json = eventMessageJson(delta({ delta: 'ü🚀' }));
    const frame = lspFrame(json);
    assert.equal(frame, `Content-Length: ${Buffer.from(json, 'utf8').length}\r\n\r\n${json}`);
    const frames = new EventFrames();
    const a = delta({ seq: 1 });
    const b = delta({ seq: 2 });
    assert.equal(frames.frame(a), lspFrame(viaJsonRpc(a)));
    assert.equal(frames.frame(a), frames.frame(a));
    assert.equal(frames.frame(b), lspFrame(viaJsonRpc(b)));
    assert.equal(frames.frame(a), lspFrame(viaJsonRpc(a)));
  });
});
