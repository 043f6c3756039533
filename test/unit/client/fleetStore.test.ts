import * as assert from 'node:assert/strict';
import { FleetStore, type RequestEnded, type StoreChange } from '../../../client/state/fleetStore';
import type { PendingRequest } from '../../../protocol/types';
import { commandRequest, event, inputRequest, session } from './fixtures';

function recorder(store: FleetStore) {
  const changes: StoreChange[] = [];
  const added: PendingRequest[] = [];
  const ended: RequestEnded[] = [];
  store.onDidChange((c) => changes.push(c));
  store.onDidAddRequest((r) => added.push(r));
  store.onDidEndRequest((e) => ended.push(e));
  return { changes, added, ended };
}

describe('client/fleetStore', () => {
  it('builds sessions from snapshots and keeps archived and active halves apart', () => {
    const store = new FleetStore('/ws', 'ws');
    store.setSessions([session('a'), session('b')], false);
    store.setSessions([session('z', { archived: true })], true);
    store.setSessions([session('a')], false);
    assert.deepEqual([...store.sessions.keys()].sort(), ['a', 'z']);
    store.dropArchived();
    assert.deepEqual([...store.sessions.keys()], ['a']);
  });

  it('applies session, turn and queue events', () => {
    const store = new FleetStore('/ws', 'ws');
    store.setSessions([session('a')], false);
    store.applyEvent(event({ kind: 'turn/started', sessionId: 'a', turnId: 't1' }));
    assert.equal(store.sessions.get('a')?.activity, 'running');
    assert.equal(store.runningCount(), 1);
    store.applyEvent(event({ kind: 'queue/updated', sessionId: 'a', queue: [{ id: 'q1', sessionId: 'a', text: 'next', images: [], queuedAt: 1, by: 'cli' }] }));
    assert.equal(store.sessions.get('a')?.queued, 1);
    store.applyEvent(event({ kind: 'turn/completed', sessionId: 'a', turnId: 't1', status: 'failed' }));
    assert.equal(store.sessions.get('a')?.activity, 'systemError');
    assert.equal(store.sessions.get('a')?.activeTurnId, undefined);
    store.applyEvent(event({ kind: 'session/updated', session: session('b', { activity: 'running' }) }));
    assert.equal(store.runningCount(), 1, 'a failed, b runs');
    // Events about unknown sessions are ignored, not invented.
    store.applyEvent(event({ kind: 'turn/started', sessionId: 'ghost', turnId: 't9' }));
    assert.equal(store.sessions.has('ghost'), false);
  });

  it('announces each new request once, from events or later snapshots, never the first snapshot', () => {
    const store = new FleetStore('/ws', 'ws');
    const rec = recorder(store);
    store.setRequests([commandRequest('req-1', 'a')]);
    assert.equal(rec.added.length, 0, 'what was pending at connect is not news');
    store.applyEvent(event({ kind: 'request/pending', request: commandRequest('req-2', 'a') }));
    store.applyEvent(event({ kind: 'request/pending', request: commandRequest('req-2', 'a') }));
    // After a reconnect, a snapshot lists one more: news; one fewer: ended.
    store.setRequests([commandRequest('req-2', 'a'), inputRequest('req-3', 'b')]);
    assert.deepEqual(rec.added.map((r) => r.id), ['req-2', 'req-3']);
    assert.deepEqual(rec.ended.map((e) => [e.requestId, e.reason]), [['req-1', 'gone']]);
    store.applyEvent(event({ kind: 'request/ended', requestId: 'req-2', sessionId: 'a', reason: 'answered', by: 'codex-fleet-cli' }));
    assert.equal(rec.ended[1].by, 'codex-fleet-cli');
    assert.equal(rec.ended[1].request?.kind, 'commandApproval');
    assert.deepEqual([...store.sessionsWithPending()], ['b']);
  });

  it('tracks runtime, auth, rate limits, usage and the connection', () => {
    const store = new FleetStore('/ws', 'ws');
    const rec = recorder(store);
    store.applyEvent(event({ kind: 'runtime/state', runtime: { state: 'failed', codexPath: '/x/codex', codexSource: 'setting', restarts: 3, lastError: 'spawn /x/codex ENOENT' } }));
    assert.equal(store.codexMissing(), true);
    store.applyEvent(event({ kind: 'account/updated', auth: { apiKeyEnv: false, authFile: false, codexHome: '/h', account: { type: 'none' } } }));
    assert.equal(store.needsSignIn(), false, 'unknown until the runtime says a login is required');
    store.applyEvent(event({ kind: 'account/updated', auth: { apiKeyEnv: false, authFile: false, codexHome: '/h', account: { type: 'none' }, requiresOpenaiAuth: true } }));
    assert.equal(store.needsSignIn(), true);
    store.applyEvent(event({ kind: 'account/updated', auth: { apiKeyEnv: false, authFile: false, codexHome: '/h', requiresOpenaiAuth: false } }));
    assert.equal(store.needsSignIn(), false, 'a custom provider needs no OpenAI login');
    store.applyEvent(event({ kind: 'rateLimits/updated', rateLimits: { primary: { usedPercent: 3 } } }));
    assert.equal(store.rateLimits?.primary?.usedPercent, 3);
    store.setConnection('reconnecting');
    store.setConnection('reconnecting');
    assert.equal(rec.changes.filter((c) => c.connection).length, 1, 'no change, no event');
  });

  it('ignores stream events (deltas, items) without firing changes', () => {
    const store = new FleetStore('/ws', 'ws');
    const rec = recorder(store);
    store.applyEvent(event({ kind: 'item/delta', sessionId: 'a', turnId: 't', itemId: 'i', stream: 'agentMessage', delta: 'hi' }));
    assert.equal(rec.changes.length, 0);
  });
});
