/**
 * The `--json` contract (docs/cli.md): every list prints `{"data": [...]}`, and every failure prints one
 * error document `{"error": {code, name, message}}` on stdout (nothing on stderr) with the exit code.
 */
import { strict as assert } from 'node:assert';
import type { Command } from '../../../cli/args';
import { COMMANDS } from '../../../cli/commands';
import { ExitCode } from '../../../cli/context';
import { ErrorCodes, FleetError } from '../../../protocol/errors';
import { AgentsList, AgentsTranscript, RequestsList, SessionsList, SessionsSend, SessionsWaitTurn } from '../../../protocol/sidecarProtocol';
import type { AgentSummary, PendingRequest } from '../../../protocol/types';
import { SidecarLaunchError } from '../../../sdk/launcher';
import { FakeFleet, NOW, run, session } from './fakeFleet';

const agent: AgentSummary = {
  name: 'fixer',
  kind: 'tui',
  state: 'RUNNING',
  cwd: '/ws',
  createdAt: NOW,
  updatedAt: NOW,
} as AgentSummary;

const approval = {
  id: 'req-1',
  sessionId: 's1',
  kind: 'commandApproval',
  command: 'ls',
  cwd: '/ws',
  createdAt: NOW,
} as PendingRequest;
const question = {
  id: 'req-2',
  sessionId: 's1',
  kind: 'userInput',
  questions: [{ id: 'q', question: 'Which?', options: [] }],
  createdAt: NOW,
} as unknown as PendingRequest;

function listingFleet(): FakeFleet {
  return new FakeFleet()
    .on(SessionsList, () => ({ data: [session()] }))
    .on(AgentsList, () => ({ data: [agent] }))
    .on(RequestsList, () => ({ data: [approval, question] }))
    .on(AgentsTranscript, () => ({ entries: [{ type: 'user_message', content: 'hi' }], next: 1 }));
}

/** Every leaf command called `list` (so a new one is held to the contract too), plus the other lists. */
function listCommands(): string[][] {
  const paths: string[][] = [];
  for (const e of COMMANDS) {
    const leaves: Command[] = e.kind === 'group' ? e.commands : [e];
    for (const c of leaves) if (c.name === 'list') paths.push(e.kind === 'group' ? [e.name, c.name] : [c.name]);
  }
  return [...paths, ['agents', 'transcript', 'fixer']];
}

function onlyDocument(r: { out: string; err: string }): unknown {
  assert.equal(r.err, '', 'nothing on stderr under --json');
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${r.out}`);
  return JSON.parse(lines[0]!);
}

describe('cli --json contract', () => {
  it('every list prints {"data": [...]}', async () => {
    const paths = listCommands();
    assert.deepEqual(paths.map((p) => p.join(' ')).sort(), ['agents list', 'agents transcript fixer', 'approvals list', 'input list', 'sessions list']);
    for (const path of paths) {
      const r = await run([...path, '--json'], listingFleet());
      assert.equal(r.code, 0, `${path.join(' ')}: ${r.err}`);
      const doc = JSON.parse(r.out) as { data?: unknown };
      assert.ok(Array.isArray(doc.data), `${path.join(' ')} --json has a data array: ${r.out}`);
      assert.equal(doc.data.length > 0, true, path.join(' '));
    }
    const approvals = JSON.parse((await run(['approvals', 'list', '--json'], listingFleet())).out) as { data: PendingRequest[] };
    assert.deepEqual(approvals.data.map((x) => x.id), ['req-1']);
    const questions = JSON.parse((await run(['input', 'list', '--json'], listingFleet())).out) as { data: PendingRequest[] };
    assert.deepEqual(questions.data.map((x) => x.id), ['req-2']);
    const transcript = JSON.parse((await run(['agents', 'transcript', 'fixer', '--json'], listingFleet())).out) as { next: number };
    assert.equal(transcript.next, 1);
  });

  it('a sidecar error is one error document with its code and name, exit 1', async () => {
    const fake = new FakeFleet().on(SessionsSend, () => {
      throw new FleetError(ErrorCodes.SessionNotFound, 'no session nope');
    });
    const r = await run(['sessions', 'send', 'nope', 'hi', '--json'], fake);
    assert.equal(r.code, ExitCode.Error);
    const doc = onlyDocument(r) as { error: { code: number; name: string; message: string } };
    assert.deepEqual(Object.keys(doc), ['error']);
    assert.equal(doc.error.code, -32001);
    assert.equal(doc.error.name, 'SessionNotFound');
    assert.match(doc.error.message, /^no session nope; see `codex-fleet sessions list`/);
  });

  it('a usage error is InvalidParams, exit 2, even before the command is known', async () => {
    for (const argv of [['--json', 'sessions', 'nope'], ['sessions', 'show', '--json'], ['sessions', 'list', '--limit', '0', '--json']]) {
      const r = await run(argv);
      assert.equal(r.code, ExitCode.Usage, argv.join(' '));
      const doc = onlyDocument(r) as { error: { code: number; name: string } };
      assert.deepEqual([doc.error.code, doc.error.name], [-32602, 'InvalidParams'], argv.join(' '));
    }
  });

  it('an unreachable sidecar is RuntimeUnavailable, exit 4', async () => {
    const r = await run(['sessions', 'list', '--json'], new FakeFleet(), {
      deps: {
        connect: async () => {
          throw new SidecarLaunchError('sidecar exited with code 1 before it was ready', 'Error: EACCES');
        },
      },
    });
    assert.equal(r.code, ExitCode.SidecarUnavailable);
    const doc = onlyDocument(r) as { error: { name: string; message: string } };
    assert.equal(doc.error.name, 'RuntimeUnavailable');
    assert.match(doc.error.message, /could not start the sidecar/);
  });

  it('a failed turn under --wait is the result document (status failed), exit 3, with no error document', async () => {
    const fake = new FakeFleet()
      .on(SessionsSend, () => ({ delivery: 'started', turnId: 't1' }))
      .on(SessionsWaitTurn, () => ({ turnId: 't1', status: 'failed', reply: '', error: 'model overloaded' }));
    const r = await run(['sessions', 'send', 's1', 'hi', '--wait', '--json'], fake);
    assert.equal(r.code, ExitCode.TurnFailed);
    assert.equal(r.err, '');
    assert.deepEqual(JSON.parse(r.out), { turnId: 't1', status: 'failed', reply: '', error: 'model overloaded' });
  });

  it('without --json the error stays one stderr line', async () => {
    const r = await run(['sessions', 'nope']);
    assert.equal(r.out, '');
    assert.match(r.err, /^codex-fleet: unknown sessions command 'nope'.*\n$/);
  });

  it('sends a message that begins with a dash as text', async () => {
    const fake = new FakeFleet().on(SessionsSend, () => ({ delivery: 'started', turnId: 't1' }));
    const r = await run(['sessions', 'send', 's1', '- fix the bug'], fake);
    assert.equal(r.code, 0, r.err);
    assert.equal((fake.paramsOf(SessionsSend)[0] as { text: string }).text, '- fix the bug');
  });
});
