/**
 * Hostile input against the real codex and a real sidecar: a second local user on a shared state
 * root (cannot impersonate the sidecar, cannot reach the real one), a 17 MiB id and deep nesting
 * (answered -32602, the runtime untouched), a WebSocket dropped by app-server while it lives
 * (reconnected, not killed), and prototype keys (refused; sessions keep working).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import * as P from '../../protocol/sidecarProtocol';
import type { RuntimeInfo } from '../../protocol/types';
import { REQUEST_SCHEMAS } from '../../protocol/schemas';
import { FleetClient } from '../../sdk/fleetClient';
import { statePaths, workspaceKey } from '../../sdk/stateDir';
import type { Logger } from '../../server/logger';
import { AppServerSupervisor } from '../../server/runtime/appServerSupervisor';
import { Sidecar } from '../../server/sidecar';
import { CLI_SCRIPT, FleetHarness, SIDECAR_SCRIPT } from '../support/fleetHarness';

const OTHER_UID = 4242;
const escalated = (cmd: string) => ({ type: 'functionCall' as const, name: 'exec_command', arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'hardening' } });
const isRoot = process.getuid?.() === 0;

async function rejects(p: Promise<unknown>, code: number, message?: RegExp): Promise<FleetError> {
  try {
    await p;
  } catch (e) {
    const err = FleetError.from(e);
    assert.equal(err.code, code, `expected code ${code}, got ${err.code}: ${err.message}`);
    if (message) assert.match(err.message, message);
    return err;
  }
  throw new Error('expected a rejection');
}

/** A process of another local user (uid OTHER_UID), driven line by line over stdin/stdout. */
class OtherUser {
  private out = '';
  private readonly waiters: Array<{ re: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  private constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.out += chunk;
      let nl: number;
      while ((nl = this.out.indexOf('\n')) >= 0) {
        const line = this.out.slice(0, nl);
        this.out = this.out.slice(nl + 1);
        const i = this.waiters.findIndex((w) => w.re.test(line));
        if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(line);
      }
    });
    child.once('exit', (code) => {
      for (const w of this.waiters.splice(0)) w.reject(new Error(`the other user's process exited (${code}) before printing ${w.re}`));
    });
  }

  static run(script: string, args: string[]): OtherUser {
    return new OtherUser(spawn(process.execPath, ['-e', script, ...args], { uid: OTHER_UID, gid: OTHER_UID, cwd: '/', stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  line(re: RegExp): Promise<string> {
    return new Promise((resolve, reject) => this.waiters.push({ re, resolve, reject }));
  }

  async ask(question: string, re: RegExp): Promise<string> {
    const answer = this.line(re);
    this.child.stdin!.write(`${question}\n`);
    return answer;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/** A fake sidecar in `<root>/<key>/` (a real dir, or a symlink to one), counting every byte it receives. */
const FAKE_SIDECAR = `
const net = require('net'), fs = require('fs'), path = require('path');
const [root, key, how] = process.argv.slice(1);
const dir = path.join(root, key);
const real = how === 'symlink' ? dir + '-real' : dir;
fs.mkdirSync(real, { mode: 0o777 });
fs.chmodSync(real, 0o777);
if (how === 'symlink') fs.symlinkSync(real, dir);
let bytes = 0;
const sock = path.join(real, 'sidecar.sock');
net.createServer((s) => s.on('data', (d) => { bytes += d.length; })).listen(sock, () => {
  fs.chmodSync(sock, 0o777);
  process.stdout.write('listening\\n');
});
process.stdin.setEncoding('utf8').on('data', () => process.stdout.write('bytes ' + bytes + '\\n'));
`;

/** Try to connect to a unix socket as the other user; prints `connected` or the error code. */
const PROBE = `
require('net').connect(process.argv[1])
  .on('connect', () => { process.stdout.write('result connected\\n'); process.exit(0); })
  .on('error', (e) => { process.stdout.write('result ' + e.code + '\\n'); process.exit(0); });
`;

/** A small seeded PRNG (mulberry32): the fuzz run is the same every time. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ['sessionId', 'text', 'images', 'controls', 'whileRunning', 'name', 'cwd', 'kinds', 'sessionIds', 'sinceSeq', 'limit', 'cursor', 'archived', 'turnId', 'timeoutMs', 'queuedId', 'requestId', 'answer', 'pinned', 'lastTurnId', 'includeItems', 'set', 'approvalPolicy', 'sandbox', 'effort', 'model', 'networkAccess', 'dynamicTools', 'cols', 'rows', 'since', 'raw', 'keepWorktree', 'data'];
/** Methods left out: they change the login, stop or restart things, or spawn agents. */
const UNFUZZED = new Set(['initialize', 'shutdown', 'fleet/stop', 'runtime/restart', 'account/login/start', 'account/login/cancel', 'account/logout', 'agents/create', 'agents/adopt', 'agents/start']);

function fuzzValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 14);
  switch (pick) {
    case 0: return Math.floor(rand() * 1e6) - 5e5;
    case 1: return rand() * 10 - 5;
    case 2: return rand() < 0.5;
    case 3: return null;
    case 4: return 'x'.repeat(Math.floor(rand() * 40));
    case 5: return '00000000-0000-7000-8000-00000000000' + Math.floor(rand() * 10);
    case 6: return 'y'.repeat(200_000 + Math.floor(rand() * 1000));
    case 7: return ['yes', 'true', '1', 'queue', 'never', 'turn/started', '__proto__'][Math.floor(rand() * 7)];
    case 8: return depth > 3 ? [] : Array.from({ length: Math.floor(rand() * 4) }, () => fuzzValue(rand, depth + 1));
    case 9: return depth > 3 ? {} : Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [FIELDS[Math.floor(rand() * FIELDS.length)]!, fuzzValue(rand, depth + 1)]));
    case 10: {
      let v: unknown = 1;
      for (let i = 0, n = 60 + Math.floor(rand() * 500); i < n; i++) v = [v];
      return v;
    }
    case 11: return JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    case 12: return { type: ['decision', 'userInput', 'toolResult', 'nope'][Math.floor(rand() * 4)], decision: 'accept', answers: { q: [1] } };
    default: return undefined;
  }
}

function fuzzParams(rand: () => number): unknown {
  const r = rand();
  if (r < 0.05) return fuzzValue(rand);
  const params: Record<string, unknown> = {};
  for (let i = 0, n = 1 + Math.floor(rand() * 5); i < n; i++) params[FIELDS[Math.floor(rand() * FIELDS.length)]!] = fuzzValue(rand);
  return params;
}

function run(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('hardening with the real codex', function () {
  this.timeout(90_000);
  let h: FleetHarness | undefined;
  let shared: string | undefined;
  const others: OtherUser[] = [];
  afterEach(async () => {
    for (const o of others.splice(0)) o.kill();
    await h?.dispose();
    h = undefined;
    if (shared) rmSync(shared, { recursive: true, force: true });
    shared = undefined;
  });

  /** A world-writable, sticky state root like /tmp, shared with the other user. */
  function sharedRoot(): string {
    shared = mkdtempSync('/tmp/fleet-shared-');
    chmodSync(shared, 0o1777);
    return shared;
  }

  for (const how of ['dir', 'symlink'] as const) {
    it(`a second user's fake sidecar on a shared state root (${how}) is refused: nothing is sent, not even a login key`, async function () {
      if (!isRoot) this.skip(); // needs root to run a process as another uid (CI runs as root)
      h = await FleetHarness.create();
      const root = sharedRoot();
      const env = { ...h.env, CODEX_FLEET_STATE_DIR: root };
      const fake = OtherUser.run(FAKE_SIDECAR, [root, workspaceKey(h.workspace), how]);
      others.push(fake);
      await fake.line(/^listening$/);

      await rejects(FleetClient.connect({ workspace: h.workspace, clientName: 'victim', env, sidecarScript: SIDECAR_SCRIPT }), ErrorCodes.UnsafeStateDir, how === 'dir' ? /belongs to uid 4242/ : /symbolic link/);
      const cli = await run([CLI_SCRIPT, '--workspace', h.workspace, 'account', 'login', '--api-key-stdin'], env, 'sk-secret-key\n');
      assert.notEqual(cli.code, 0);
      assert.match(cli.stderr, /refusing to use the state directory/);
      assert.doesNotMatch(cli.stdout + cli.stderr, /Signed in/);
      const sidecar = await run([SIDECAR_SCRIPT, '--workspace', h.workspace], env);
      assert.equal(sidecar.code, 2);
      assert.match(sidecar.stderr, /refusing to use the state directory/);
      assert.equal(await fake.ask('count', /^bytes /), 'bytes 0');
    });
  }

  it("a second user cannot connect to the real user's sidecar on a shared state root", async function () {
    if (!isRoot) this.skip(); // needs root to run a process as another uid (CI runs as root)
    h = await FleetHarness.create();
    h.env.CODEX_FLEET_STATE_DIR = sharedRoot();
    const c = await h.connect('owner');
    assert.equal(statSync(c.paths.dir).mode & 0o777, 0o700);
    assert.equal(statSync(c.paths.socketPath).mode & 0o777, 0o600);
    const probe = OtherUser.run(PROBE, [c.paths.socketPath]);
    others.push(probe);
    assert.equal(await probe.line(/^result /), 'result EACCES');
    await h.stopSidecar();
  });

  it('a 17 MiB session id is answered -32602 and never reaches Codex: the runtime keeps its pid', async () => {
    h = await FleetHarness.create();
    const c = await h.connect('hostile');
    await h.ready(c);
    const before = await c.request(P.FleetStatusRequest);
    const err = await rejects(c.request(P.SessionsSend, { sessionId: 'x'.repeat(17 * 1024 * 1024), text: 'hi' }), ErrorCodes.InvalidParams, /^sessions\/send: sessionId is longer than/);
    assert.ok(err.message.length < 300, 'the error does not echo the input');
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = [deep];
    await rejects(c.request(P.SessionsStart, { cwd: deep as string }), ErrorCodes.InvalidParams, /nested deeper than 64/);
    await rejects(c.request(P.AgentsCreate, { name: 'wt', worktree: 'yes' as never }), ErrorCodes.InvalidParams, /worktree must be a boolean/);
    await rejects(c.request(P.EventsSubscribe, { sinceSeq: 1.5 }), ErrorCodes.InvalidParams, /sinceSeq must be an integer/);
    const after = await c.request(P.FleetStatusRequest);
    assert.equal(after.runtime.pid, before.runtime.pid);
    assert.equal(after.runtime.restarts, before.runtime.restarts);
    assert.equal(after.runtime.state, 'ready');
    h.model.enqueue([{ type: 'message', text: 'still here' }]);
    const { session } = await c.request(P.SessionsStart, {});
    const sent = await c.request(P.SessionsSend, { sessionId: session.id, text: 'hello' });
    const done = await c.request(P.SessionsWaitTurn, { sessionId: session.id, turnId: sent.turnId! });
    assert.equal(done.reply, 'still here');
  });

  it('prototype keys are refused (agents/create, queue/remove) and sessions keep starting', async () => {
    h = await FleetHarness.create();
    const c = await h.connect('pollute');
    await h.ready(c);
    await rejects(c.request(P.AgentsCreate, { name: 'p1', configOverrides: { '__proto__.approvalPolicy': 1 } }), ErrorCodes.InvalidParams, /__proto__/);
    await rejects(c.request(P.AgentsCreate, JSON.parse('{"name":"p2","configOverrides":{"__proto__":{"approvalPolicy":1}}}') as P.AgentsCreateParams), ErrorCodes.InvalidParams, /forbidden key "__proto__"/);
    await rejects(c.request(P.AgentsCreate, { name: 'p3', configOverrides: { 'a.constructor.prototype': 1 } }), ErrorCodes.InvalidParams, /constructor/);
    await rejects(c.request(P.SessionsQueueRemove, { sessionId: '__proto__', queuedId: 'q-1' }), ErrorCodes.InvalidParams, /sessionId/);
    await rejects(c.request(P.SessionsQueueRemove, { sessionId: '00000000-0000-7000-8000-000000000000', queuedId: '__proto__' }), ErrorCodes.RequestNotFound);
    const { session } = await c.request(P.SessionsStart, {});
    assert.ok(session.id);
    const status = await c.request(P.FleetStatusRequest);
    assert.equal(status.runtime.restarts, 0);
  });

  it('a WebSocket dropped by app-server while its process lives is reconnected: same pid, no crash counted', async () => {
    h = await FleetHarness.create();
    const dir = join(h.root, 'runtime');
    mkdirSync(dir, { mode: 0o700 });
    const lines: string[] = [];
    const log: Logger = { trace: () => undefined, debug: () => undefined, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const sup = new AppServerSupervisor({ socketPath: join(dir, 'app-server.sock'), env: h.env, cwd: h.workspace, clientVersion: 'test', log, appServerLog: log, pidFile: join(dir, 'app-server.pid') });
    try {
      const states: RuntimeInfo[] = [];
      sup.onDidChangeState((i) => states.push(i));
      let crashes = 0;
      sup.onDidCrash(() => crashes++);
      await sup.start();
      assert.equal(sup.state, 'ready');
      const pid = sup.info.pid;
      const lost = new Promise<void>((r) => sup.onDidLoseConnection(() => r()));
      const reconnected = new Promise<void>((r) => sup.onDidConnect(() => r()));
      // What an unvalidated 17 MiB id did: app-server drops the connection that sent it (and lives on).
      const answer = await sup.connection!.request('thread/resume', { threadId: 'x'.repeat(17 * 1024 * 1024) }).then(
        () => 'answered',
        (e: Error) => e.message,
      );
      assert.match(answer, /went away/);
      await lost;
      await reconnected;
      assert.equal(sup.state, 'ready');
      assert.equal(sup.info.pid, pid);
      assert.equal(sup.info.restarts, 0);
      assert.equal(crashes, 0);
      assert.deepEqual(states.map((s) => s.state), ['starting', 'ready', 'restarting', 'ready']);
      const loaded = await sup.connection!.request('thread/loaded/list', {});
      assert.ok(Array.isArray(loaded.data));
    } finally {
      await sup.stop();
    }
  });

  it('through the sidecar: after app-server drops the connection, its turn and pending approval go on in the same process', async () => {
    h = await FleetHarness.create();
    // In this process, so the test can reach the sidecar's own connection to app-server.
    const sidecar = new Sidecar({ paths: statePaths(h.workspace, h.env), env: h.env, idleTimeoutMs: 0, ringSize: 1000, echoLog: false });
    await sidecar.start();
    try {
      const c = await h.connect('drop');
      const log = h.log(c);
      await h.ready(c);
      h.model.enqueue([escalated('echo survived')], [{ type: 'message', text: 'survived the drop' }]);
      const { session } = await c.request(P.SessionsStart, { approvalPolicy: 'on-request' });
      const sent = await c.request(P.SessionsSend, { sessionId: session.id, text: 'drop the connection now' });
      const first = await log.waitFor('request/pending', (e) => e.request.sessionId === session.id);
      const pid = sidecar.supervisor.info.pid;
      void sidecar.supervisor.connection!.request('thread/resume', { threadId: 'x'.repeat(17 * 1024 * 1024) }).catch(() => undefined);
      const ended = await log.waitFor('request/ended', (e) => e.requestId === first.request.id);
      assert.equal(ended.reason, 'runtimeDied');
      const again = await log.waitFor('request/pending', (e) => e.request.sessionId === session.id && e.seq > ended.seq);
      await c.request(P.RequestsAnswer, { requestId: again.request.id, answer: { type: 'decision', decision: 'accept' } });
      const done = await log.waitFor('turn/completed', (e) => e.turnId === sent.turnId);
      assert.deepEqual([done.status, done.reply], ['completed', 'survived the drop']);
      const st = await c.request(P.FleetStatusRequest);
      assert.equal(st.runtime.pid, pid);
      assert.equal(st.runtime.restarts, 0);
      assert.equal(st.runtime.state, 'ready');
    } finally {
      for (const client of h.clients) client.close();
      h.clients.length = 0;
      await sidecar.stop();
    }
  });

  it('300 seeded fuzz messages across every method: no internal error, no hang, no runtime restart', async () => {
    h = await FleetHarness.create();
    const c = await h.connect('fuzz');
    await h.ready(c);
    const before = await c.request(P.FleetStatusRequest);
    const rand = prng(20261207);
    const methods = [...REQUEST_SCHEMAS.keys()].filter((m) => !UNFUZZED.has(m));
    const codes = new Map<number | 'ok', number>();
    for (let i = 0; i < 300; i++) {
      const method = methods[Math.floor(rand() * methods.length)]!;
      const params = fuzzParams(rand);
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${method} did not answer within 15 s`)), 15_000)));
      const outcome = await Promise.race([
        c.connection.sendRequest(method, params).then(
          () => 'ok' as const,
          (e: unknown) => FleetError.from(e).code as number,
        ),
        hang,
      ]).finally(() => clearTimeout(timer));
      assert.notEqual(outcome, ErrorCodes.Internal, `#${i} ${method} ${JSON.stringify(params)?.slice(0, 200)} got an internal error`);
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok((codes.get(ErrorCodes.InvalidParams) ?? 0) > 150, `mostly refused at the edge: ${JSON.stringify([...codes])}`);
    const after = await c.request(P.FleetStatusRequest);
    assert.equal(after.runtime.pid, before.runtime.pid);
    assert.equal(after.runtime.restarts, 0);
    assert.equal(after.runtime.state, 'ready');
    const { session } = await c.request(P.SessionsStart, {});
    assert.ok(session.id);
  });
});
