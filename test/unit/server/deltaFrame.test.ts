import { strict as assert } from 'node:assert';
import { DELTA_STREAMS, DeltaFrameParser } from '../../../server/runtime/deltaFrame';
import { TRICKY } from '../../support/trickyStrings';

const ids = { threadId: '01a251a0-d0f8-74b2-a58a-a91731ae4a27', turnId: '01a251a0-d108-7780-ae65-6662c573b0b7', itemId: 'msg_a86763529e30c7796e12eb8e' };

/** A frame as app-server (serde_json) writes it. */
const frame = (method: string, params: Record<string, unknown>, emittedAtMs: number | undefined = 1796665823559): string =>
  JSON.stringify(emittedAtMs === undefined ? { method, params } : { method, params, emittedAtMs });

/** What the generic path (JSON.parse) reads from a frame. */
function viaJsonParse(text: string): { threadId: unknown; turnId: unknown; itemId: unknown; delta: unknown } {
  const p = (JSON.parse(text) as { params: Record<string, unknown> }).params;
  return { threadId: p.threadId, turnId: p.turnId, itemId: p.itemId, delta: p.delta };
}

function parsed(p: DeltaFrameParser): { threadId: string; turnId: string; itemId: string; delta: string } {
  return { threadId: p.threadId, turnId: p.turnId, itemId: p.itemId, delta: p.delta };
}

describe('delta frames (app-server deltas read without JSON.parse)', () => {
  it('reads every delta method, any text, exactly as JSON.parse does', () => {
    const p = new DeltaFrameParser();
    for (const [method, stream] of Object.entries(DELTA_STREAMS)) {
      for (const text of TRICKY) {
        for (const f of [frame(method, { ...ids, delta: text }), frame(method, { ...ids, delta: text }, undefined), frame(method, { delta: text, itemId: text || 'i', turnId: ids.turnId, threadId: ids.threadId }, 0)]) {
          assert.equal(p.parse(f), true, f);
          assert.equal(p.stream, stream);
          assert.deepEqual(parsed(p), viaJsonParse(f), f);
        }
      }
    }
  });

  it('reads escapes app-server may choose differently from JSON.stringify (\\u escapes, \\/)', () => {
    const p = new DeltaFrameParser();
    const f = `{"method":"item/agentMessage/delta","params":{"threadId":"t","turnId":"u","itemId":"i","delta":"\\u00fc\\/\\ud83d\\ude80\\u0000"},"emittedAtMs":5}`;
    assert.equal(p.parse(f), true);
    assert.deepEqual(parsed(p), viaJsonParse(f));
    assert.equal(p.delta, 'ü/🚀\u0000');
  });

  it('ignores other string fields and keeps the last of a repeated key, like JSON.parse', () => {
    const p = new DeltaFrameParser();
    const f = `{"method":"item/plan/delta","params":{"threadId":"t","extra":"x\\"y","turnId":"u","itemId":"i","delta":"a","delta":"b"}}`;
    assert.equal(p.parse(f), true);
    assert.deepEqual(parsed(p), viaJsonParse(f));
  });

  it('reads ids afresh when they change from frame to frame, escapes included', () => {
    const p = new DeltaFrameParser();
    const seq = [
      frame('item/agentMessage/delta', { ...ids, delta: 'x' }),
      frame('item/agentMessage/delta', { ...ids, itemId: 'msg_other', delta: 'y' }),
      frame('item/agentMessage/delta', { ...ids, threadId: 'a\\b', delta: 'z' }),
      // The same characters as the previous thread id, but here `\b` is an escape (a backspace).
      '{"method":"item/agentMessage/delta","params":{"threadId":"a\\b","turnId":"u","itemId":"i","delta":"w"}}',
      // A repeated key, plain then escaped: the escaped one counts, and is not taken for plain next time.
      '{"method":"item/agentMessage/delta","params":{"threadId":"t","threadId":"a\\\\b","turnId":"u","itemId":"i","delta":"w"}}',
      '{"method":"item/agentMessage/delta","params":{"threadId":"a\\b","turnId":"u","itemId":"i","delta":"w"}}',
      frame('item/agentMessage/delta', { ...ids, delta: 'v' }),
    ];
    for (const f of seq) {
      assert.equal(p.parse(f), true, f);
      assert.deepEqual(parsed(p), viaJsonParse(f), f);
    }
  });

  it('declines anything outside the compact shape, leaving it to the generic path', () => {
    const p = new DeltaFrameParser();
    const ok = frame('item/agentMessage/delta', { ...ids, delta: 'x' });
    assert.equal(p.parse(ok), true);
    const declined = [
      frame('item/completed', { ...ids, delta: 'x' }), // not a delta method
      frame('item/agentMessage/delta', { threadId: 't', turnId: 'u', delta: 'x' }), // a field missing
      frame('item/agentMessage/delta', { ...ids, delta: 'x', n: 1 }), // a non-string value
      frame('item/agentMessage/delta', { ...ids, delta: 'x', o: { a: 'b' } }), // a nested value
      JSON.stringify({ params: { ...ids, delta: 'x' }, method: 'item/agentMessage/delta' }), // method not first
      JSON.stringify({ method: 'item/agentMessage/delta', params: { ...ids, delta: 'x' } }, null, 1), // whitespace
      ok.replace('"emittedAtMs":1796665823559', '"emittedAtMs":01'), // not a JSON number
      ok.replace('"emittedAtMs":1796665823559', '"emittedAtMs":1.5'),
      ok.replace('"emittedAtMs":1796665823559', '"other":1'),
      `${ok} `, // trailing bytes
      ok.slice(0, -1), // truncated
      ok.replace('"delta":"x"', '"delta":"x\ny"'), // raw control character: invalid JSON
      ok.replace('"delta":"x"', '"delta":"x\\qy"'), // invalid escape: invalid JSON
      ok.replace('"delta":"x"', '"delta":"x\\u12"'),
      ok.replace('"delta":"x"', '"del\\u0074a":"x"'), // an escaped key
      ok.replace('"delta":"x"', '"delta":"x'), // unterminated string
      'not json at all',
      '',
    ];
    for (const f of declined) assert.equal(p.parse(f), false, f);
    // What it declines as invalid, JSON.parse rejects too (so such frames are still dropped as malformed).
    for (const f of declined.slice(11, 14)) assert.throws(() => JSON.parse(f));
  });

  it('agrees with JSON.parse on random text (fixed seed)', () => {
    const p = new DeltaFrameParser();
    let seed = 12345;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const alphabet = ['a', ' ', '"', '\\', '\n', '\u0000', 'ü', '🚀', '\ud83d', '/', 'u', '0'];
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const len = rnd(12);
      for (let j = 0; j < len; j++) text += alphabet[rnd(alphabet.length)];
      const f = frame('item/commandExecution/outputDelta', { ...ids, delta: text });
      assert.equal(p.parse(f), true);
      assert.equal(p.delta, text);
      assert.equal(p.stream, 'commandOutput');
    }
  });
});
