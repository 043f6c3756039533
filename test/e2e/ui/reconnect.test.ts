/**
 * Reconnecting in a real VS Code: the sidecar is SIGKILLed while an approval is pending. The
 * extension reconnects (a new sidecar starts and takes over the still-running Codex runtime), the
 * pending approval is not lost — it is shown again — and its notification's Accept completes the turn.
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

  it('reconnects without losing the pending approval; Accept on its notification completes the turn', async () => {
    const b = fleet.vsc.browser;
    // VS Code starts the sidecar (so its extension host is the parent that reaps it when killed).
    await b.openViewContainer('Codex Fleet');
    await b.page.locator('.welcome-view-content', { hasText: 'No Codex sessions' }).waitFor({ timeout: 45_000 });
    const s = await fleet.cli<SessionSummary>('sessions', 'start', '--name', 'Survivor', '--approval-policy', 'on-request');
    await b.treeRow('Survivor').waitFor();

    // An approval is pending (shown in the view) when the sidecar dies.
    const before = await fleet.sdk('before-kill');
    const beforeLog = fleet.h.log(before);
    fleet.h.model.enqueue([escalated('echo across-the-kill')], [{ type: 'message', text: 'survived' }]);
    await before.request(SessionsSend, { sessionId: s.id, text: 'first' });
    await beforeLog.waitFor('request/pending', (e) => e.request.sessionId === s.id);
    await b.treeRow('Run echo across-the-kill').waitFor();
    const { sidecar, runtime } = await before.request(FleetStatusRequest);
    const closed = new Promise<void>((r) => before.onClose(() => r()));
    process.kill(sidecar.pid, 'SIGKILL');
    await closed;

    // VS Code reconnects (starting a new sidecar, which takes over the same runtime) and the
    // approval comes back: answer it from its notification.
    await b.clickNotificationButton('wants to run: echo across-the-kill', 'Accept');
    const after = await fleet.sdk('after-kill');
    const afterLog = fleet.h.log(after);
    assert.notEqual(after.status.sidecar.pid, sidecar.pid);
    await fleet.h.ready(after);
    assert.equal((await after.request(FleetStatusRequest)).runtime.pid, runtime.pid, 'the same Codex runtime');
    const done = await afterLog.waitFor('turn/completed', (e) => e.sessionId === s.id && e.reply === 'survived', 30_000);
    assert.equal(done.status, 'completed');
    await b.page.locator('[aria-label*="0 pending requests,"]').first().waitFor();
  });
});
