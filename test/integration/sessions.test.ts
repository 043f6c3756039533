/**
 * The sidecar against the REAL pinned codex app-server and the scripted model: streaming, approvals
 * (every decision), user input, dynamic tools, interrupt, steer, queue, fork/archive, two clients.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import * as P from '../../protocol/sidecarProtocol';
import type { FleetClient } from '../../sdk/fleetClient';
import { FleetHarness, type EventLog } from '../support/fleetHarness';

const escalated = (cmd: string, justification = 'the test needs it') => ({
  type: 'functionCall' as const,
  name: 'exec_command',
  arguments: { cmd, sandbox_permissions: 'require_escalated', justification },
});

async function rejects(p: Promise<unknown>, code: number, re?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(FleetError.is(e), `expected a FleetError, got ${String(e)}`);
    assert.equal(e.code, code, `code ${e.code}: ${e.message}`);
    if (re) assert.match(e.message, re);
    return true;
  });
}

describe('sessions over the real codex app-server', function () {
  this.timeout(60_000);
  let h: FleetHarness;
  let c: FleetClient;
  let log: EventLog;

  before(async () => {
    h = await FleetHarness.create();
    c = await h.connect('it-main');
    log = h.log(c);
    await h.ready(c);
  });
  after(async () => h?.dispose());

  async function newSession(approvalPolicy: P.SessionsStartParams['approvalPolicy'] = 'on-request', extra: Partial<P.SessionsStartParams> = {}) {
    return (await c.request(P.SessionsStart, { approvalPolicy, sandbox: 'workspace-write', ...extra })).session;
  }

  it('streams a reply: deltas in order, the reply on turn/completed and from waitTurn', async () => {
    const text = 'Streaming works: one, two, three.';
    h.model.enqueue([{ type: 'message', text, chunks: ['Streaming ', 'works: one, ', 'two, ', 'three.'] }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'stream please' });
    assert.equal(sent.delivery, 'started');
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.deepEqual({ status: done.status, reply: done.reply }, { status: 'completed', reply: text });
    const completed = await log.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
    assert.equal(completed.reply, text);
    const deltas = log.of('item/delta').filter((e) => e.turnId === sent.turnId && e.stream === 'agentMessage');
    assert.equal(deltas.map((d) => d.delta).join(''), text);
    const seqs = log.events.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'events arrive in seq order');
    assert.equal(new Set(seqs).size, seqs.length, 'no event delivered twice');
    const read = await c.request(P.SessionsRead, { sessionId: s.id });
    assert.equal(read.turns.length, 1);
    assert.ok(read.turns[0].items.some((i) => i.type === 'agentMessage' && i.text === text));
    const brief = await c.request(P.SessionsRead, { sessionId: s.id, includeItems: false });
    assert.deepEqual(
      brief.turns.map((t) => [t.id, t.status, t.items.length]),
      [[read.turns[0].id, 'completed', 0]],
      'without items the turns are still listed',
    );
  });

  it('command approval: accept runs the command and the model sees its output', async () => {
    h.model.enqueue([escalated('echo approved-run')], [{ type: 'message', text: 'ran it' }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'run something' });
    const pending = await log.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    assert.equal(pending.request.kind, 'commandApproval');
    assert.ok(pending.request.kind === 'commandApproval' && pending.request.command.includes('echo approved-run'));
    assert.ok(pending.request.kind === 'commandApproval' && pending.request.reason === 'the test needs it');
    const listed = await c.request(P.RequestsList, { sessionId: s.id });
    assert.deepEqual(listed.data.map((r) => r.id), [pending.request.id]);
    await log.waitFor('session/updated', (e) => e.session.id === s.id && e.session.activity === 'waitingOnApproval');
    await c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'decision', decision: 'accept' } });
    const ended = await log.waitFor('request/ended', (e) => e.requestId === pending.request.id);
    assert.equal(ended.reason, 'answered');
    assert.equal(ended.by, 'it-main');
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.equal(done.status, 'completed');
    const followUp = await h.model.waitForRequest((r) => r.functionOutputs().some((o) => o.output.includes('approved-run')));
    assert.ok(followUp);
    const cmd = await log.waitFor('item/completed', (e) => e.sessionId === s.id && e.item.type === 'commandExecution');
    assert.ok(cmd.item.type === 'commandExecution' && cmd.item.exitCode === 0);
    const audit = await c.request(P.RequestsAudit, { limit: 10 });
    assert.ok(audit.data.some((a) => a.requestId === pending.request.id && a.by === 'it-main' && a.answer?.type === 'decision'));
  });

  it('command approval: decline — the model is told the user rejected it', async () => {
    h.model.enqueue([escalated('echo should-not-run')], [{ type: 'message', text: 'ok, not running it' }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'try a command' });
    const pending = await log.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    await c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'decision', decision: 'decline' } });
    const next = await h.model.waitForRequest((r) => r.functionOutputs().some((o) => /rejected by user/i.test(o.output)));
    assert.ok(next);
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.equal(done.status, 'completed');
  });

  it('command approval: cancel interrupts the turn', async () => {
    h.model.enqueue([escalated('echo cancelled')]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'try again' });
    const pending = await log.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    await c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'decision', decision: 'cancel' } });
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.equal(done.status, 'interrupted');
  });

  it('command approval: accept for session — the same command later in the turn is not asked again', async () => {
    h.model.enqueue([escalated('echo twice')], [escalated('echo twice')], [{ type: 'message', text: 'both ran' }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'run twice' });
    const pending = await log.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    await c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'decision', decision: 'acceptForSession' } });
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.equal(done.status, 'completed');
    assert.equal(log.of('request/pending').filter((e) => e.request.sessionId === s.id).length, 1, 'asked once');
    const runs = log.of('item/completed').filter((e) => e.sessionId === s.id && e.item.type === 'commandExecution');
    assert.equal(runs.length, 2);
  });

  it('user input (plan mode): questions reach clients and the answers reach the model', async () => {
    h.model.enqueue(
      [
        {
          type: 'functionCall',
          name: 'request_user_input',
          arguments: { questions: [{ id: 'color', header: 'Color', question: 'Which color?', options: [{ label: 'Blue', description: 'calm' }, { label: 'Red', description: 'bold' }] }] },
        },
      ],
      [{ type: 'message', text: 'Blue it is' }],
    );
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'ask me', controls: { collaborationMode: 'plan' } });
    const pending = await log.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    assert.equal(pending.request.kind, 'userInput');
    assert.ok(pending.request.kind === 'userInput');
    assert.deepEqual(pending.request.questions[0].options.map((o) => o.label), ['Blue', 'Red']);
    await rejects(c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'userInput', answers: { nope: ['x'] } } }), ErrorCodes.InvalidParams, /unknown question/);
    await c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'userInput', answers: { color: ['Blue'] } } });
    await h.model.waitForRequest((r) => r.functionOutputs().some((o) => o.output.includes('Blue')));
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.deepEqual([done.status, done.reply], ['completed', 'Blue it is']);
  });

  it('a dynamic tool call is answered by a client and the model gets the result', async () => {
    h.model.enqueue([{ type: 'functionCall', name: 'lookup_ticket', arguments: { id: 'FLEET-7' } }], [{ type: 'message', text: 'ticket found' }]);
    const s = await newSession('on-request', {
      dynamicTools: [{ type: 'function', name: 'lookup_ticket', description: 'Look up a ticket', inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }],
    } as Partial<P.SessionsStartParams>);
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'look up FLEET-7' });
    const pending = await log.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    assert.ok(pending.request.kind === 'toolCall' && pending.request.tool === 'lookup_ticket');
    assert.deepEqual(pending.request.kind === 'toolCall' && pending.request.arguments, { id: 'FLEET-7' });
    await c.request(P.RequestsAnswer, { requestId: pending.request.id, answer: { type: 'toolResult', success: true, contentItems: [{ type: 'inputText', text: 'FLEET-7: open, owner ada' }] } });
    await h.model.waitForRequest((r) => r.functionOutputs().some((o) => o.output.includes('owner ada')));
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.equal(done.status, 'completed');
    const ended = await log.waitFor('request/ended', (e) => e.requestId === pending.request.id);
    assert.equal(ended.reason, 'answered');
  });

  it('interrupt ends a running turn as interrupted', async () => {
    h.model.enqueue([{ type: 'hang' }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'take forever' });
    await h.model.waitForRequest((r) => r.hasText('take forever'));
    const r = await c.request(P.SessionsInterrupt, { sessionId: s.id });
    assert.equal(r.turnId, sent.turnId);
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.equal(done.status, 'interrupted');
    await rejects(c.request(P.SessionsInterrupt, { sessionId: s.id }), ErrorCodes.TurnState);
  });

  it('steer adds input to the running turn; queue delivers after it ends, in order, never lost', async () => {
    h.model.enqueue([{ type: 'hang' }], [{ type: 'message', text: 'steered reply' }], [{ type: 'message', text: 'first queued' }], [{ type: 'message', text: 'second queued' }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'start long work' });
    await h.model.waitForRequest((r) => r.hasText('start long work'));
    await rejects(c.request(P.SessionsSend, { sessionId: s.id, text: 'no mode' }), ErrorCodes.TurnState, /steer|queue/);
    const q1 = await c.request(P.SessionsSend, { sessionId: s.id, text: 'queued one', whileRunning: 'queue' });
    const q2 = await c.request(P.SessionsQueue, { sessionId: s.id, text: 'queued two' });
    assert.equal(q1.delivery, 'queued');
    assert.equal(q2.delivery, 'queued');
    const steered = await c.request(P.SessionsSend, { sessionId: s.id, text: 'also do this', whileRunning: 'steer' });
    assert.deepEqual([steered.delivery, steered.turnId], ['steered', sent.turnId]);
    await h.model.waitForRequest((r) => r.lastUserText() === 'also do this');
    const first = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.deepEqual([first.status, first.reply], ['completed', 'steered reply']);
    const t2 = await log.waitFor('turn/completed', (e) => e.sessionId === s.id && e.reply === 'first queued');
    const t3 = await log.waitFor('turn/completed', (e) => e.sessionId === s.id && e.reply === 'second queued');
    assert.ok(t2.seq < t3.seq);
    const reqs = h.model.requests.filter((r) => !r.isTitleRequest).map((r) => r.lastUserText());
    assert.ok(reqs.indexOf('queued one') < reqs.indexOf('queued two'));
    // A queued message leaves the queue once Codex accepted its turn (the update may trail that turn's events).
    const emptied = await log.waitFor('queue/updated', (e) => e.sessionId === s.id && e.queue.length === 0);
    assert.ok(emptied.delivered, 'the last update says which queued message became which turn');
  });

  it('a queued message can be removed before delivery', async () => {
    h.model.enqueue([{ type: 'hang' }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'hold on' });
    await h.model.waitForRequest((r) => r.hasText('hold on'));
    const q = await c.request(P.SessionsQueue, { sessionId: s.id, text: 'never mind' });
    const after = await c.request(P.SessionsQueueRemove, { sessionId: s.id, queuedId: q.queued!.id });
    assert.deepEqual(after.queue, []);
    await rejects(c.request(P.SessionsQueueRemove, { sessionId: s.id, queuedId: q.queued!.id }), ErrorCodes.RequestNotFound);
    await c.request(P.SessionsInterrupt, { sessionId: s.id });
    await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
  });

  it("lists this workspace's sessions by default and every session with scope all", async () => {
    const elsewhere = join(h.root, 'other-project');
    mkdirSync(elsewhere, { recursive: true });
    h.model.enqueue([{ type: 'message', text: 'mine' }], [{ type: 'message', text: 'theirs' }]);
    const mine = await newSession('on-request', { name: 'In the workspace' });
    const { session: theirs } = await c.request(P.SessionsStart, { cwd: elsewhere, name: 'Other project' });
    for (const s of [mine, theirs]) {
      const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'hello' });
      await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    }
    const scoped = (await c.request(P.SessionsList, {})).data.map((s) => s.id);
    assert.ok(scoped.includes(mine.id));
    assert.ok(!scoped.includes(theirs.id), 'a session of another folder is not listed by default');
    const all = (await c.request(P.SessionsList, { scope: 'all' })).data.map((s) => s.id);
    assert.ok(all.includes(mine.id) && all.includes(theirs.id));
  });

  it('fork, rename, archive and unarchive', async () => {
    h.model.enqueue([{ type: 'message', text: 'original answer' }], [{ type: 'message', text: 'forked answer' }]);
    const s = await newSession('on-request', { name: 'Original' });
    assert.equal(s.name, 'Original');
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'remember the number 42' });
    await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    const { session: fork } = await c.request(P.SessionsFork, { sessionId: s.id, name: 'Fork' });
    assert.notEqual(fork.id, s.id);
    assert.equal(fork.forkedFromId, s.id);
    const fsent = await c.request(P.SessionsSend, { sessionId: fork.id, text: 'what number?' });
    const req = await h.model.waitForRequest((r) => r.lastUserText() === 'what number?');
    assert.ok(req.hasText('remember the number 42'), 'the fork carries the parent history');
    await c.request(P.SessionsWaitTurn, { sessionId: fork.id, turnId: fsent.turnId! });
    const renamed = await c.request(P.SessionsRename, { sessionId: s.id, name: 'Renamed' });
    assert.equal(renamed.session.name, 'Renamed');
    const archived = await c.request(P.SessionsArchive, { sessionId: s.id });
    assert.equal(archived.session.archived, true);
    const active = await c.request(P.SessionsList, {});
    assert.ok(!active.data.some((x) => x.id === s.id));
    const arch = await c.request(P.SessionsList, { archived: true });
    assert.ok(arch.data.some((x) => x.id === s.id));
    const un = await c.request(P.SessionsUnarchive, { sessionId: s.id });
    assert.equal(un.session.archived, false);
  });

  it('two clients: both see the request, the first answer wins, the second is told', async () => {
    const other = await h.connect('it-second');
    const otherLog = h.log(other);
    h.model.enqueue([escalated('echo race')], [{ type: 'message', text: 'done racing' }]);
    const s = await newSession();
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'race' });
    const p1 = await log.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    const p2 = await otherLog.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    assert.equal(p1.request.id, p2.request.id);
    assert.equal(otherLog.events.filter((e) => e.kind === 'request/pending' && e.request.id === p1.request.id).length, 1, 'not duplicated');
    await other.request(P.RequestsAnswer, { requestId: p1.request.id, answer: { type: 'decision', decision: 'accept' } });
    await rejects(c.request(P.RequestsAnswer, { requestId: p1.request.id, answer: { type: 'decision', decision: 'decline' } }), ErrorCodes.AlreadyResolved, /already/);
    const ended = await log.waitFor('request/ended', (e) => e.requestId === p1.request.id);
    assert.equal(ended.by, 'it-second');
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.equal(done.status, 'completed');
    other.close();
  });

  it('bad input gets clear errors and leaves the sidecar healthy', async () => {
    await rejects(c.request(P.SessionsSend, { sessionId: '00000000-0000-7000-8000-000000000000', text: 'hi' }), ErrorCodes.SessionNotFound);
    await rejects(c.request(P.SessionsSend, { sessionId: 'no-such-session', text: 'hi' }), ErrorCodes.InvalidParams, /sessionId must be a session id/);
    await rejects(c.request(P.SessionsStart, { approvalPolicy: 'sometimes' as never }), ErrorCodes.InvalidParams, /approvalPolicy must be one of/);
    await rejects(c.request(P.SessionsStart, { sandbox: 'open' as never }), ErrorCodes.InvalidParams, /sandbox/);
    await rejects(c.request(P.RequestsAnswer, { requestId: 'req-999999', answer: { type: 'decision', decision: 'accept' } }), ErrorCodes.RequestNotFound);
    await rejects(c.request(P.SessionsRead, {} as never), ErrorCodes.InvalidParams, /sessionId/);
    await rejects(c.request(P.EventsSubscribe, { kinds: ['nope' as never] }), ErrorCodes.InvalidParams, /unknown event kind/);
    const status = await c.request(P.FleetStatusRequest);
    assert.equal(status.runtime.state, 'ready');
  });
});
