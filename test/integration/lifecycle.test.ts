/**
 * Sidecar lifecycle: exactly one per workspace even when clients race to start it; private state
 * directory and socket; it stops itself once idle, and not while a turn runs.
 */
import { strict as assert } from 'node:assert';
import { existsSync, statSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import * as P from '../../protocol/sidecarProtocol';
import { FleetClient } from '../../sdk/fleetClient';
import { statePaths } from '../../sdk/stateDir';
import { FleetHarness, SIDECAR_SCRIPT } from '../support/fleetHarness';

/** Resolves when `path` no longer exists (fs.watch on its directory; no polling). */
function gone(path: string): Promise<void> {
  return new Promise((resolve) => {
    if (!existsSync(path)) return resolve();
    const w = watch(dirname(path), () => {
      if (!existsSync(path)) {
        w.close();
        resolve();
      }
    });
  });
}

describe('sidecar lifecycle', function () {
  this.timeout(60_000);
  let h: FleetHarness;
  afterEach(async () => h?.dispose());

  it('clients racing to start it get one sidecar, in a private state directory', async () => {
    h = await FleetHarness.create();
    const clients = await Promise.all(
      [1, 2, 3].map((i) => FleetClient.connect({ workspace: h.workspace, clientName: `racer-${i}`, env: h.env, sidecarScript: SIDECAR_SCRIPT })),
    );
    h.clients.push(...clients);
    const pids = new Set(clients.map((c) => c.status.sidecar.pid));
    assert.equal(pids.size, 1, `one sidecar, got pids ${[...pids].join(', ')}`);
    const status = await clients[0].request(P.FleetStatusRequest);
    assert.equal(status.sidecar.clients.length, 3);
    const paths = statePaths(h.workspace, h.env);
    assert.equal(statSync(paths.dir).mode & 0o777, 0o700);
    assert.equal(statSync(paths.socketPath).mode & 0o777, 0o600);
    assert.equal(status.sidecar.socketPath, paths.socketPath);
  });

  it('stops itself when idle (no clients, no turns), but not while a turn runs', async () => {
    h = await FleetHarness.create({ idleTimeoutMs: 1500 });
    const c = await h.connect('idle');
    await h.ready(c);
    h.model.enqueue([{ type: 'hang' }]);
    const { session } = await c.request(P.SessionsStart, {});
    const sent = await c.request(P.SessionsSend, { sessionId: session.id, text: 'keep me alive' });
    await h.model.waitForRequest((r) => r.hasText('keep me alive'));
    const paths = statePaths(h.workspace, h.env);
    c.close();
    // With a turn in flight the sidecar stays: a new client finds the same one and the turn still running.
    const again = await h.connect('idle-again');
    assert.equal(again.status.sidecar.pid, c.status.sidecar.pid);
    const read = await again.request(P.SessionsRead, { sessionId: session.id });
    assert.equal(read.session.activeTurnId, sent.turnId);
    await again.request(P.SessionsInterrupt, { sessionId: session.id });
    await again.request(P.SessionsWaitTurn, { sessionId: session.id, turnId: sent.turnId! });
    const lockGone = gone(paths.lockPath);
    again.close();
    await lockGone;
    assert.ok(!existsSync(paths.socketPath) || !(await FleetClient.connect({ workspace: h.workspace, clientName: 'probe', env: h.env, autoStart: false }).then(() => true, () => false)));
  });
});
