import { strict as assert } from 'node:assert';
import type { FleetEventBody } from '../../../protocol/types';
import { RuntimeEvents } from '../../../server/events/runtimeEvents';
import { PendingRequests } from '../../../server/requests/pendingRequests';
import { AppServerConnection } from '../../../server/runtime/appServerConnection';
import { SessionRegistry } from '../../../server/sessions/sessionRegistry';
import { moderatedMessage } from '../../support/transcriptFixtures';
import { peer } from './wsPeer';

const BLOCKED = moderatedMessage('a2', 'SECRET', { mode: 'block', version: 1, reason: { kind: 'protection', protectionType: 'selfHarm' } });
const UNKNOWN = moderatedMessage('a1', 'first answer', { mode: 'fade', version: 2 });

describe('sidecar: moderated replies', () => {
  it("a blocked last message makes the turn's reply its label; an unknown mode is logged and kept as sent", async () => {
    const turn = { id: 'u1', items: [UNKNOWN, BLOCKED], status: 'completed', error: null };
    const p = await peer((ws, m) => {
      if (m.method !== 'thread/loaded/list') return;
      ws.send(JSON.stringify({ method: 'item/completed', params: { threadId: 't1', turnId: 'u1', item: UNKNOWN } }));
      ws.send(JSON.stringify({ method: 'item/completed', params: { threadId: 't1', turnId: 'u1', item: BLOCKED } }));
      ws.send(JSON.stringify({ method: 'turn/completed', params: { threadId: 't1', turn } }));
      ws.send(JSON.stringify({ id: m.id, result: { data: [] } }));
    });
    const warnings: string[] = [];
    const log = { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
    const emitted: FleetEventBody[] = [];
    const conn = await AppServerConnection.connect(p.path, log, 2000);
    new RuntimeEvents({
      registry: new SessionRegistry(),
      pending: new PendingRequests({ emit: (e) => emitted.push(e), audit() {}, itemLookup: () => undefined }),
      emit: (e) => emitted.push(e),
      sessionChanged() {},
      turnEnded() {},
      rateLimitsChanged() {},
      accountChanged() {},
      log,
    }).attach(conn);
    await conn.request('thread/loaded/list', {});
    const done = emitted.find((e) => e.kind === 'turn/completed');
    assert.ok(done && done.kind === 'turn/completed');
    assert.equal(done.reply, 'Response blocked (protection: selfHarm)');
    assert.deepEqual(warnings, ['session t1: agent message a1 has a moderation instruction Codex Fleet does not know (mode "fade", version 2); showing it as sent']);
    conn.close();
    await p.close();
  });
});
