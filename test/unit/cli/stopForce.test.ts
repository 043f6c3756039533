/**
 * `codex-fleet stop [--force]` against a fake sidecar that never goes away: without --force the CLI
 * says so (Timeout); with --force it kills the sidecar's process group (here a real detached process).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { AgentsList, FleetStop } from '../../../protocol/sidecarProtocol';
import { FakeFleet, run } from './fakeFleet';

/** A detached process (leading its own group, as a sidecar does) with a child of its own in that group. */
async function fakeSidecarProcess(): Promise<ChildProcess> {
  const child = spawn('sh', ['-c', 'sleep 60 & echo ready; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  await once(child.stdout!, 'data');
  return child;
}

function stubbornFleet(pid: number): FakeFleet {
  const fake = new FakeFleet().on(FleetStop, () => ({ stopping: true })).on(AgentsList, () => ({ data: [] }));
  fake.status = { ...fake.status, sidecar: { ...fake.status.sidecar, pid } };
  return fake;
}

describe('cli stop --force', () => {
  let proc: ChildProcess | undefined;
  afterEach(() => {
    if (proc?.exitCode === null && proc.signalCode === null) process.kill(-proc.pid!, 'SIGKILL');
    proc = undefined;
  });

  it('without --force, a sidecar that does not go is a Timeout error pointing at --force', async () => {
    proc = await fakeSidecarProcess();
    const r = await run(['stop', '--timeout', '0.05', '--json'], stubbornFleet(proc.pid!));
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.out) as { error: { name: string; message: string } };
    assert.equal(doc.error.name, 'Timeout');
    assert.match(doc.error.message, /still shutting down after 0\.05 s.*codex-fleet stop --force/);
    assert.equal(proc.exitCode, null, 'nothing was killed');
  });

  it('with --force, kills the process group of a sidecar that does not go', async () => {
    proc = await fakeSidecarProcess();
    const exited = once(proc, 'exit');
    const fake = stubbornFleet(proc.pid!);
    const r = await run(['stop', '--force', '--timeout', '0.05', '--json'], fake);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(JSON.parse(r.out), { running: false, stopped: true, pid: proc.pid, killed: true });
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL');
    assert.deepEqual(fake.calls.map((c) => c.method), ['agents/list', 'fleet/stop']);
  });
});
