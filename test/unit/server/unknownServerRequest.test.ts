import { strict as assert } from 'node:assert';
import type { WebSocket } from 'ws';
import type { FleetEventBody } from '../../../protocol/types';
import { RuntimeEvents } from '../../../server/events/runtimeEvents';
import { PendingRequests } from '../../../server/requests/pendingRequests';
import { AppServerConnection } from '../../../server/runtime/appServerConnection';
import { SessionRegistry } from '../../../server/sessions/sessionRegistry';
import { peer } from './wsPeer';

interface Frame {
  id?: string | number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

function recordingLog() {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, log: { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** A peer (app-server's framing) that, when the client sends `trigger`, sends it `requests` and collects the answers. */
async function askingPeer(requests: Frame[]) {
  const answers = new Map<string | number, Frame>();
  let allAnswered!: () => void;
  const done = new Promise<void>((r) => (allAnswered = r));
  const p = await peer((ws: WebSocket, raw) => {
    const m = raw as Frame;
    if (m.method === 'thread/loaded/list') {
      for (const r of requests) ws.send(JSON.stringify(r));
      ws.send(JSON.stringify({ id: m.id, result: { data: [] } }));
    } else if (m.method === undefined && m.id !== undefined) {
      answers.set(m.id, m);
      if (answers.size === requests.length) allAnswered();
    }
  });
  return { ...p, answers, done };
}

describe('server requests app-server sends that Codex Fleet does not handle', () => {
  it('an unknown method, unreadable params, and the 0.169-only currentTime/read each get an answer', async () => {
    const p = await askingPeer([
      { id: 'a', method: 'thread/search/somethingNew', params: { q: 'x' } },
      { id: 'b', method: 'item/commandExecution/requestApproval', params: null },
      { id: 'c', method: 'currentTime/read', params: {} },
    ]);
    const { lines, log } = recordingLog();
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
    await p.done;
    assert.equal(p.answers.get('a')?.error?.code, -32601);
    assert.match(p.answers.get('a')?.error?.message ?? '', /does not support thread\/search\/somethingNew/);
    assert.equal(p.answers.get('b')?.error?.code, -32603);
    assert.match(p.answers.get('b')?.error?.message ?? '', /could not handle item\/commandExecution\/requestApproval/);
    assert.equal(typeof (p.answers.get('c')?.result as { currentTimeAt?: unknown } | undefined)?.currentTimeAt, 'number');
    assert.ok(lines.some((l) => /^warn app-server asked thread\/search\/somethingNew, which Codex Fleet does not handle; declined/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^error failed to handle app-server request item\/commandExecution\/requestApproval/.test(l)), lines.join('\n'));
    assert.deepEqual(emitted, [], 'nothing reaches clients');
    conn.close();
    await p.close();
  });

  it('a request before anyone listens (during initialize) is declined, not left waiting', async () => {
    const p = await askingPeer([{ id: 7, method: 'account/chatgptAuthTokens/refresh', params: {} }]);
    const { lines, log } = recordingLog();
    const conn = await AppServerConnection.connect(p.path, log, 2000);
    await conn.request('thread/loaded/list', {});
    await p.done;
    assert.equal(p.answers.get(7)?.error?.code, -32601);
    assert.ok(lines.some((l) => /asked account\/chatgptAuthTokens\/refresh before Codex Fleet was ready; declined/.test(l)), lines.join('\n'));
    conn.close();
    await p.close();
  });
});
