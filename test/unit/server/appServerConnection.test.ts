import { strict as assert } from 'node:assert';
import { AppServerConnection, AppServerError } from '../../../server/runtime/appServerConnection';
import { peer } from './wsPeer';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('AppServerConnection framing', () => {
  it('matches responses, surfaces errors, drops garbage and keeps going', async () => {
    const p = await peer((ws, m) => {
      if (m.method === 'thread/list') {
        ws.send('not json at all');
        ws.send('[1,2,3]');
        ws.send(JSON.stringify({ id: 999, result: {} }));
        ws.send(JSON.stringify({ method: 'thread/started', params: { thread: { id: 'x' } } }));
        ws.send(JSON.stringify({ id: m.id, result: { data: [], nextCursor: null } }));
      } else if (m.method === 'thread/read') {
        ws.send(JSON.stringify({ error: { code: -32600, message: 'Invalid request: missing field `threadId`' }, id: m.id }));
      } else if (m.method === 'turn/interrupt') {
        ws.send(JSON.stringify({ method: 'item/commandExecution/requestApproval', id: 0, params: { threadId: 't' } }));
      }
    });
    const conn = await AppServerConnection.connect(p.path, silent, 2000);
    const notes: string[] = [];
    const reqs: string[] = [];
    conn.onNotification((n) => notes.push(n.method));
    conn.onRequest((r) => reqs.push(r.method));
    const list = await conn.request('thread/list', {});
    assert.deepEqual(list, { data: [], nextCursor: null });
    assert.deepEqual(notes, ['thread/started']);
    await assert.rejects(conn.request('thread/read', { threadId: '' }), (e: unknown) => e instanceof AppServerError && e.code === -32600 && /missing field/.test(e.message));
    await assert.rejects(conn.request('thread/loaded/list', {}, 100), /did not answer thread\/loaded\/list within 100 ms/);
    void conn.request('turn/interrupt', { threadId: 't', turnId: 'u' }, 100).catch(() => undefined);
    await new Promise<void>((r) => conn.onRequest(() => r()));
    assert.deepEqual(reqs, ['item/commandExecution/requestApproval']);
    const closed = new Promise<void>((r) => conn.onClose(() => r()));
    const inflight = conn.request('thread/loaded/list', {}, 5000);
    await p.close();
    await closed;
    await assert.rejects(inflight, /went away/);
    await assert.rejects(conn.request('thread/list', {}), /closed/);
  });

  it('hands delta frames to onDelta (without JSON.parse) when it is set, and to onNotification otherwise', async () => {
    const delta = (text: string) => JSON.stringify({ method: 'item/agentMessage/delta', params: { threadId: 't', turnId: 'u', itemId: 'i', delta: text }, emittedAtMs: 1 });
    const p = await peer((ws, m) => {
      if (m.method === 'thread/list') {
        ws.send(delta('one "1"'));
        ws.send(JSON.stringify({ method: 'item/reasoning/textDelta', params: { threadId: 't', turnId: 'u', itemId: 'r', delta: 'why', extra: 1 } }));
        ws.send(JSON.stringify({ id: m.id, result: { data: [], nextCursor: null } }));
      } else if (m.method === 'thread/read') {
        ws.send(delta('two'));
        ws.send(JSON.stringify({ id: m.id, result: {} }));
      }
    });
    const conn = await AppServerConnection.connect(p.path, silent, 2000);
    const seen: string[] = [];
    conn.onNotification((n) => seen.push(`note ${n.method} ${JSON.stringify(n.params)}`));
    const sub = conn.onDelta((stream, threadId, turnId, itemId, text) => seen.push(`delta ${stream} ${threadId} ${turnId} ${itemId} ${text}`));
    await conn.request('thread/list', {});
    assert.deepEqual(seen, [
      'delta agentMessage t u i one "1"',
      // Not the compact shape (a non-string field): the generic path, as before.
      `note item/reasoning/textDelta ${JSON.stringify({ threadId: 't', turnId: 'u', itemId: 'r', delta: 'why', extra: 1 })}`,
    ]);
    sub.dispose();
    seen.length = 0;
    await conn.request('thread/read', { threadId: 't' });
    assert.deepEqual(seen, [`note item/agentMessage/delta ${JSON.stringify({ threadId: 't', turnId: 'u', itemId: 'i', delta: 'two' })}`]);
    conn.close();
    await p.close();
  });
});
