/**
 * Approvals in a real VS Code with the real codex: a scripted command approval pops a notification
 * whose Accept completes the turn and whose Decline reaches the model as a rejection; the Approvals
 * view's inline Accept answers; the status bar counts what is pending.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RequestsAnswer, SessionsSend } from '../../../protocol/sidecarProtocol';
import type { SessionSummary } from '../../../protocol/types';
import type { FleetClient } from '../../../sdk/fleetClient';
import type { EventLog } from '../../support/fleetHarness';
import { itRanTheInstalledVsix, useFleet } from './fleetFixture';

const escalated = (cmd: string) => ({
  type: 'functionCall' as const,
  name: 'exec_command',
  arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'e2e approval' },
});

describe('Approvals (real VS Code, real codex)', function () {
  const fleet = useFleet({ userSettings: { 'codexFleet.notifications.approvals': 'always' } });
  let sdk: FleetClient;
  let log: EventLog;
  let sessionId = '';

  /** Start a turn whose first model step asks to run `cmd` (then replies `reply`). */
  async function turnAsking(cmd: string, reply: string): Promise<void> {
    fleet.h.model.enqueue([escalated(cmd)], [{ type: 'message', text: reply }]);
    await sdk.request(SessionsSend, { sessionId, text: `please run ${cmd}` });
    await log.waitFor('request/pending', (e) => e.request.kind === 'commandApproval' && e.request.command.includes(cmd));
  }

  before(async function () {
    this.timeout(60_000);
    sdk = await fleet.sdk();
    log = fleet.h.log(sdk);
    const s = await fleet.cli<SessionSummary>('sessions', 'start', '--name', 'Approval target', '--approval-policy', 'on-request');
    sessionId = s.id;
    await fleet.vsc.browser.openViewContainer('Codex Fleet');
    await fleet.vsc.browser.treeRow('Approval target').waitFor({ timeout: 45_000 });
  });

  // VS Code shows at most three toasts and queues the rest; toasts of requests answered elsewhere
  // stay up (the API cannot close them), so start every test with none.
  beforeEach(async () => {
    await fleet.vsc.browser.runCommand('Notifications: Clear All Notifications');
  });

  it('Accept on the notification runs the command and completes the turn', async () => {
    await turnAsking('echo accepted-in-vscode > accepted.txt', 'ran it');
    await fleet.vsc.browser.clickNotificationButton('wants to run: echo accepted-in-vscode', 'Accept');
    const done = await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'ran it');
    assert.equal(done.status, 'completed');
    assert.equal(fs.readFileSync(path.join(fleet.h.workspace, 'accepted.txt'), 'utf8').trim(), 'accepted-in-vscode');
    const ended = await log.waitFor('request/ended', (e) => e.sessionId === sessionId);
    assert.deepEqual(ended.answer, { type: 'decision', decision: 'accept' });
  });

  it('Decline on the notification reaches the model as a rejection', async () => {
    await turnAsking('echo never > declined.txt', 'understood');
    await fleet.vsc.browser.clickNotificationButton('wants to run: echo never', 'Decline');
    const next = await fleet.h.model.waitForRequest((r) => r.functionOutputs().some((o) => /rejected/i.test(o.output)));
    assert.ok(next.functionOutputs().some((o) => /rejected by user/.test(o.output)), JSON.stringify(next.functionOutputs()));
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'understood');
    assert.equal(fs.existsSync(path.join(fleet.h.workspace, 'declined.txt')), false);
  });

  it('the status bar counts pending requests and the Approvals view answers inline', async () => {
    const page = fleet.vsc.browser.page;
    await turnAsking('echo from-the-view > view.txt', 'view done');
    await page.locator('[aria-label*="1 pending request,"]').first().waitFor();
    const row = fleet.vsc.browser.treeRow('Run echo from-the-view');
    await row.hover();
    await row.locator('.action-label[aria-label="Accept"]').click();
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'view done');
    await page.locator('[aria-label*="0 pending requests,"]').first().waitFor();
    await row.waitFor({ state: 'detached' });
  });

  it('a click on a request answered elsewhere says so quietly', async () => {
    await turnAsking('echo answered-by-cli', 'cli answered');
    const toast = fleet.vsc.browser.notification('wants to run: echo answered-by-cli');
    await toast.waitFor();
    const pending = log.of('request/pending').filter((e) => e.request.sessionId === sessionId).at(-1)!;
    await sdk.request(RequestsAnswer, { requestId: pending.request.id, answer: { type: 'decision', decision: 'decline' } });
    await log.waitFor('request/ended', (e) => e.requestId === pending.request.id);
    await toast.locator('.monaco-button', { hasText: 'Accept' }).first().click();
    await fleet.vsc.browser.page.locator('.statusbar-item', { hasText: 'was already answered' }).first().waitFor();
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'cli answered');
  });

  it('a question opens a QuickPick of its options from the notification; the pick reaches the model', async () => {
    fleet.h.model.enqueue(
      [
        {
          type: 'functionCall',
          name: 'request_user_input',
          arguments: { questions: [{ id: 'color', header: 'Color', question: 'Which color?', options: [{ label: 'Blue', description: 'calm' }, { label: 'Red', description: 'bold' }] }] },
        },
      ],
      [{ type: 'message', text: 'Red it is' }],
    );
    await sdk.request(SessionsSend, { sessionId, text: 'ask me', controls: { collaborationMode: 'plan' } });
    await fleet.vsc.browser.clickNotificationButton('asks: Which color?', 'Answer…');
    const widget = fleet.vsc.browser.page.locator('.quick-input-widget');
    await widget.locator('.monaco-list-row', { hasText: 'Blue' }).waitFor();
    await widget.locator('input.input').fill('Red');
    await widget.locator('.monaco-list-row.focused', { hasText: 'Red' }).waitFor();
    await widget.locator('input.input').press('Enter');
    const next = await fleet.h.model.waitForRequest((r) => r.functionOutputs().some((o) => o.output.includes('Red')));
    assert.ok(next.functionOutputs().some((o) => /"answers":\["Red"\]/.test(o.output)), JSON.stringify(next.functionOutputs()));
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'Red it is');
  });

  itRanTheInstalledVsix(fleet);
});
