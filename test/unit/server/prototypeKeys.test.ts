/** Keys that reach the prototype chain (__proto__, constructor, prototype) are refused wherever clients or files supply keys. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAgentConfig, fromJson } from '../../../server/agents/agentHome';
import { mergeToml, parseToml, setPath, splitDottedKey } from '../../../server/agents/toml';
import type { Logger } from '../../../server/logger';
import { FleetStateStore } from '../../../server/store/fleetState';

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function unpolluted(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.approvalPolicy, undefined);
  assert.equal(probe.x, undefined);
}

describe('prototype keys', () => {
  it('the key tokenizer splits dotted keys without building tables and refuses prototype keys', () => {
    assert.deepEqual(splitDottedKey(`a . "b.c" . 'd'`), ['a', 'b.c', 'd']);
    for (const k of ['__proto__.approvalPolicy', 'a.constructor', '"prototype"', "a.'__proto__'.b"]) assert.throws(() => splitDottedKey(k), /is not allowed/);
    for (const k of ['a = 1', 'a.', '', 'a b']) assert.throws(() => splitDottedKey(k), /TOML/);
    unpolluted();
  });

  it('TOML files, key paths, merges and client JSON cannot reach a prototype', () => {
    assert.throws(() => parseToml('[__proto__]\napprovalPolicy = 1\n'), /not allowed/);
    assert.throws(() => parseToml('a = { constructor = 1 }\n'), /not allowed/);
    assert.throws(() => parseToml('__proto__.approvalPolicy = 1\n'), /not allowed/);
    assert.throws(() => setPath({}, ['__proto__', 'x'], 1), /not allowed/);
    assert.throws(() => mergeToml({}, JSON.parse('{"__proto__":{"x":1}}') as never), /not allowed/);
    assert.throws(() => fromJson(JSON.parse('{"a":{"__proto__":{"x":1}}}')), /not allowed/);
    assert.throws(() => buildAgentConfig({}, { trustedFolders: [], hookTrust: {}, overrides: { '__proto__.approvalPolicy': 1 } }), /not allowed/);
    unpolluted();
  });

  it("the state store's session maps take any id as a plain key", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-proto-'));
    try {
      writeFileSync(join(dir, 'state.json'), '{"version":1,"sessions":{"__proto__":{"pinned":true}},"defaults":{},"queue":{"__proto__":[{"id":"q-1"}]},"nextQueuedId":2}');
      const store = new FleetStateStore(dir, quiet, () => undefined);
      assert.deepEqual(store.queueFor('__proto__'), []);
      assert.equal(store.dequeue('__proto__', 'q-1'), undefined);
      assert.deepEqual(store.sessionMeta('constructor'), {});
      assert.deepEqual(store.allQueued(), []);
      const q = store.enqueue({ sessionId: 'constructor', text: 't', images: [], queuedAt: 1, by: 't' });
      assert.deepEqual(store.queueFor('constructor'), [q]);
      assert.deepEqual(store.dequeue('constructor', q.id), q);
      unpolluted();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
