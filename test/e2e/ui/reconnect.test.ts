/**
 * Reconnecting in a real VS Code: the sidecar is SIGKILLed while an approval is pending; the
 * extension reconnects (a new sidecar starts), drops the approval Codex can no longer take, and
 * does not miss the approval raised right after the kill — its notification's Accept completes
 * the turn.
 */
import { strict as assert } from 'node:assert';
import { FleetStatusRequest, SessionsSend } from '../../../protocol/sidecarProtocol';
import type { SessionSummary } from '../../../protocol/types';
import { useFleet } from './fleetFixture';

const escalated = (cmd: string) => ({
  type: 'functionCall' as const,
  name: 'exec_command',
  arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'e2e reconnect' },
});

describe('Reconnect after the sidecar is killed (real VS Code, real codex)', function () {
  const fleet = useFleet({ userSettings: { 'codexFleet.notifications.approvals': 'always' } });

  it('reconnects, drops the approval of the dead runtime, and shows the one raised meanwhile', async () => {
    const b = fleet.vsc.browser;
    // VS Code starts the sidecar (so its extension host is the parent that reaps it when killed).
    await b.openViewContainer('Codex Fleet');
    await b.page.locator('.welcome-view-content', { hasText: 'No Codex sessions' }).waitFor({ timeout: 45_000 });
    const s = await fleet.cli<SessionSummary>('sessions', 'start', '--name', 'Survivor', '--approval-policy', 'on-request');
    await b.treeRow('Survivor').waitFor();

    // An approval is pending (shown in the view) when the sidecar dies.
    const before = await fleet.sdk('before-kill');
    const beforeLog = fleet.h.log(before);
    fleet.h.model.enqueue([escalated('echo before-the-kill')]);
    await before.request(SessionsSend, { sessionId: s.id, text: 'first' });
    await beforeLog.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    await b.treeRow('Run echo before-the-kill').waitFor();
    const { sidecar } = await before.request(FleetStatusRequest);
    const closed = new Promise<void>((r) => before.onClose(() => r()));
    process.kill(sidecar.pid, 'SIGKILL');
    await closed;

    // Right away another client raises a new approval (starting or attaching to the next sidecar).
    fleet.h.model.enqueue([escalated('echo after-the-kill')], [{ type: 'message', text: 'survived' }]);
    const after = await fleet.sdk('after-kill');
    const afterLog = fleet.h.log(after);
    assert.notEqual(after.status.sidecar.pid, sidecar.pid);
    await after.request(SessionsSend, { sessionId: s.id, text: 'second' });

    await b.clickNotificationButton('wants to run: echo after-the-kill', 'Accept');
    const done = await afterLog.waitFor('turn/completed', (e) => e.sessionId === s.id && e.reply === 'survived', 30_000);
    assert.equal(done.status, 'completed');
    // The extension re-read the new sidecar's state: the old approval is not left behind.
    await b.treeRow('Run echo before-the-kill').waitFor({ state: 'detached' });
    await b.page.locator('[aria-label*="0 pending requests,"]').first().waitFor();
  });
});
