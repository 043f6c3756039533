/**
 * A login changes the account of every session of the sidecar: every client is told who changed
 * it and how (`account/updated` with `change`), with the real codex.
 */
import { strict as assert } from 'node:assert';
import * as P from '../../protocol/sidecarProtocol';
import { FleetHarness } from '../support/fleetHarness';

describe('account changes with the real codex', function () {
  this.timeout(60_000);
  let h: FleetHarness;
  afterEach(async () => h?.dispose());

  it('a sign-in and a sign-out by one client are announced to every client, naming who did it', async () => {
    h = await FleetHarness.create();
    const watcher = await h.connect('watcher');
    await h.ready(watcher);
    const cli = await h.connect('cli');
    const log = h.log(watcher);
    await cli.request(P.AccountLoginStart, { type: 'apiKey', apiKey: 'sk-test-not-a-real-key-0123456789' });
    const login = await log.waitFor('account/updated', (e) => e.change?.action === 'login');
    assert.deepEqual(login.change, { action: 'login', method: 'apiKey', by: 'cli' });
    assert.ok(!JSON.stringify(log.events).includes('sk-test-not-a-real-key'), 'the key never reaches an event');
    await cli.request(P.AccountLogout);
    const logout = await log.waitFor('account/updated', (e) => e.change?.action === 'logout');
    assert.deepEqual(logout.change, { action: 'logout', by: 'cli' });
  });
});
