/**
 * Crashes and restarts with the real codex: SIGKILL of the native app-server with an approval
 * pending, a client reconnecting and replaying by seq, a sidecar restart with a queued follow-up,
 * a killed sidecar's lock taken over, a sidecar ended by an uncaught exception replaced, and a
 * corrupt state file moved aside.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as P from '../../protocol/sidecarProtocol';
import { statePaths } from '../../sdk/stateDir';
import { FleetHarness, SIDECAR_SCRIPT } from '../support/fleetHarness';

const escalated = (cmd: string) => ({ type: 'functionCall' as const, name: 'exec_command', arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'resilience' } });

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]).finally(() => clearTimeout(timer));
}

/** Running (a zombie waiting for a reaper that isn't ours does not count). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('resilience with the real codex', function () {
  this.timeout(90_000);
  let h: FleetHarness;
  afterEach(async () => h?.dispose());

  it('SIGKILL of the native app-server mid-turn: pending request expires, turn interrupted, runtime back, next turn works', async () => {
    h = await FleetHarness.create();
    const c = await h.connect('crash');
    const log = h.log(c);
    await h.ready(c);
    h.model.enqueue([escalated('echo before-crash')]);
    const { session } = await c.request(P.SessionsStart, { approvalPolicy: 'on-request' });
    const sent = await c.request(P.SessionsSend, { sessionId: session.id, text: 'about to crash' });
    const pending = await log.waitFor('request/pending', (e) => e.request.sessionId === session.id);
    const status = await c.request(P.FleetStatusRequest);
    const pid = status.runtime.pid!;
    assert.ok(pid > 0);
    process.kill(pid, 'SIGKILL');
    const expired = await log.waitFor('request/ended', (e) => e.requestId === pending.request.id);
    assert.equal(expired.reason, 'runtimeDied');
    const interrupted = await log.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
    assert.equal(interrupted.status, 'interrupted');
    const restarting = await log.waitFor('runtime/state', (e) => e.runtime.state === 'restarting');
    assert.match(restarting.runtime.lastError ?? '', /exited|lost/);
    await log.waitFor('runtime/state', (e) => e.runtime.state === 'ready' && e.seq > restarting.seq, 30_000);
    const after = await c.request(P.FleetStatusRequest);
    assert.notEqual(after.runtime.pid, pid);
    assert.equal(after.counts.pendingRequests, 0);
    assert.ok(!alive(pid));
    // The session is reloaded; a late answer is refused clearly; the next turn works.
    await log.waitFor('session/updated', (e) => e.session.id === session.id && e.session.loaded && e.seq > restarting.seq);
    await assert.rejects(c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'decision', decision: 'accept' } }), /already|expired/);
    h.model.enqueue([{ type: 'message', text: 'back in business' }]);
    const next = await c.request(P.SessionsSend, { sessionId: session.id, text: 'still there?' });
    const done = await c.request(P.SessionsWaitTurn, { sessionId: session.id, turnId: next.turnId! });
    assert.deepEqual([done.status, done.reply], ['completed', 'back in business']);
  });

  it('a client that reconnects replays what it missed by seq, exactly once', async () => {
    h = await FleetHarness.create();
    const a = await h.connect('a');
    await h.ready(a);
    const { session } = await a.request(P.SessionsStart, {});
    const lastSeen = a.lastSeq;
    a.close();
    const b = await h.connect('b', { subscribe: false });
    h.model.enqueue([{ type: 'message', text: 'while you were away' }]);
    const sent = await b.request(P.SessionsSend, { sessionId: session.id, text: 'hello?' });
    await b.request(P.SessionsWaitTurn, { sessionId: session.id, turnId: sent.turnId! });
    const a2 = await h.connect('a-again', { subscribe: false });
    const log = h.log(a2);
    const res = await a2.subscribe({ sinceSeq: lastSeen, sessionIds: [session.id] });
    assert.equal(res.gap, false);
    assert.ok(res.replayed > 0);
    const done = await log.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
    assert.equal(done.reply, 'while you were away');
    const seqs = log.events.map((e) => e.seq);
    assert.ok(seqs.every((s) => s > lastSeen));
    assert.equal(new Set(seqs).size, seqs.length);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
  });

  it('a sidecar restart keeps the queued follow-up and delivers it; clients reattach and are told to re-read', async () => {
    h = await FleetHarness.create();
    const c = await h.connect('before');
    await h.ready(c);
    h.model.enqueue([{ type: 'hang' }]);
    const { session } = await c.request(P.SessionsStart, {});
    await c.request(P.SessionsSend, { sessionId: session.id, text: 'long task' });
    await h.model.waitForRequest((r) => r.hasText('long task'));
    const q = await c.request(P.SessionsQueue, { sessionId: session.id, text: 'after the restart' });
    assert.equal(q.delivery, 'queued');
    const oldSeq = c.lastSeq;
    const oldPid = c.status.sidecar.pid;
    await h.stopSidecar();
    h.model.enqueue([{ type: 'message', text: 'delivered after restart' }]);
    const c2 = await h.connect('after', { subscribe: false });
    assert.notEqual(c2.status.sidecar.pid, oldPid);
    const log = h.log(c2);
    const res = await c2.subscribe({ sinceSeq: oldSeq });
    assert.equal(res.gap, true, 'seqs of an earlier sidecar are reported as a gap');
    const req = await h.model.waitForRequest((r) => r.lastUserText() === 'after the restart', 30_000);
    assert.ok(req.hasText('long task'), 'the resumed session carries its history');
    await log.waitFor('turn/completed', (e) => e.sessionId === session.id && e.reply === 'delivered after restart', 30_000);
    const read = await c2.request(P.SessionsRead, { sessionId: session.id });
    assert.deepEqual(read.queue, []);
  });

  it('a killed sidecar is replaced by one that takes over its app-server: the turn and its pending approval survive', async () => {
    h = await FleetHarness.create();
    const c = await h.connect('k');
    await h.ready(c);
    h.model.enqueue([escalated('echo survived')], [{ type: 'message', text: 'survived the sidecar crash' }]);
    const { session } = await c.request(P.SessionsStart, { approvalPolicy: 'on-request' });
    const sent = await c.request(P.SessionsSend, { sessionId: session.id, text: 'crash the sidecar now' });
    await h.log(c).waitFor('request/pending', (e) => e.request.sessionId === session.id);
    const status = await c.request(P.FleetStatusRequest);
    const closed = new Promise<void>((r) => c.onClose(() => r()));
    process.kill(status.sidecar.pid, 'SIGKILL');
    await withTimeout(closed, 10_000, 'the client did not see the killed sidecar go');
    h.clients.length = 0;
    const paths = statePaths(h.workspace, h.env);
    assert.ok(existsSync(paths.lockPath), 'the stale lock is still there');
    assert.ok(alive(status.runtime.pid!), 'app-server outlives its sidecar');
    const c2 = await h.connect('k2');
    assert.notEqual(c2.status.sidecar.pid, status.sidecar.pid);
    const log2 = h.log(c2);
    await h.ready(c2);
    const again = await log2.waitFor('request/pending', (e) => e.request.sessionId === session.id);
    const st2 = await c2.request(P.FleetStatusRequest);
    assert.equal(st2.runtime.pid, status.runtime.pid, 'the same app-server, taken over');
    assert.equal(st2.sidecar.pid, c2.status.sidecar.pid);
    await c2.request(P.RequestsAnswer, { requestId: again.request.id, answer: { type: 'decision', decision: 'accept' } });
    const done = await log2.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
    assert.deepEqual([done.status, done.reply], ['completed', 'survived the sidecar crash']);
  });

  it('after a takeover, an answer with the id the client already knew is taken at once (no wait for the re-sent request)', async () => {
    h = await FleetHarness.create();
    const c = await h.connect('k');
    await h.ready(c);
    h.model.enqueue([escalated('echo answered-early')], [{ type: 'message', text: 'answered before the re-send' }]);
    const { session } = await c.request(P.SessionsStart, { approvalPolicy: 'on-request' });
    const sent = await c.request(P.SessionsSend, { sessionId: session.id, text: 'kill and answer at once' });
    const pending = await h.log(c).waitFor('request/pending', (e) => e.request.sessionId === session.id);
    const status = await c.request(P.FleetStatusRequest);
    const closed = new Promise<void>((r) => c.onClose(() => r()));
    process.kill(status.sidecar.pid, 'SIGKILL');
    await withTimeout(closed, 10_000, 'the client did not see the killed sidecar go');
    h.clients.length = 0;
    // What a click on the notification shown before the kill does: answer the known id on the new sidecar.
    const c2 = await h.connect('k2');
    const log2 = h.log(c2);
    await c2.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'decision', decision: 'accept' } });
    const done = await log2.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
    assert.deepEqual([done.status, done.reply], ['completed', 'answered before the re-send']);
    assert.deepEqual((await c2.request(P.RequestsList, {})).data, [], 'nothing left pending');
  });

  it('an uncaught exception ends the sidecar after logging it; the next one takes over the turn and its pending approval', async () => {
    h = await FleetHarness.create();
    // The test's own preload, not a product switch: a signal handler that throws, i.e. an exception
    // no code of the sidecar catches, raised asynchronously while it serves.
    const preload = join(h.root, 'throwOnSignal.cjs');
    writeFileSync(preload, "process.on('SIGUSR2', () => { throw new Error('thrown by the test preload'); });\n");
    const child = spawn(process.execPath, ['--require', preload, SIDECAR_SCRIPT, '--workspace', h.workspace], { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const [readyLine] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    assert.equal((JSON.parse(readyLine) as { ready: boolean }).ready, true);
    const c = await h.connect('u');
    assert.equal(c.status.sidecar.pid, child.pid, 'the client attached to the sidecar with the preload');
    await h.ready(c);
    h.model.enqueue([escalated('echo after the exception')], [{ type: 'message', text: 'survived the exception' }]);
    const { session } = await c.request(P.SessionsStart, { approvalPolicy: 'on-request' });
    const sent = await c.request(P.SessionsSend, { sessionId: session.id, text: 'throw in the sidecar now' });
    await h.log(c).waitFor('request/pending', (e) => e.request.sessionId === session.id);
    const status = await c.request(P.FleetStatusRequest);
    child.kill('SIGUSR2');
    assert.equal(await withTimeout(exited, 10_000, 'the sidecar did not end after the uncaught exception'), 1);
    assert.match(h.sidecarLog(), /uncaught: Error: thrown by the test preload[\s\S]*exiting/);
    h.clients.length = 0;
    assert.ok(alive(status.runtime.pid!), 'app-server outlives its sidecar');
    const c2 = await h.connect('u2');
    assert.notEqual(c2.status.sidecar.pid, child.pid);
    const log2 = h.log(c2);
    const again = await log2.waitFor('request/pending', (e) => e.request.sessionId === session.id);
    const st2 = await c2.request(P.FleetStatusRequest);
    assert.equal(st2.runtime.pid, status.runtime.pid, 'the same app-server, taken over');
    await c2.request(P.RequestsAnswer, { requestId: again.request.id, answer: { type: 'decision', decision: 'accept' } });
    const done = await log2.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
    assert.deepEqual([done.status, done.reply], ['completed', 'survived the exception']);
  });

  it('a corrupt state file is moved aside and reported, not overwritten silently', async () => {
    h = await FleetHarness.create();
    const paths = statePaths(h.workspace, h.env);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(join(paths.dir, 'state.json'), '{"version":1, "sessions": {oops');
    const c = await h.connect('corrupt');
    const warning = await h.log(c).waitFor('sidecar/warning');
    assert.match(warning.message, /moved aside/);
    assert.ok(readdirSync(paths.dir).some((f) => f.startsWith('state.json.corrupt-')));
  });
});
