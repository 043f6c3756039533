/**
 * The built `codex-fleet` CLI as a subprocess against a real sidecar, the REAL pinned codex and the
 * scripted model: start, send --wait, approvals via events --follow, event replay, bad input.
 * Needs `npm run build` (test:integration does it).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import type { PendingRequest, FleetEvent, FleetStatus, SessionSummary } from '../../protocol/types';
import { processAlive } from '../../server/lock';
import { CLI_SCRIPT, FleetHarness } from '../support/fleetHarness';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const escalated = (cmd: string, justification: string) => ({
  type: 'functionCall' as const,
  name: 'exec_command',
  arguments: { cmd, sandbox_permissions: 'require_escalated', justification },
});

describe('codex-fleet CLI (subprocess, real codex)', function () {
  this.timeout(60_000);
  let h: FleetHarness;
  let sessionId: string;
  const running = new Set<ChildProcess>();

  function start(args: string[]): { child: ChildProcess; done: Promise<CliResult> } {
    const child = spawn(process.execPath, [CLI_SCRIPT, '--workspace', h.workspace, ...args], { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const done = new Promise<CliResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => {
        running.delete(child);
        resolve({ code, stdout, stderr });
      });
    });
    return { child, done };
  }

  /** Run the CLI to completion (asynchronously: the scripted model lives in this process). */
  const cli = (...args: string[]): Promise<CliResult> => start(args).done;

  function assertOneErrorLine(r: CliResult): void {
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, `exactly one stderr line, got ${JSON.stringify(r.stderr)}`);
    assert.match(lines[0]!, /^codex-fleet: \S/);
  }

  /** The first stdout line of a running CLI that satisfies `pred`, parsed as JSON. */
  function firstJsonLine<T>(child: ChildProcess, pred: (v: T) => boolean): Promise<T> {
    return new Promise((resolve, reject) => {
      let buf = '';
      const onData = (d: string): void => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const v = JSON.parse(line) as T;
          if (!pred(v)) continue;
          child.stdout!.off('data', onData);
          resolve(v);
          return;
        }
      };
      child.stdout!.on('data', onData);
      child.once('close', (code) => reject(new Error(`the CLI exited (${code}) before printing the expected line`)));
    });
  }

  before(async () => {
    h = await FleetHarness.create();
  });

  after(async () => {
    for (const child of running) child.kill('SIGKILL');
    if (h) {
      const stopped = await cli('stop');
      try {
        assert.equal(stopped.code, 0, stopped.stderr);
      } finally {
        await h.dispose();
      }
    }
  });

  it('status reports "not running" without starting a sidecar', async () => {
    const r = await cli('status', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).running, false);
    const again = await cli('status', '--json');
    assert.equal(JSON.parse(again.stdout).running, false, 'status did not start one');
  });

  it('sessions start --json starts the sidecar and prints the session', async () => {
    const r = await cli('sessions', 'start', '--json', '--approval-policy', 'on-request', '--sandbox', 'workspace-write', '--name', 'cli test');
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as SessionSummary;
    assert.match(s.id, /^[0-9a-f-]{36}$/);
    assert.equal(s.name, 'cli test');
    sessionId = s.id;
    const status = await cli('status', '--json');
    assert.equal(JSON.parse(status.stdout).running, true);
    assert.equal(JSON.parse(status.stdout).runtime.state, 'ready');
  });

  it('sessions send --wait --json prints the scripted reply', async () => {
    h.model.enqueue([{ type: 'message', text: 'Hello from the script.', chunks: ['Hello ', 'from the ', 'script.'] }]);
    const r = await cli('sessions', 'send', sessionId, 'say', 'hello', '--wait', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { turnId: string; status: string; reply: string };
    assert.equal(out.status, 'completed');
    assert.equal(out.reply, 'Hello from the script.');
    assert.ok(out.turnId);
    const req = await h.model.waitForRequest((m) => m.lastUserText() === 'say hello');
    assert.ok(req);
  });

  it('approvals: a pending command shows in events --follow and approvals list, and decide accept runs it', async () => {
    h.model.enqueue([escalated('echo cli-approved', 'the CLI test needs it')], [{ type: 'message', text: 'ran it' }]);
    const follow = start(['events', '--follow', '--json', '--since', '0', '--session', sessionId, '--kind', 'request/pending']);
    const pendingEvent = firstJsonLine<FleetEvent>(follow.child, (e) => e.kind === 'request/pending');
    const send = start(['sessions', 'send', sessionId, 'run', 'something', '--wait', '--json']);

    const ev = await pendingEvent;
    assert.ok(ev.kind === 'request/pending');
    const list = await cli('approvals', 'list', '--json', '--session', sessionId);
    assert.equal(list.code, 0, list.stderr);
    const pending = (JSON.parse(list.stdout) as { data: PendingRequest[] }).data;
    assert.equal(pending.length, 1);
    const p = pending[0]!;
    assert.equal(p.id, ev.request.id);
    assert.equal(p.sessionId, sessionId);
    assert.equal(p.kind, 'commandApproval');
    assert.ok(p.kind === 'commandApproval' && p.command.includes('echo cli-approved'), JSON.stringify(p));
    assert.ok(p.kind === 'commandApproval' && p.reason === 'the CLI test needs it');

    const human = await cli('approvals', 'list');
    assert.match(human.stdout, new RegExp(`^${p.id} +command +session ${sessionId}`, 'm'));

    const decided = await cli('approvals', 'decide', p.id, 'accept');
    assert.equal(decided.code, 0, decided.stderr);
    const again = await cli('approvals', 'decide', p.id, 'decline');
    assert.notEqual(again.code, 0, 'a second answer is refused');
    assertOneErrorLine(again);

    const sent = await send.done;
    assert.equal(sent.code, 0, sent.stderr);
    assert.deepEqual(JSON.parse(sent.stdout).reply, 'ran it');
    const followUp = await h.model.waitForRequest((r) => r.functionOutputs().some((o) => o.output.includes('cli-approved')));
    assert.ok(followUp);

    follow.child.kill('SIGINT');
    const followed = await follow.done;
    assert.equal(followed.code, 0, followed.stderr);
  });

  it('events --since 0 --json prints one parseable event per line, in seq order', async () => {
    const r = await cli('events', '--since', '0', '--json');
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FleetEvent);
    assert.ok(events.length > 5, r.stdout);
    const seqs = events.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.ok(
      events.some((e) => e.kind === 'turn/completed' && e.sessionId === sessionId && e.reply === 'Hello from the script.'),
      events.filter((e) => e.kind === 'turn/completed').map((e) => JSON.stringify(e)).join('\n'),
    );
    const human = await cli('events', '--session', sessionId, '--kind', 'turn/completed');
    assert.match(human.stdout, /turn\/completed +\S+ turn \S+ completed: Hello from the script\./);
  });

  it('bad input: unknown session, invalid enum, missing argument, unknown request', async () => {
    const unknown = await cli('sessions', 'show', '00000000-0000-7000-8000-000000000000');
    assert.notEqual(unknown.code, 0);
    assert.notEqual(unknown.code, 2);
    assertOneErrorLine(unknown);

    const badEnum = await cli('sessions', 'start', '--approval-policy', 'sometimes');
    assert.equal(badEnum.code, 2);
    assertOneErrorLine(badEnum);
    assert.match(badEnum.stderr, /untrusted, on-request, on-failure, never/);

    const missing = await cli('sessions', 'send', sessionId);
    assert.equal(missing.code, 2);
    assertOneErrorLine(missing);

    const noRequest = await cli('approvals', 'decide', 'req-does-not-exist', 'accept');
    assert.equal(noRequest.code, 1);
    assertOneErrorLine(noRequest);
  });

  it('--json: a failure is one error document on stdout; a message starting with "-" is text', async () => {
    const unknown = await cli('sessions', 'show', '00000000-0000-7000-8000-000000000000', '--json');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, '');
    const doc = JSON.parse(unknown.stdout) as { error: { code: number; name: string; message: string } };
    assert.deepEqual([doc.error.code, doc.error.name], [-32001, 'SessionNotFound']);

    h.model.enqueue([{ type: 'message', text: 'fixed' }]);
    const dashed = await cli('sessions', 'send', sessionId, '- fix the bug', '--wait', '--json');
    assert.equal(dashed.code, 0, dashed.stdout + dashed.stderr);
    assert.ok(await h.model.waitForRequest((m) => m.lastUserText() === '- fix the bug'));
  });

  it('stop --force kills a sidecar that no longer answers, with its app-server', async () => {
    const status = JSON.parse((await cli('status', '--json')).stdout) as FleetStatus & { running: boolean };
    assert.equal(status.running, true);
    const sidecarPid = status.sidecar.pid;
    const appServerPid = status.runtime.pid;
    assert.ok(appServerPid, 'app-server runs');
    process.kill(sidecarPid, 'SIGSTOP'); // alive, holding the lock and the socket, answering nothing
    const r = await cli('stop', '--force', '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { running: false, stopped: true, pid: sidecarPid, killed: true });
    assert.equal(processAlive(sidecarPid), false, 'the sidecar is gone');
    assert.equal(processAlive(appServerPid), false, 'its app-server is gone');
    const after = await cli('status', '--json');
    assert.equal(JSON.parse(after.stdout).running, false);
  });
});
