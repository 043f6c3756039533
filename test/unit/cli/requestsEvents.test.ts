import { strict as assert } from 'node:assert';
import { parseAnswers } from '../../../cli/commands/input';
import { RequestsAnswer, RequestsList } from '../../../protocol/sidecarProtocol';
import type { FleetEvent, PendingRequest, UserInputRequest } from '../../../protocol/types';
import { UsageError } from '../../../cli/args';
import { FakeFleet, NOW, run, session } from './fakeFleet';

const S = session().id;

const commandReq: PendingRequest = {
  id: 'req-1',
  kind: 'commandApproval',
  sessionId: S,
  turnId: 't1',
  createdAt: NOW - 30_000,
  method: 'item/commandExecution/requestApproval',
  command: "/bin/bash -lc 'touch x'",
  cwd: '/ws',
  reason: 'needs to write outside the sandbox',
  decisions: ['accept', 'cancel'],
};
const questionReq: UserInputRequest = {
  id: 'req-2',
  kind: 'userInput',
  sessionId: S,
  createdAt: NOW - 5_000,
  method: 'item/tool/requestUserInput',
  questions: [
    { id: 'scope', header: 'Scope', question: 'Which part?', options: [{ label: 'backend' }, { label: 'frontend' }], allowOther: true, secret: false },
    { id: 'tests', header: 'Tests', question: 'Run tests?', options: [], allowOther: true, secret: false },
  ],
};
const elicitReq: PendingRequest = {
  id: 'req-3',
  kind: 'elicitation',
  sessionId: S,
  createdAt: NOW,
  method: 'mcpServer/elicitation/request',
  serverName: 'docs',
  message: 'Open the page?',
  mode: 'url',
  url: 'https://example.com',
};

function withRequests(...data: PendingRequest[]): FakeFleet {
  return new FakeFleet().on(RequestsList, () => ({ data })).on(RequestsAnswer, (p) => ({ requestId: (p as { requestId: string }).requestId }));
}

describe('cli approvals / input', () => {
  it('approvals list --json prints only approvals, as {data: PendingRequest[]}', async () => {
    const r = await run(['approvals', 'list', '--json', '--session', S], withRequests(commandReq, questionReq, elicitReq));
    assert.equal(r.code, 0, r.err);
    const list = (JSON.parse(r.out) as { data: PendingRequest[] }).data;
    assert.deepEqual(list.map((x) => x.id), ['req-1', 'req-3']);
    assert.equal((list[0] as { command: string }).command, commandReq.kind === 'commandApproval' ? commandReq.command : '');
    assert.deepEqual(r.fake.paramsOf(RequestsList)[0], { sessionId: S });
  });

  it('approvals list shows the command, cwd, reason and how to decide', async () => {
    const r = await run(['approvals', 'list'], withRequests(commandReq));
    assert.match(r.out, /^req-1 {2}command {2}session \S+ {2}30s ago$/m);
    assert.match(r.out, /^ {2}\$ \/bin\/bash -lc 'touch x'$/m);
    assert.match(r.out, /^ {2}reason +needs to write outside the sandbox$/m);
    assert.match(r.out, /codex-fleet approvals decide req-1 accept\|accept-for-session\|decline\|cancel/);
  });

  it('approvals decide maps the decision to the request kind', async () => {
    const fake = withRequests(commandReq, elicitReq);
    const a = await run(['approvals', 'decide', 'req-1', 'accept-for-session'], fake);
    assert.equal(a.code, 0, a.err);
    const fake2 = withRequests(commandReq, elicitReq);
    await run(['approvals', 'decide', 'req-3', 'decline'], fake2);
    assert.deepEqual(fake.paramsOf(RequestsAnswer)[0], { requestId: 'req-1', answer: { type: 'decision', decision: 'acceptForSession' } });
    assert.deepEqual(fake2.paramsOf(RequestsAnswer)[0], { requestId: 'req-3', answer: { type: 'elicitation', action: 'decline' } });
  });

  it('approvals decide points user-input requests to `input answer`', async () => {
    const r = await run(['approvals', 'decide', 'req-2', 'accept'], withRequests(questionReq));
    assert.equal(r.code, 2);
    assert.match(r.err, /^codex-fleet: req-2 asks for user input: answer it with `codex-fleet input answer req-2/);
  });

  it('input answer groups repeated answers per question', async () => {
    const fake = withRequests(questionReq);
    const r = await run(['input', 'answer', 'req-2', '--answer', 'scope=backend', '--answer', 'scope=frontend', '--answer', 'tests=a=b', '--json'], fake);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(fake.paramsOf(RequestsAnswer)[0], {
      requestId: 'req-2',
      answer: { type: 'userInput', answers: { scope: ['backend', 'frontend'], tests: ['a=b'] } },
    });
    assert.deepEqual(JSON.parse(r.out).answers.scope, ['backend', 'frontend']);
  });

  it('input answer rejects unknown question ids and a missing --answer', async () => {
    const r = await run(['input', 'answer', 'req-2', '--answer', 'color=red'], withRequests(questionReq));
    assert.equal(r.code, 2);
    assert.match(r.err, /req-2 has no question 'color' \(questions: scope, tests\)/);
    const none = await run(['input', 'answer', 'req-2']);
    assert.equal(none.code, 2);
    assert.match(none.err, /give at least one --answer/);
  });

  it('parseAnswers accepts bare text for a single question', () => {
    const single: UserInputRequest = { ...questionReq, questions: [questionReq.questions[0]!] };
    assert.deepEqual(parseAnswers(['backend=ish'], single), { scope: ['backend=ish'] });
    assert.deepEqual(parseAnswers(['x=y'], undefined), { x: ['y'] });
    assert.throws(() => parseAnswers(['plain'], undefined), UsageError);
  });

  it('input list shows questions with options and an answer example', async () => {
    const r = await run(['input', 'list'], withRequests(commandReq, questionReq));
    assert.match(r.out, /\[scope\] Scope: Which part\?/);
    assert.match(r.out, /- backend/);
    assert.match(r.out, /codex-fleet input answer req-2 --answer scope=\.\.\. --answer tests=\.\.\./);
  });
});

describe('cli events', () => {
  function withHistory(): FakeFleet {
    const fake = new FakeFleet();
    fake.record({ kind: 'turn/started', sessionId: S, turnId: 't1' });
    fake.record({ kind: 'item/delta', sessionId: S, turnId: 't1', itemId: 'm1', stream: 'agentMessage', delta: 'Hel' });
    fake.record({ kind: 'item/delta', sessionId: S, turnId: 't1', itemId: 'm1', stream: 'agentMessage', delta: 'lo' });
    fake.record({ kind: 'turn/completed', sessionId: S, turnId: 't1', status: 'completed', reply: 'Hello' });
    return fake;
  }

  it('replays buffered events as JSON lines and exits', async () => {
    const r = await run(['events', '--since', '1', '--json', '--session', S, '--kind', 'item/delta', '--kind', 'turn/completed'], withHistory());
    assert.equal(r.code, 0, r.err);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as FleetEvent);
    assert.deepEqual(events.map((e) => e.seq), [2, 3, 4]);
    assert.deepEqual(r.fake.subscriptions[0], { sessionIds: [S], kinds: ['item/delta', 'turn/completed'], sinceSeq: 1 });
  });

  it('replays everything by default, merging deltas in human output', async () => {
    const r = await run(['events'], withHistory());
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /^ {3}2-3 item\/delta +\S+ agentMessage "Hello"$/);
    assert.equal(r.fake.subscriptions[0]!.sinceSeq, 0);
  });

  it('--follow prints live events until the sidecar goes away (exit 4)', async () => {
    const fake = new FakeFleet();
    const ac = new AbortController();
    const done = run(['events', '--follow', '--json'], fake, { signal: ac.signal });
    await new Promise<void>((resolve) => setImmediate(resolve));
    fake.emit({ kind: 'sidecar/warning', message: 'one' });
    fake.emit({ kind: 'sidecar/warning', message: 'two' });
    fake.drop();
    const r = await done;
    assert.equal(r.code, 4);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { message?: string; error?: { name: string; message: string } });
    assert.deepEqual(lines.slice(0, 2).map((l) => l.message), ['one', 'two']);
    // Under --json the failure is the stream's last line, an error document.
    assert.equal(lines.length, 3);
    assert.equal(lines[2]!.error?.name, 'RuntimeUnavailable');
    assert.match(lines[2]!.error?.message ?? '', /^the sidecar went away/);
    assert.equal(r.err, '');
    assert.equal(fake.subscriptions[0]!.sinceSeq, undefined);
  });

  it('--follow ends cleanly on Ctrl-C, flushing merged deltas', async () => {
    const fake = new FakeFleet();
    const ac = new AbortController();
    const done = run(['events', '--follow'], fake, { signal: ac.signal });
    await new Promise<void>((resolve) => setImmediate(resolve));
    fake.emit({ kind: 'item/delta', sessionId: S, turnId: 't1', itemId: 'm1', stream: 'agentMessage', delta: 'partial' });
    ac.abort();
    const r = await done;
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /item\/delta +\S+ agentMessage "partial"/);
  });
});
