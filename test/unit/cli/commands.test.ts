import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, FleetError } from '../../../protocol/errors';
import {
  AccountRateLimits,
  FleetStatusRequest,
  FleetStop,
  SessionsList,
  SessionsRead,
  SessionsSend,
  SessionsStart,
  SessionsWaitTurn,
  type SessionsSendParams,
} from '../../../protocol/sidecarProtocol';
import { FakeFleet, NOW, run, session } from './fakeFleet';

const S = session().id;
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** The CLI's one-line error contract. */
function assertOneErrorLine(err: string, pattern: RegExp): void {
  const lines = err.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one stderr line, got: ${JSON.stringify(err)}`);
  assert.match(lines[0]!, /^codex-fleet: /);
  assert.match(lines[0]!, pattern);
}

describe('cli commands (fake sidecar)', () => {
  describe('sessions', () => {
    it('start --json prints the SessionSummary and passes the controls', async () => {
      const fake = new FakeFleet().on(SessionsStart, () => ({ session: session() }));
      const r = await run(['sessions', 'start', '--json', '--model', 'm1', '--effort', 'high', '--approval-policy', 'on-request', '--sandbox', 'workspace-write', '--network', '--name', 'x', '--cwd', '.'], fake);
      assert.equal(r.code, 0, r.err);
      assert.equal(JSON.parse(r.out).id, S);
      assert.deepEqual(fake.paramsOf(SessionsStart)[0], {
        model: 'm1',
        effort: 'high',
        approvalPolicy: 'on-request',
        sandbox: 'workspace-write',
        networkAccess: true,
        cwd: process.cwd(),
        name: 'x',
      });
    });

    it('start rejects a --cwd that does not exist before connecting', async () => {
      const r = await run(['sessions', 'start', '--cwd', '/definitely/not/here']);
      assert.equal(r.code, 1);
      assertOneErrorLine(r.err, /--cwd is not a directory: \/definitely\/not\/here/);
      assert.equal(r.connects.length, 0);
    });

    it('list prints an aligned table with relative times and the next page', async () => {
      const fake = new FakeFleet().on(SessionsList, () => ({
        data: [session({ name: 'fix tests', activity: 'running', pinned: true }), session({ id: 'other', preview: 'second\nline', updatedAt: NOW - 3 * 86_400_000 })],
        nextCursor: 'c2',
      }));
      const r = await run(['sessions', 'list', '--limit', '2'], fake);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.split('\n');
      assert.match(lines[0]!, /^ID +STATE +UPDATED +NAME \/ FIRST MESSAGE$/);
      assert.match(lines[1]!, new RegExp(`^${S} +running +2m ago +\\[pinned\\] fix tests$`));
      assert.match(lines[2]!, /^other +idle +3d ago +second line$/);
      assert.ok(r.out.includes(`codex-fleet sessions list --cursor c2`));
      assert.deepEqual(fake.paramsOf(SessionsList)[0], { archived: undefined, limit: 2, cursor: undefined, scope: undefined });
    });

    it('reports an unknown session in one line with a hint, exit 1', async () => {
      const fake = new FakeFleet().on(SessionsRead, () => {
        throw new FleetError(ErrorCodes.SessionNotFound, 'no session nope');
      });
      const r = await run(['sessions', 'show', 'nope'], fake);
      assert.equal(r.code, 1);
      assertOneErrorLine(r.err, /no session nope; see `codex-fleet sessions list`/);
      assert.equal(r.out, '');
    });
  });

  describe('sessions send', () => {
    it('sends text with absolute image paths and the while-running choice', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cli-img-'));
      const img = join(dir, 'a.png');
      writeFileSync(img, 'png');
      const fake = new FakeFleet().on(SessionsSend, () => ({ delivery: 'queued', queued: { id: 'q1' } }));
      const r = await run(['sessions', 'send', S, 'hello', 'there', '--image', img, '--queue', '--effort', 'low'], fake);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Queued message q1/);
      assert.deepEqual(fake.paramsOf(SessionsSend)[0], { sessionId: S, text: 'hello there', images: [img], whileRunning: 'queue', controls: { effort: 'low' } });
    });

    it('checks images exist before connecting', async () => {
      const r = await run(['sessions', 'send', S, 'hi', '--image', 'missing.png']);
      assert.equal(r.code, 1);
      assertOneErrorLine(r.err, /image not found: .*missing\.png/);
      assert.equal(r.connects.length, 0);
    });

    it('reads the text from stdin for -', async () => {
      const fake = new FakeFleet().on(SessionsSend, () => ({ delivery: 'started', turnId: 't1' }));
      const r = await run(['sessions', 'send', S, '-'], fake, { stdin: 'from stdin\n' });
      assert.equal(r.code, 0, r.err);
      assert.equal((fake.paramsOf(SessionsSend)[0] as SessionsSendParams).text, 'from stdin');
    });

    it('suggests --steer / --queue when a turn is running', async () => {
      const fake = new FakeFleet().on(SessionsSend, () => {
        throw new FleetError(ErrorCodes.TurnState, `session ${S} is running a turn`);
      });
      const r = await run(['sessions', 'send', S, 'hi'], fake);
      assert.equal(r.code, 1);
      assertOneErrorLine(r.err, /running a turn; pass --steer .* or --queue/);
    });

    it('--wait subscribes before sending and prints the reply from turn/completed', async () => {
      const fake = new FakeFleet()
        .on(SessionsSend, (_p, f) => {
          setImmediate(() => f.emit({ kind: 'turn/completed', sessionId: S, turnId: 't1', status: 'completed', reply: 'Done.\n' }));
          return { delivery: 'started', turnId: 't1' };
        })
        .on(SessionsWaitTurn, () => never());
      const r = await run(['sessions', 'send', S, 'go', '--wait'], fake);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, 'Done.\n');
      const order = fake.calls.map((c) => c.method);
      assert.ok(order.indexOf('events/subscribe') < order.indexOf('sessions/send'), order.join(','));
      assert.deepEqual(fake.subscriptions[0], { sessionIds: [S], kinds: ['turn/completed', 'queue/updated'] });
    });

    it('--wait --json prints {turnId, status, reply} from sessions/waitTurn', async () => {
      const fake = new FakeFleet()
        .on(SessionsSend, () => ({ delivery: 'started', turnId: 't1' }))
        .on(SessionsWaitTurn, () => ({ turnId: 't1', status: 'completed', reply: 'hi' }));
      const r = await run(['sessions', 'send', S, 'go', '--wait', '--json', '--timeout', '30'], fake);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), { turnId: 't1', status: 'completed', reply: 'hi' });
      assert.equal((fake.paramsOf(SessionsWaitTurn)[0] as { timeoutMs: number }).timeoutMs <= 30_000, true);
    });

    it('--wait exits 3 when the turn fails, printing the JSON result (or, without --json, one error line)', async () => {
      const failing = (): FakeFleet =>
        new FakeFleet()
          .on(SessionsSend, () => ({ delivery: 'started', turnId: 't1' }))
          .on(SessionsWaitTurn, () => ({ turnId: 't1', status: 'failed', error: 'model unavailable' }));
      const r = await run(['sessions', 'send', S, 'go', '--wait', '--json'], failing());
      assert.equal(r.code, 3);
      assert.deepEqual(JSON.parse(r.out), { turnId: 't1', status: 'failed', reply: '', error: 'model unavailable' });
      assert.equal(r.err, '');
      const human = await run(['sessions', 'send', S, 'go', '--wait'], failing());
      assert.equal(human.code, 3);
      assertOneErrorLine(human.err, /turn t1 failed: model unavailable/);
    });

    it('--wait exits 3 when the turn is interrupted', async () => {
      const fake = new FakeFleet()
        .on(SessionsSend, (_p, f) => {
          setImmediate(() => f.emit({ kind: 'turn/completed', sessionId: S, turnId: 't1', status: 'interrupted' }));
          return { delivery: 'started', turnId: 't1' };
        })
        .on(SessionsWaitTurn, () => never());
      const r = await run(['sessions', 'send', S, 'go', '--wait'], fake);
      assert.equal(r.code, 3);
      assertOneErrorLine(r.err, /turn t1 was interrupted/);
    });

    it('--wait --timeout gives up with exit 1 and says the turn keeps running', async () => {
      const fake = new FakeFleet().on(SessionsSend, () => ({ delivery: 'started', turnId: 't1' })).on(SessionsWaitTurn, () => never());
      const r = await run(['sessions', 'send', S, 'go', '--wait', '--timeout', '0.05'], fake);
      assert.equal(r.code, 1);
      assertOneErrorLine(r.err, /turn t1 did not finish within 0\.05 s; it keeps running/);
      assert.match(r.err, /sessions interrupt/);
    });

    it('--wait exits 4 when the sidecar goes away', async () => {
      const fake = new FakeFleet()
        .on(SessionsSend, (_p, f) => {
          setImmediate(() => f.drop());
          return { delivery: 'started', turnId: 't1' };
        })
        .on(SessionsWaitTurn, () => never());
      const r = await run(['sessions', 'send', S, 'go', '--wait'], fake);
      assert.equal(r.code, 4);
      assertOneErrorLine(r.err, /sidecar went away/);
    });

    it('--wait --queue follows the queued message into its turn', async () => {
      const fake = new FakeFleet()
        .on(SessionsSend, (_p, f) => {
          setImmediate(() => {
            f.emit({ kind: 'queue/updated', sessionId: S, queue: [] });
          });
          return { delivery: 'queued', queued: { id: 'q1' } };
        })
        .on(SessionsRead, (_p, f) => {
          setImmediate(() => f.emit({ kind: 'turn/completed', sessionId: S, turnId: 't9', status: 'completed', reply: 'later' }));
          return { session: session({ activeTurnId: 't9' }), turns: [], queue: [], pending: [] };
        })
        .on(SessionsWaitTurn, () => never());
      const r = await run(['sessions', 'send', S, 'go', '--wait', '--queue', '--json'], fake);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), { turnId: 't9', status: 'completed', reply: 'later' });
    });

    it('--wait stops waiting on Ctrl-C', async () => {
      const ac = new AbortController();
      const fake = new FakeFleet()
        .on(SessionsSend, () => {
          setImmediate(() => ac.abort());
          return { delivery: 'started', turnId: 't1' };
        })
        .on(SessionsWaitTurn, () => never());
      const r = await run(['sessions', 'send', S, 'go', '--wait'], fake, { signal: ac.signal });
      assert.equal(r.code, 130);
      assertOneErrorLine(r.err, /stopped waiting for turn t1; the turn keeps running/);
    });
  });

  describe('status / stop / serve', () => {
    it('status reports "not running" without starting a sidecar', async () => {
      const r = await run(['status', '--json'], new FakeFleet(), { running: false });
      assert.equal(r.code, 0);
      assert.equal(JSON.parse(r.out).running, false);
      assert.deepEqual(r.connects, [{ autoStart: false }]);
    });

    it('status shows sidecar, runtime, auth and counts', async () => {
      const fake = new FakeFleet();
      fake.on(FleetStatusRequest, () => fake.status);
      const r = await run(['status'], fake);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^sidecar +running, pid 4242, up 5m, v0\.1\.0, protocol 1$/m);
      assert.match(r.out, /^runtime +ready, codex 0\.169\.0 from pinned, pid 4343, 0 restarts$/m);
      assert.match(r.out, /^sessions +1 loaded, 0 running; 2 pending requests; 0 queued; 0 agents$/m);
      assert.match(r.out, /API key in env +yes/);
      const fresh = new FakeFleet();
      fresh.on(FleetStatusRequest, () => fresh.status);
      const json = await run(['status', '--json'], fresh);
      assert.equal(JSON.parse(json.out).runtime.codexVersion, '0.169.0');
    });

    it('stop asks the sidecar to stop and waits for it to go', async () => {
      const fake = new FakeFleet().on(FleetStop, (_p, f) => {
        setImmediate(() => f.drop());
        return { stopping: true };
      });
      const r = await run(['stop', '--json'], fake);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), { running: false, stopped: true, pid: 4242 });
      const none = await run(['stop'], new FakeFleet(), { running: false });
      assert.equal(none.code, 0);
      assert.match(none.out, /No sidecar is running/);
    });

    it('waits for a starting runtime before the first request', async () => {
      const fake = new FakeFleet();
      fake.status = { ...fake.status, runtime: { ...fake.status.runtime, state: 'starting' } };
      let ready = false;
      fake.on(FleetStatusRequest, (_p, f) => {
        setImmediate(() => {
          ready = true;
          f.emit({ kind: 'runtime/state', runtime: { ...f.status.runtime, state: 'ready' } });
        });
        return f.status;
      });
      fake.on({ method: 'events/unsubscribe' }, () => null);
      fake.on(AccountRateLimits, () => {
        assert.ok(ready, 'request sent only once the runtime is ready');
        return {};
      });
      const r = await run(['account', 'rate-limits'], fake);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /No rate limits reported yet/);
    });
  });

  describe('misc', () => {
    it('prints help and the version without connecting', async () => {
      const help = await run(['sessions', 'start', '--help']);
      assert.equal(help.code, 0);
      assert.match(help.out, /codex-fleet sessions start — start a new session/);
      const version = await run(['--version']);
      assert.equal(version.out, '9.9.9\n');
      assert.equal(help.connects.length + version.connects.length, 0);
    });

    it('usage errors exit 2 with one line', async () => {
      const r = await run(['sessions', 'start', '--sandbox', 'none']);
      assert.equal(r.code, 2);
      assertOneErrorLine(r.err, /invalid value 'none' for --sandbox/);
    });
  });
});
