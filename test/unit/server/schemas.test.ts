/** protocol/schemas.ts: every request has a schema; wrong types are refused with short messages; nothing is coerced. */
import { strict as assert } from 'node:assert';
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import { Limits } from '../../../protocol/limits';
import { NOTIFICATION_SCHEMAS, REQUEST_SCHEMAS, TurnControlsSchema } from '../../../protocol/schemas';
import * as P from '../../../protocol/sidecarProtocol';
import { scanShape, validateParams } from '../../../protocol/validate';

const SID = '019a0000-0000-7000-8000-0000000000ab';

function check(method: string, params: unknown) {
  return validateParams(REQUEST_SCHEMAS.get(method)!, params);
}

function refused(method: string, params: unknown, re: RegExp): void {
  const r = check(method, params);
  assert.equal(r.ok, false, `${method} accepted ${JSON.stringify(params).slice(0, 100)}`);
  if (!r.ok) assert.match(r.message, re);
}

describe('protocol/schemas', () => {
  it('declares a params schema for every client → sidecar request and notification', () => {
    const server = new Set(['fleet/stopping', 'fleet/log', 'fleet/event', 'agents/output']);
    for (const v of Object.values(P)) {
      if (v instanceof RequestType || v instanceof RequestType0) assert.ok(REQUEST_SCHEMAS.has(v.method), `no schema for ${v.method}`);
      if (v instanceof NotificationType && !server.has(v.method) && v.method !== 'exit') assert.ok(NOTIFICATION_SCHEMAS.has(v.method), `no schema for ${v.method}`);
    }
  });

  it('refuses wrong types the fuzzer found, without coercion', () => {
    refused('events/subscribe', { kinds: 'turn/started' }, /kinds must be an array/);
    refused('events/subscribe', { sessionIds: SID }, /sessionIds must be an array/);
    refused('events/subscribe', { sinceSeq: 1.5 }, /sinceSeq must be an integer/);
    refused('events/subscribe', { kinds: ['nope'] }, /kinds\[0\] is an unknown event kind/);
    refused('sessions/send', { sessionId: SID, text: 'hi', images: [1] }, /images\[0\] must be a string/);
    refused('sessions/start', { cwd: 5 }, /cwd must be a string/);
    refused('agents/create', { name: 'a', worktree: 'yes' }, /worktree must be a boolean/);
    refused('sessions/pin', { sessionId: SID, pinned: 'true' }, /pinned must be a boolean/);
    refused('requests/answer', { requestId: 'req-1', answer: { type: 'decision', decision: 'maybe' } }, /answer.decision must be one of accept/);
    refused('requests/answer', { requestId: 'req-1' }, /answer must be an answer of type decision/);
    refused('account/login/start', { type: 'password' }, /type: apiKey, chatgpt or chatgptAuthTokens/);
    refused('runtime/restart', { codexPath: 123 }, /codexPath must be a string/);
    refused('agents/attach', { name: 'a', cols: 0 }, /cols must be ≥ 1/);
    refused('sessions/waitTurn', { sessionId: SID, turnId: 'x y' }, /turnId must be an id/);
    refused('fleet/status', [1], /params must be empty/);
  });

  it('bounds strings and lists', () => {
    refused('sessions/rename', { sessionId: SID, name: 'n'.repeat(Limits.maxName + 1) }, /name must be at most 256 characters/);
    refused('initialize', { processId: 1, clientInfo: { name: 'c'.repeat(Limits.maxClientName + 1) }, capabilities: {} }, /clientInfo.name must be at most 128/);
    refused('sessions/send', { sessionId: SID, text: 'hi', images: Array(Limits.maxImages + 1).fill('a.png') }, /at most 32 images/);
    refused('sessions/send', { sessionId: 's'.repeat(17 * 1024 * 1024), text: 'hi' }, /sessionId is longer than/);
  });

  it('strips unknown keys and treats null controls as unset', () => {
    const r = check('sessions/start', { model: null, approvalPolicy: 'never', worktree: true, extra: { deep: 1 } });
    assert.deepEqual(JSON.parse(JSON.stringify(r)), { ok: true, value: { approvalPolicy: 'never' } });
    assert.deepEqual(check('sessions/list', undefined), { ok: true, value: {} });
    assert.equal(validateParams(TurnControlsSchema, { effort: 'extreme' }).ok, false);
  });

  it('the shape scan is iterative and finds forbidden keys anywhere', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    assert.match(scanShape(deep)!, /nested deeper than 64 levels/);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      assert.match(scanShape(JSON.parse(`{"a":[{"${key}":1}]}`))!, new RegExp(`a\\[0\\] has the forbidden key "${key}"`));
    }
    assert.equal(scanShape({ a: [1, 'two', { three: null }] }), undefined);
  });
});
