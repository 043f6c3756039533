/**
 * Reconnecting in a real VS Code: the sidecar is SIGKILLed while an approval is pending. The
 * extension reconnects (a new sidecar starts and takes over the still-running Codex runtime), the
 * pending approval is not lost — it keeps its id and its notification — and each place the user can
 * answer from works right away: the notification shown before the kill, the Approvals view's inline
 * Accept, and the transcript's inline card.
 */
import { strict as assert } from 'node:assert';
import { FleetStatusRequest, SessionsSend } from '../../../protocol/sidecarProtocol';
import type { SessionSummary } from '../../../protocol/types';
import type { FleetClient } from '../../../sdk/fleetClient';
import type { EventLog } from '../../support/fleetHarness';
import { openTranscriptByName, useFleet } from './fleetFixture';

const escalated = (cmd: string) => ({
  type: 'functionCall' as const,
  name: 'exec_command',
  arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'e2e reconnect' },
});

describe('Reconnect after the sidecar is killed (real VS Code, real codex)', function () {
  const fleet = useFleet({ userSettings: { 'codexFleet.notifications.approvals': 'always' } });
  let session: SessionSummary;
  let runtimePid: number | undefined;
  let clients = 0;

  before(async function () {
    this.timeout(60_000);
    const b = fleet.vsc.browser;
    // VS Code starts the sidecar (so its extension host is the parent that reaps it when killed).
    await b.openViewContainer('Codex Fleet');
    await b.page.locator('.welcome-view-content', { hasText: 'No Codex sessions' }).waitFor({ timeout: 45_000 });
    session = await fleet.cli<SessionSummary>('sessions', 'start', '--name', 'Survivor', '--approval-policy', 'on-request');
    await b.treeRow('Survivor').waitFor();
  });

  /**
   * Start a turn that asks to run `cmd`, wait until the window lists the approval, then SIGKILL the
   * sidecar. Returns an SDK client's log of the sidecar that replaced it (connected once the window
   * reconnected) — call it after the click, so the click is the first thing the new sidecar hears.
   */
  async function killWhilePending(cmd: string, reply: string): Promise<() => Promise<{ after: FleetClient; log: EventLog }>> {
    const before = await fleet.sdk(`before-kill-${++clients}`);
    const beforeLog = fleet.h.log(before);
    fleet.h.model.enqueue([escalated(cmd)], [{ type: 'message', text: reply }]);
    await before.request(SessionsSend, { sessionId: session.id, text: `run ${cmd}` });
    await beforeLog.waitFor('request/pending', (e) => e.request.sessionId === session.id);
    await fleet.vsc.browser.treeRow(`Run ${cmd}`).waitFor();
    const { sidecar, runtime } = await before.request(FleetStatusRequest);
    runtimePid ??= runtime.pid;
    const closed = new Promise<void>((r) => before.onClose(() => r()));
    process.kill(sidecar.pid, 'SIGKILL');
    await closed;
    return async () => {
      const after = await fleet.sdk(`after-kill-${clients}`);
      assert.notEqual(after.status.sidecar.pid, sidecar.pid);
      await fleet.h.ready(after);
      assert.equal((await after.request(FleetStatusRequest)).runtime.pid, runtimePid, 'the same Codex runtime');
      return { after, log: fleet.h.log(after) };
    };
  }

  async function turnCompletes(next: () => Promise<{ log: EventLog }>, reply: string): Promise<void> {
    const { log } = await next();
    const done = await log.waitFor('turn/completed', (e) => e.sessionId === session.id && e.reply === reply, 30_000);
    assert.equal(done.status, 'completed');
    await fleet.vsc.browser.page.locator('[aria-label*="0 pending requests,"]').first().waitFor();
  }

  it('reconnects without losing the pending approval; Accept on its notification completes the turn', async () => {
    const next = await killWhilePending('echo across-the-kill', 'survived');
    // The notification shown before the kill: one toast (the re-listed request keeps its id and toast).
    await fleet.vsc.browser.clickNotificationButton('wants to run: echo across-the-kill', 'Accept');
    await turnCompletes(next, 'survived');
    assert.equal(await fleet.vsc.browser.notification('wants to run: echo across-the-kill').count(), 0, 'no second toast for the same request');
  });

  it("the Approvals view's inline Accept answers a request re-listed after the reconnect", async () => {
    const next = await killWhilePending('echo from-the-view', 'view survived');
    const b = fleet.vsc.browser;
    await b.page.locator('[aria-label*="1 pending request,"]').first().waitFor({ timeout: 30_000 });
    const row = b.treeRow('Run echo from-the-view');
    await row.hover();
    await row.locator('.action-label[aria-label="Accept"]').click();
    await turnCompletes(next, 'view survived');
    await row.waitFor({ state: 'detached' });
  });

  it("the transcript's inline card answers after the reconnect", async () => {
    const b = fleet.vsc.browser;
    await openTranscriptByName(fleet, 'Survivor');
    const next = await killWhilePending('echo from-the-card', 'card survived');
    const card = b.webviewFrame().locator('.card.pending', { hasText: 'echo from-the-card' });
    await card.waitFor();
    await card.locator('vscode-button[aria-label="Accept"]').click();
    await turnCompletes(next, 'card survived');
    // No card is left asking. (Whether the decided card stays depends on whether the transcript
    // re-read its snapshot after the answer: snapshots carry pending requests, not past decisions.)
    await card.waitFor({ state: 'detached' });
    await b.webviewFrame().locator('.row', { hasText: 'echo from-the-card' }).first().waitFor();
  });
});
