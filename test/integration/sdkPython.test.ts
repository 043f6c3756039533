/**
 * The Python SDK (sdk/python) against a real sidecar, the REAL pinned codex and the scripted model: each
 * test scripts the model, runs one scenario of sdk/python/tests/scenarios/ (or an example of
 * examples/python/) as a subprocess with the harness's environment, and checks its result and what the
 * model received. The first scenario finds no sidecar and starts one through the CLI.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { demoReply } from '../../demo/demoModel';
import { CLI_SCRIPT, FleetHarness, ROOT } from '../support/fleetHarness';

const SCENARIOS = join(ROOT, 'sdk', 'python', 'tests', 'scenarios', 'scenarios.py');
const PYTHON = process.env.PYTHON ?? 'python3';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Array<Record<string, unknown>>;
}

const call = (name: string, args: unknown, callId?: string) => ({ type: 'functionCall' as const, name, arguments: args, callId });
const escalated = (cmd: string) => call('exec_command', { cmd, sandbox_permissions: 'require_escalated', justification: 'the Python SDK test needs it' });

describe('Python SDK (real sidecar, real codex)', function () {
  this.timeout(90_000);
  let h: FleetHarness;
  const running = new Set<ChildProcess>();

  before(async () => {
    h = await FleetHarness.create();
  });
  after(async () => {
    for (const child of running) child.kill('SIGKILL');
    await h?.dispose();
  });

  function env(): NodeJS.ProcessEnv {
    return { ...h.env, FLEET_WORKSPACE: h.workspace, CODEX_FLEET_CLI: CLI_SCRIPT, PYTHONPATH: join(ROOT, 'sdk', 'python'), PYTHONUNBUFFERED: '1' };
  }

  function start(args: string[], onLine?: (line: Record<string, unknown>) => void): { child: ChildProcess; done: Promise<Run> } {
    const child = spawn(PYTHON, args, { env: env(), cwd: h.workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    const lines: Array<Record<string, unknown>> = [];
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      partial += d;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) {
        if (!p.startsWith('{')) continue;
        const line = JSON.parse(p) as Record<string, unknown>;
        lines.push(line);
        onLine?.(line);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const done = new Promise<Run>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => {
        running.delete(child);
        resolve({ code, stdout, stderr, lines });
      });
    });
    return { child, done };
  }

  /** Run a scenario to completion and return its result object (asserting exit code 0). */
  async function scenario(name: string): Promise<Record<string, unknown>> {
    const r = await start([SCENARIOS, name]).done;
    assert.equal(r.code, 0, `scenario ${name} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    const last = r.lines[r.lines.length - 1];
    assert.ok(last && 'result' in last, `scenario ${name} printed no result: ${r.stdout}`);
    return last.result as Record<string, unknown>;
  }

  const outputsWith = (s: string) => h.model.requests.flatMap((r) => r.functionOutputs()).filter((o) => o.output.includes(s));

  it('send_and_wait starts the sidecar through the CLI and returns the reply', async () => {
    h.model.enqueue([{ type: 'message', text: 'A tiny repository with one README.' }]);
    const r = await scenario('send-and-wait');
    assert.equal(r.started, true, 'no sidecar ran: the SDK started one');
    assert.deepEqual([r.status, r.reply], ['completed', 'A tiny repository with one README.']);
    assert.match(String(r.turnId), /\S/);
    assert.deepEqual(r.kinds, ['turn/started', 'turn/completed'], 'fleet.events() collected the turn from the call on');
    assert.equal(r.listed, true);
    assert.equal(r.name, 'renamed by python');
  });

  it('a failed turn raises TurnFailedError with the turn and its error', async () => {
    h.model.enqueue([{ type: 'fail', status: 400, message: 'the scripted model refuses' }]);
    const r = await scenario('failed-turn');
    assert.equal(r.raised, 'TurnFailedError');
    assert.equal(r.status, 'failed');
    assert.match(String(r.turnId), /\S/);
  });

  it('an interrupted turn raises TurnInterruptedError', async () => {
    h.model.enqueue([{ type: 'message', text: 'working on it' }, { type: 'hang' }]);
    const r = await scenario('interrupted-turn');
    assert.deepEqual([r.raised, r.status, r.sameTurn], ['TurnInterruptedError', 'interrupted', true]);
  });

  it('event handlers by kind, prefix and predicate; replay after a reconnect and from a seq', async () => {
    h.model.enqueue([{ type: 'message', text: 'first' }], [{ type: 'message', text: 'second' }]);
    const r = await scenario('events-replay');
    const turns = r.turns as string[];
    assert.deepEqual(r.completedTurns, turns, 'both turns completed on A, the second one replayed');
    assert.deepEqual(r.kinds, ['turn/completed', 'turn/started']);
    assert.equal(r.ordered, true);
    assert.equal(r.unique, true, 'no event delivered twice across the reconnect');
    assert.ok((r.byKind as number) >= 2 && (r.byPredicate as number) >= 2);
    const reconnect = r.reconnect as { replayed: number; gap: boolean };
    assert.ok(reconnect.replayed > 0, 'the events of the missed turn were replayed');
    assert.equal(reconnect.gap, false);
    assert.deepEqual(r.lateReplay, turns, 'a late client replays both turns from a seq');
    assert.equal((r.auto as { gap: boolean }).gap, false);
    assert.equal(r.afterAuto, true);
  });

  it('approvals answered from a handler', async () => {
    h.model.enqueue([escalated('echo approved-by-python')], [{ type: 'message', text: 'ran it' }]);
    const r = await scenario('approval-handler');
    assert.deepEqual(r.answered, ['commandApproval']);
    assert.equal(r.reply, 'ran it');
    assert.deepEqual([r.by, r.outcome], ['py-approver', 'answered']);
    assert.ok(outputsWith('approved-by-python').length > 0, 'the command ran and the model saw its output');
  });

  it('first answer wins against a second client', async () => {
    h.model.enqueue([escalated('echo first-answer')], [{ type: 'message', text: 'done' }]);
    const r = await scenario('first-answer-wins');
    assert.deepEqual(r.outcomes, ['AlreadyResolvedError', 'won']);
    assert.equal(r.late, 'AlreadyResolvedError');
    assert.equal(r.status, 'completed');
  });

  it('a remote skill called three times in one turn, arguments validated (a bad call gets success:false)', async () => {
    h.model.enqueue(
      [
        call('file_ticket', { ticket: { title: 'Flaky test', points: 3, labels: ['ci'] }, priority: 1 }, 'c1'),
        call('file_ticket', { ticket: { title: 'No points' }, priority: 'high' }, 'c2'),
        call('file_ticket', { ticket: { title: 'Docs', points: 1 } }, 'c3'),
      ],
      [{ type: 'message', text: 'filed two, one was invalid' }],
    );
    const r = await scenario('skill-three-calls');
    assert.equal(r.reply, 'filed two, one was invalid');
    assert.deepEqual(r.types, ['Ticket'], 'arguments arrive as the annotated dataclass');
    const calls = r.calls as Array<{ title: string }>;
    assert.deepEqual(calls.map((c) => c.title).sort(), ['Docs', 'Flaky test']);
    const outputs = new Map(h.model.requests.flatMap((q) => q.functionOutputs()).map((o) => [o.callId, o.output]));
    assert.match(outputs.get('c1') ?? '', /filed T-\d 'Flaky test' \(3 pts, p1, labels ci\)/);
    assert.match(outputs.get('c3') ?? '', /filed T-\d 'Docs' \(1 pts, p3, labels -\)/);
    assert.match(outputs.get('c2') ?? '', /invalid arguments for file_ticket: .*missing required property 'points'/);
    assert.match(outputs.get('c2') ?? '', /\$\.priority: expected integer, got "high"/);
    const tools = h.model.requests.find((q) => q.toolNames.includes('file_ticket'));
    assert.ok(tools, 'the skill was offered to the model as a tool');
  });

  it('a skill that throws is answered success:false with the error', async () => {
    h.model.enqueue([call('explode', { reason: 'testing' }, 'boom-1')], [{ type: 'message', text: 'it exploded' }]);
    const r = await scenario('skill-throws');
    assert.equal(r.reply, 'it exploded');
    assert.ok(outputsWith('explode failed: ValueError: boom: testing').length > 0);
  });

  it('a skill call that times out is answered success:false', async () => {
    h.model.enqueue([call('slow_lookup', { key: 'k' }, 'slow-1')], [{ type: 'message', text: 'gave up' }]);
    const r = await scenario('skill-timeout');
    assert.equal(r.reply, 'gave up');
    assert.ok(outputsWith('slow_lookup timed out after 0.5 s').length > 0);
  });

  it('two skills in two processes on one session: each answers its own', async () => {
    h.model.enqueue([call('alpha_tool', { n: 21 }, 'a-1'), call('beta_tool', { word: 'fleet' }, 'b-1')], [{ type: 'message', text: 'both answered' }]);
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const beta = start([SCENARIOS, 'serve-beta'], (line) => line.ready === true && ready());
    await Promise.race([isReady, beta.done.then((r) => assert.fail(`serve-beta exited early: ${r.stderr}`))]);
    const a = await scenario('two-process-a');
    const b = await beta.done;
    assert.equal(b.code, 0, b.stderr);
    assert.equal(a.reply, 'both answered');
    assert.equal(a.answered, 1, 'process A answered only alpha');
    assert.deepEqual((b.lines[b.lines.length - 1]?.result as { answered: number }).answered, 1);
    const [alphaOut] = outputsWith('alpha:42:pid');
    const [betaOut] = outputsWith('beta:FLEET:pid');
    assert.ok(alphaOut && betaOut, 'both calls were answered');
    assert.notEqual(/pid(\d+)/.exec(alphaOut.output)?.[1], /pid(\d+)/.exec(betaOut.output)?.[1], 'by two processes');
  });

  it('polling drain answers pending calls without a stream handler', async () => {
    h.model.enqueue([call('file_ticket', { ticket: { title: 'Polled', points: 2 } }, 'p-1')], [{ type: 'message', text: 'polled ok' }]);
    const r = await scenario('drain-mode');
    assert.deepEqual([r.answered, r.again, r.reply, r.calls], [1, 0, 'polled ok', 1]);
  });

  it('AsyncCodexFleet: send_and_wait, an async event iterator and an async skill', async () => {
    h.model.enqueue([{ type: 'message', text: 'async ok' }], [call('async_echo', { text: 'hi', times: 3 }, 'ae-1')], [{ type: 'message', text: 'async skill ok' }]);
    const r = await scenario('async-api');
    assert.equal(r.reply, 'async ok');
    assert.deepEqual(r.kinds, ['turn/started', 'turn/completed']);
    assert.equal(r.skillReply, 'async skill ok');
    assert.ok(outputsWith('hi hi hi').length > 0);
  });

  it('a killed sidecar: the SDK starts a new one, reconnects and reports the gap', async () => {
    h.model.enqueue([{ type: 'message', text: 'after restart ok' }]);
    const r = await scenario('gap-after-sidecar-restart');
    assert.deepEqual([r.gap, r.newSidecar, r.reply], [true, true, 'after restart ok']);
  });

  describe('examples/python against the offline demo model', () => {
    before(() => h.model.setHandler(demoReply));
    after(() => h.model.setHandler(undefined));

    async function example(file: string): Promise<Run> {
      const r = await start([join(ROOT, 'examples', 'python', file), '--workspace', h.workspace]).done;
      assert.equal(r.code, 0, `${file} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      return r;
    }

    it('summarise_repository.py', async () => {
      const r = await example('summarise_repository.py');
      assert.match(r.stdout, /offline demo model/);
    });

    it('approval_worker.py accepts its session approvals while the turn runs', async () => {
      const r = await example('approval_worker.py');
      assert.match(r.stdout, /accepted commandApproval: .*node --test/);
      assert.match(r.stdout, /ran: .*node --test.* \(exit 0\)/);
      assert.match(r.stdout, /The command finished/);
    });

    it('backlog_skill.py: the model calls the skill several times with structured arguments', async () => {
      const r = await example('backlog_skill.py');
      const filed = r.stdout.split('\n').filter((l) => l.startsWith('filed '));
      assert.ok(filed.length >= 3, `three backlog items filed, got: ${r.stdout}`);
    });
  });
});
