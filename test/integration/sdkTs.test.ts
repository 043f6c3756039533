/**
 * The TypeScript SDK (`codex-fleet/sdk`) against the real sidecar, the real codex and the scripted
 * model: send-and-wait and its typed errors, event handlers and replay across a reconnect,
 * approvals from a handler, first answer wins, and remote skills (validated, concurrent, throwing,
 * timing out, two processes serving one session).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as P from '../../protocol/sidecarProtocol';
import type { DynamicToolSpec } from '../../protocol/types';
import { CodexFleet, ErrorCodes, FleetError, SkillContent, TurnFailedError, TurnInterruptedError, z, type FleetEvent, type FleetGap, type SkillCallRecord } from '../../sdk';
import type { FleetClient } from '../../sdk/fleetClient';
import { FleetHarness, ROOT, SIDECAR_SCRIPT, type EventLog } from '../support/fleetHarness';

const escalated = (cmd: string) => ({ type: 'functionCall' as const, name: 'exec_command', arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'sdk test' } });

/** Resolves when `n` calls have been recorded by `fleet.skills.onCall`. */
function calls(fleet: CodexFleet, n: number): Promise<SkillCallRecord[]> {
  const seen: SkillCallRecord[] = [];
  return new Promise((resolve) => {
    const sub = fleet.skills.onCall((r) => {
      seen.push(r);
      if (seen.length === n) {
        sub.dispose();
        resolve(seen);
      }
    });
  });
}

describe('TypeScript SDK with the real codex', function () {
  this.timeout(90_000);
  let h: FleetHarness;
  let ref: FleetClient;
  let refLog: EventLog;
  const fleets: CodexFleet[] = [];

  async function connect(clientName = 'sdk-test'): Promise<CodexFleet> {
    const fleet = await CodexFleet.connect({ workspace: h.workspace, env: h.env, sidecarScript: SIDECAR_SCRIPT, clientName });
    fleets.push(fleet);
    return fleet;
  }

  before(async () => {
    h = await FleetHarness.create();
    ref = await h.connect('reference');
    refLog = h.log(ref);
    await h.ready(ref);
  });
  afterEach(async () => {
    for (const f of fleets.splice(0)) await f.close();
    h.model.setHandler(undefined);
  });
  after(async () => h?.dispose());

  it('sendAndWait resolves with { turnId, status, reply }', async () => {
    const fleet = await connect();
    h.model.enqueue([{ type: 'message', text: 'The repository is small.' }]);
    const session = await fleet.sessions.create({ sandbox: 'read-only', name: 'one-shot' });
    assert.ok(session.id);
    assert.equal(session.name, 'one-shot');
    const r = await session.sendAndWait('Summarise this repository');
    assert.deepEqual(r, { turnId: r.turnId, status: 'completed', reply: 'The repository is small.' });
    const listed = await fleet.sessions.list();
    assert.ok(listed.some((s) => s.id === session.id));
    assert.equal((await fleet.sessions.get(session.id)).id, session.id);
    const renamed = await session.rename('renamed');
    assert.equal(renamed.name, 'renamed');
  });

  it('a failed turn rejects with TurnFailedError, an interrupted one with TurnInterruptedError', async () => {
    const fleet = await connect();
    h.model.enqueue([{ type: 'fail', status: 400, message: 'scripted model refuses' }]);
    const session = await fleet.sessions.create();
    await assert.rejects(session.sendAndWait('please fail'), (e: unknown) => {
      assert.ok(e instanceof TurnFailedError, `got ${String(e)}`);
      assert.equal(e.status, 'failed');
      assert.equal(e.sessionId, session.id);
      assert.match(e.message, /scripted model refuses/);
      return true;
    });
    h.model.enqueue([{ type: 'hang' }]);
    const waiting = session.sendAndWait('take forever');
    await h.model.waitForRequest((r) => r.hasText('take forever'));
    await session.interrupt();
    await assert.rejects(waiting, (e: unknown) => e instanceof TurnInterruptedError && e.status === 'interrupted');
  });

  it('handlers by kind, prefix and predicate, and an async iterator with replay from a sinceSeq', async () => {
    const fleet = await connect();
    const session = await fleet.sessions.create();
    const byKind: string[] = [];
    const byPrefix: string[] = [];
    const byPred: number[] = [];
    fleet.on('turn/completed', (e) => void byKind.push(e.reply ?? ''));
    fleet.on('turn/', (e) => void byPrefix.push(e.kind));
    fleet.on((e) => e.kind === 'item/delta' && e.sessionId === session.id, (e) => void byPred.push(e.seq));
    const before = fleet.lastSeq;
    const completed = fleet.waitFor('turn/completed', (e) => e.sessionId === session.id);
    h.model.enqueue([{ type: 'message', text: 'streamed reply', chunks: ['streamed ', 'reply'] }]);
    const r = await session.sendAndWait('hello');
    assert.equal((await completed).turnId, r.turnId);
    assert.deepEqual(byKind, ['streamed reply']);
    assert.deepEqual(byPrefix.filter((k) => k === 'turn/started' || k === 'turn/completed'), ['turn/started', 'turn/completed']);
    assert.ok(byPred.length >= 1);
    // Replay: a stream opened after the turn, from the seq before it, sees the whole turn.
    const seen: FleetEvent[] = [];
    for await (const e of session.events({ sinceSeq: before })) {
      assert.notEqual(e.kind, 'sdk/gap');
      if (e.kind === 'sdk/gap') break;
      seen.push(e);
      if (e.kind === 'turn/completed' && e.turnId === r.turnId) break;
    }
    assert.ok(seen.some((e) => e.kind === 'turn/started' && e.turnId === r.turnId));
    assert.ok(seen.some((e) => e.kind === 'item/delta'));
    assert.ok(seen.every((e) => e.seq > before));
    const older = fleet.events({ sinceSeq: 0 });
    const first = await older.next();
    older.close();
    assert.equal((first.value as FleetGap).kind, 'sdk/gap', 'a seq older than the local history is reported as a gap');
  });

  it('a lost connection reconnects and resubscribes from the last seq: each event once, in order, none lost, no gap', async () => {
    const fleet = await connect();
    const session = await fleet.sessions.create();
    const seqs: number[] = [];
    let armed = false;
    let cut = false;
    fleet.on((e) => e.kind === 'item/delta' && e.sessionId === session.id, () => {
      if (!armed || cut) return;
      cut = true;
      fleet.client.socket.destroy(); // the connection drops in the middle of the stream (and of waitTurn)
    });
    fleet.on((e) => 'sessionId' in e && e.sessionId === session.id, (e) => void seqs.push(e.seq));
    const gaps: FleetGap[] = [];
    fleet.onGap((g) => void gaps.push(g));
    const reconnected = new Promise<{ replayed: number }>((resolve) => fleet.onReconnect(resolve));
    h.model.enqueue([{ type: 'stream', count: 400, intervalMs: 5 }]);
    const sent = await session.send('stream a lot');
    armed = true; // a send cut off in flight is not retried (it may have been delivered): cut during the wait
    const r = await session.waitTurn(sent.turnId!);
    await reconnected;
    assert.ok(cut);
    assert.deepEqual(gaps, []);
    const end = refLog.events.find((x) => x.kind === 'turn/completed' && x.turnId === r.turnId)!.seq;
    const expected = refLog.events.filter((e) => 'sessionId' in e && e.sessionId === session.id && e.seq <= end);
    const got = seqs.filter((s) => s <= end);
    assert.deepEqual(got, [...new Set(got)].sort((a, b) => a - b), 'once each, in seq order');
    // Deltas may be merged differently per connection; every other event arrives on both.
    const fleetSeqs = new Set(got);
    assert.deepEqual(expected.filter((e) => e.kind !== 'item/delta' && !fleetSeqs.has(e.seq)).map((e) => e.kind), [], 'no event lost');
    assert.equal(r.reply.trim().split(/\s+/).length, 400);
  });

  it('a later connection resumes from a saved seq: connect({ sinceSeq }) replays what happened meanwhile', async () => {
    const first = await connect('first-run');
    const session = await first.sessions.create();
    const saved = first.lastSeq;
    await first.close();
    h.model.enqueue([{ type: 'message', text: 'while nobody listened' }]);
    const sent = await ref.request(P.SessionsSend, { sessionId: session.id, text: 'anyone there?' });
    await refLog.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
    const second = await CodexFleet.connect({ workspace: h.workspace, env: h.env, sidecarScript: SIDECAR_SCRIPT, clientName: 'second-run', sinceSeq: saved });
    fleets.push(second);
    const kinds: string[] = [];
    for await (const e of second.events({ sessionId: session.id, sinceSeq: saved })) {
      kinds.push(e.kind);
      if (e.kind === 'turn/completed') {
        assert.equal(e.reply, 'while nobody listened');
        break;
      }
    }
    assert.ok(!kinds.includes('sdk/gap'));
    assert.ok(kinds.includes('turn/started'));
    assert.equal(second.resumeGap, undefined);
    // A seq beyond this sidecar's belongs to an earlier one: told so, and given all it buffers.
    const third = await CodexFleet.connect({ workspace: h.workspace, env: h.env, sidecarScript: SIDECAR_SCRIPT, clientName: 'third-run', sinceSeq: 1e9 });
    fleets.push(third);
    assert.equal(third.resumeGap?.reason, 'sidecarRestarted');
    const replayed = await third.waitFor('turn/completed', (e) => e.turnId === sent.turnId, { sinceSeq: 0 });
    assert.equal(replayed.reply, 'while nobody listened');
  });

  it('a killed sidecar: the fleet reconnects to its replacement, says so with a gap, and its handler answers the re-sent approval', async () => {
    const fleet = await connect('worker');
    const session = await fleet.sessions.create({ approvalPolicy: 'on-request', sandbox: 'workspace-write' });
    h.model.enqueue([escalated('echo survived')], [{ type: 'message', text: 'answered after the crash' }]);
    const seen: string[] = [];
    const gaps: FleetGap[] = [];
    fleet.onGap((g) => void gaps.push(g));
    let kill: (() => void) | undefined;
    fleet.on('request/pending', async (e) => {
      if (e.request.sessionId !== session.id) return;
      seen.push(e.request.id);
      if (kill) return kill(); // first sight: kill the sidecar before answering
      await fleet.requests.decide(e.request, 'accept');
    });
    const stream = fleet.events({ sessionId: session.id });
    const status = await fleet.status();
    kill = () => {
      kill = undefined;
      process.kill(status.sidecar.pid, 'SIGKILL');
    };
    const sent = await session.send('crash and answer');
    const markers: FleetGap[] = [];
    for await (const e of stream) {
      if (e.kind === 'sdk/gap') markers.push(e);
      if (e.kind === 'turn/completed' && e.turnId === sent.turnId) {
        assert.deepEqual([e.status, e.reply], ['completed', 'answered after the crash']);
        break;
      }
    }
    h.clients.length = 0; // the reference client's sidecar is gone
    ref = await h.connect('reference');
    refLog = h.log(ref);
    assert.equal(seen.length, 2, 'the request was seen before the kill and again after (re-sent by Codex)');
    assert.equal(seen[0], seen[1], 'with the same id');
    assert.deepEqual(gaps.map((g) => g.reason), ['sidecarRestarted']);
    assert.deepEqual(markers.map((g) => g.reason), ['sidecarRestarted'], 'the iterator yields the gap marker');
    assert.notEqual(fleet.info.sidecar.pid, status.sidecar.pid);
  });

  it('approvals answered from a handler; the first answer wins against a second client', async () => {
    const fleet = await connect('sdk-worker');
    const session = await fleet.sessions.create({ approvalPolicy: 'on-request', sandbox: 'workspace-write' });
    const outcomes: Array<{ by: string; ok: boolean; code?: number }> = [];
    const answer = async (by: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        outcomes.push({ by, ok: true });
      } catch (e) {
        outcomes.push({ by, ok: false, code: FleetError.is(e) ? e.code : undefined });
      }
    };
    const bothAnswered = new Promise<void>((resolve) => {
      const settle = () => outcomes.length === 2 && resolve();
      fleet.on('request/pending', (e) => {
        if (e.request.sessionId === session.id) void answer('sdk-worker', () => fleet.requests.decide(e.request, 'accept')).then(settle);
      });
      ref.onEvent((e) => {
        if (e.kind === 'request/pending' && e.request.sessionId === session.id) {
          void answer('reference', () => ref.request(P.RequestsAnswer, { requestId: e.request.id, answer: { type: 'decision', decision: 'accept' } })).then(settle);
        }
      });
    });
    h.model.enqueue([escalated('echo raced')], [{ type: 'message', text: 'ran after approval' }]);
    const r = await session.sendAndWait('run something');
    assert.equal(r.reply, 'ran after approval');
    await bothAnswered;
    const winners = outcomes.filter((o) => o.ok);
    assert.equal(winners.length, 1, JSON.stringify(outcomes));
    assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => o.code), [ErrorCodes.AlreadyResolved]);
    const ended = await refLog.waitFor('request/ended', (e) => e.sessionId === session.id);
    assert.equal(ended.by, winners[0]!.by);
  });

  const backlogItem = z.object({
    title: z.string().min(3),
    priority: z.enum(['low', 'medium', 'high']),
    estimate: z.number().int().positive(),
  });

  it('a remote skill called three times in one turn: arguments validated, calls served concurrently, results reach the model', async () => {
    const fleet = await connect();
    let inFlight = 0;
    let maxInFlight = 0;
    let release: () => void = () => undefined;
    const bothRunning = new Promise<void>((r) => (release = r));
    const skill = fleet.skills.define({
      name: 'add_backlog_item',
      description: 'Add an item to the backlog.',
      input: backlogItem,
      output: z.object({ id: z.string() }),
      handler: async (item) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (inFlight === 2) release();
        await bothRunning; // neither valid call finishes before the other started
        inFlight--;
        return { id: `BL-${item.title.length}` };
      },
    });
    assert.match(skill.spec.type === 'function' ? skill.spec.description : '', /Returns: \{"type":"object"/);
    h.model.enqueue(
      [
        { type: 'functionCall', name: 'add_backlog_item', arguments: { title: 'Fix login', priority: 'high', estimate: 3 } },
        { type: 'functionCall', name: 'add_backlog_item', arguments: { title: 'Write docs', priority: 'low', estimate: 1 } },
        { type: 'functionCall', name: 'add_backlog_item', arguments: { title: 'x', priority: 'urgent', estimate: -2 } },
      ],
      [{ type: 'message', text: 'two added, one refused' }],
    );
    const recorded = calls(fleet, 3);
    const reply = await fleet.skills.run('file these', { skills: [skill] });
    assert.equal(reply, 'two added, one refused');
    const records = await recorded;
    assert.equal(maxInFlight, 2);
    assert.deepEqual(records.map((r) => r.success).sort(), [false, true, true]);
    const bad = records.find((r) => !r.success)!;
    assert.equal(bad.error?.reason, 'invalidArguments');
    const followUp = await h.model.waitForRequest((r) => r.functionOutputs().length >= 3);
    const outputs = followUp.functionOutputs().map((o) => o.output);
    assert.ok(outputs.includes('{"id":"BL-9"}') && outputs.includes('{"id":"BL-10"}'), outputs.join(' | '));
    const refused = outputs.find((o) => o.startsWith('invalid arguments for add_backlog_item'));
    assert.ok(refused, outputs.join(' | '));
    assert.match(refused, /title/);
    assert.match(refused, /priority/);
    assert.match(refused, /estimate/);
    const offered = h.model.requests.find((r) => r.toolNames.includes('add_backlog_item'));
    assert.ok(offered, 'the skill was offered to the model');
  });

  it('a skill that throws is answered success:false with its message; text and image content otherwise', async () => {
    const fleet = await connect();
    const flaky = fleet.skills.define({
      name: 'flaky_lookup',
      description: 'Look something up.',
      input: z.object({ key: z.string() }),
      handler: ({ key }) => {
        if (key === 'boom') throw new Error('the lookup service is down');
        return SkillContent.of(`value of ${key}`, SkillContent.image('data:image/png;base64,iVBORw0KGgo='));
      },
    });
    h.model.enqueue(
      [{ type: 'functionCall', name: 'flaky_lookup', arguments: { key: 'boom' } }],
      [{ type: 'functionCall', name: 'flaky_lookup', arguments: { key: 'ok' } }],
      [{ type: 'message', text: 'handled both' }],
    );
    const recorded = calls(fleet, 2);
    assert.equal(await fleet.skills.run('look up twice', { skills: [flaky] }), 'handled both');
    const [first, second] = await recorded;
    assert.deepEqual([first!.success, first!.error?.reason, second!.success], [false, 'threw', true]);
    const req = await h.model.waitForRequest((r) => r.functionOutputs().some((o) => o.output.includes('value of ok')));
    assert.ok(req.functionOutputs().some((o) => o.output.includes('flaky_lookup failed: the lookup service is down')));
  });

  it('two skills in two processes on one session: each answers its own, neither touches the other', async () => {
    const a = await connect('fleet-a');
    const weather = a.skills.define({ name: 'weather', description: 'Weather in a city.', input: z.object({ city: z.string() }), handler: ({ city }) => `sunny in ${city}` });
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'test', 'support', 'skillProcess.ts'), h.workspace], {
      env: { ...h.env, FLEET_SIDECAR_SCRIPT: SIDECAR_SCRIPT, FLEET_SKILL_PROCESS_ID: 'the-other-process' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      const { spec } = JSON.parse(line) as { spec: DynamicToolSpec };
      h.model.enqueue(
        [
          { type: 'functionCall', name: 'weather', arguments: { city: 'Oslo' } },
          { type: 'functionCall', name: 'stock', arguments: { part: 'bolt' } },
        ],
        [{ type: 'message', text: 'sunny, and seven bolts' }],
      );
      const aCalls = calls(a, 1);
      const session = await a.sessions.create({ skills: [weather, spec] });
      const r = await session.sendAndWait('weather and stock');
      assert.equal(r.reply, 'sunny, and seven bolts');
      assert.deepEqual((await aCalls).map((c) => [c.skill, c.success]), [['weather', true]], 'this process answered only its own skill');
      const audit = (await a.requests.audit({ limit: 20 })).filter((x) => x.sessionId === session.id);
      assert.deepEqual(audit.map((x) => x.by).sort(), ['fleet-a', 'skill-process']);
      const req = await h.model.waitForRequest((m) => m.functionOutputs().length >= 2 && m.hasText('sunny in Oslo'));
      const stock = req.functionOutputs().find((o) => o.output.includes('"part":"bolt"'));
      assert.deepEqual(stock && (JSON.parse(stock.output) as unknown), { part: 'bolt', count: 7, servedBy: 'the-other-process' });
    } finally {
      child.stdin!.end();
      assert.equal(await exited, 0);
    }
  });

  it('a call that runs past its timeout is answered success:false and its handler is aborted', async () => {
    const fleet = await connect();
    let aborted: unknown;
    const slow = fleet.skills.define({
      name: 'slow_report',
      description: 'A report that takes too long.',
      input: z.object({}),
      timeoutMs: 300,
      handler: (_args, { signal }) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
            resolve('too late');
          });
        }),
    });
    h.model.enqueue([{ type: 'functionCall', name: 'slow_report', arguments: {} }], [{ type: 'message', text: 'gave up on the report' }]);
    const recorded = calls(fleet, 1);
    assert.equal(await fleet.skills.run('report please', { skills: [slow] }), 'gave up on the report');
    const [rec] = await recorded;
    assert.deepEqual([rec!.success, rec!.error?.reason], [false, 'timedOut']);
    assert.ok(aborted instanceof Error && /timed out after 300 ms/.test(aborted.message));
    await h.model.waitForRequest((r) => r.functionOutputs().some((o) => o.output === 'slow_report timed out after 300 ms'));
  });
});
