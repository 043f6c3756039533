/**
 * The transcript webview in a real VS Code with the real codex and the scripted model: open it from
 * the palette, watch a reply stream in after sending from its composer, answer an inline approval,
 * queue / steer / interrupt while a turn runs, survive a window reload (panel serializer), and render
 * hostile model output without running any of it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { SessionsSend } from '../../../protocol/sidecarProtocol';
import type { SessionSummary } from '../../../protocol/types';
import type { FleetClient } from '../../../sdk/fleetClient';
import type { EventLog } from '../../support/fleetHarness';
import { XSS_PAYLOADS, marked } from '../../support/xssPayloads';
import { openTranscriptByName, useFleet } from './fleetFixture';

const escalated = (cmd: string) => ({
  type: 'functionCall' as const,
  name: 'exec_command',
  arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'e2e transcript approval' },
});

describe('Transcript webview (real VS Code, real codex)', function () {
  const fleet = useFleet();
  let sdk: FleetClient;
  let log: EventLog;
  let sessionId = '';
  const NAME = 'Transcript target';
  const web = () => fleet.vsc.browser.webviewFrame();

  const openTranscript = () => openTranscriptByName(fleet, NAME);

  /** The transcript document itself (the frame holding the app), for evaluating in it. */
  async function transcriptFrame(): Promise<Frame> {
    for (const f of fleet.vsc.browser.page.frames()) {
      if (await f.evaluate(() => !!document.querySelector('#app .composer')).catch(() => false)) return f;
    }
    throw new Error('transcript frame not found');
  }

  async function sendFromComposer(text: string): Promise<void> {
    const input = web().locator('vscode-textarea.composer-input textarea');
    await input.fill(text);
    await input.press('Enter');
  }

  before(async function () {
    this.timeout(60_000);
    sdk = await fleet.sdk();
    log = fleet.h.log(sdk);
    const s = await fleet.cli<SessionSummary>('sessions', 'start', '--name', NAME, '--approval-policy', 'on-request');
    sessionId = s.id;
    await fleet.vsc.browser.openViewContainer('Codex Fleet');
    await fleet.vsc.browser.treeRow(NAME).waitFor({ timeout: 45_000 });
  });

  it('opens from the palette and streams a reply to a message sent from its composer', async () => {
    await openTranscript();
    fleet.h.model.enqueue([{ type: 'message', text: 'Hello from the **scripted** model', chunks: ['Hello ', 'from the ', '**scripted** model'] }]);
    await sendFromComposer('say hello');
    await web().locator('.row.userMessage .user-text', { hasText: 'say hello' }).waitFor();
    await web().locator('.markdown strong', { hasText: 'scripted' }).waitFor();
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId);
    await web().locator('.row.turnEnd', { hasText: 'Turn completed' }).first().waitFor();
  });

  it('answers an inline approval card', async () => {
    fleet.h.model.enqueue([escalated('echo from-transcript > transcript.txt')], [{ type: 'message', text: 'ran it' }]);
    await sdk.request(SessionsSend, { sessionId, text: 'run it' });
    const card = web().locator('.card.pending', { hasText: 'echo from-transcript' });
    await card.waitFor();
    await card.locator('vscode-button[aria-label="Accept"]').click();
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'ran it');
    assert.equal(fs.readFileSync(path.join(fleet.h.workspace, 'transcript.txt'), 'utf8').trim(), 'from-transcript');
    await web().locator('.card.ended', { hasText: 'Accepted' }).waitFor();
  });

  it('queues, removes, steers and interrupts while a turn runs', async () => {
    fleet.h.model.enqueue([{ type: 'hang' }], [{ type: 'message', text: 'steered reply' }]);
    await sendFromComposer('a long task');
    await web().locator('vscode-button[data-action="steer"]').waitFor();
    const input = web().locator('vscode-textarea.composer-input textarea');
    await input.fill('queued follow-up');
    await web().locator('vscode-button[data-action="queue"]').click();
    await web().locator('.queue-list', { hasText: 'queued follow-up' }).waitFor();
    await web().locator('.queue [data-action="remove-queued"]').click();
    await web().locator('.queue-list').waitFor({ state: 'detached' });
    await sendFromComposer('change of plan');
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'steered reply');
    fleet.h.model.enqueue([{ type: 'hang' }]);
    await sendFromComposer('another long task');
    await web().locator('vscode-button[data-action="interrupt"]').click();
    const done = await log.waitFor('turn/completed', (e) => e.sessionId === sessionId && e.status === 'interrupted');
    assert.equal(done.status, 'interrupted');
    await web().locator('.row.turnEnd', { hasText: 'Interrupted' }).first().waitFor();
  });

  it('is restored after a window reload, with its history', async () => {
    // The workbench's own reload: it saves the editor layout (with the panel's state) before going.
    const page = fleet.vsc.browser.page;
    const navigated = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input.input').fill('>Developer: Reload Window');
    await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Reload Window' }).waitFor();
    await page.locator('.quick-input-widget input.input').press('Enter');
    await navigated;
    await fleet.vsc.browser.waitForWorkbench();
    await web().locator('.session-title', { hasText: NAME }).waitFor({ timeout: 45_000 });
    await web().locator('.markdown', { hasText: 'steered reply' }).waitFor();
  });

  it('renders hostile model output as text and runs none of it', async () => {
    const frame = await transcriptFrame();
    await frame.evaluate(() => {
      (window as unknown as { __pwned: (id: string) => void }).__pwned = (id) => ((window as unknown as { __xss: string }).__xss = id);
    });
    const reply = XSS_PAYLOADS.filter((p) => !p.url).map(marked).join('\n\n');
    fleet.h.model.enqueue([{ type: 'message', text: reply }]);
    await sendFromComposer(XSS_PAYLOADS.slice(0, 10).map(marked).join('\n'));
    await log.waitFor('turn/completed', (e) => e.sessionId === sessionId);
    const last = XSS_PAYLOADS.filter((p) => !p.url).at(-1)!;
    await web().locator('.markdown', { hasText: `[${last.id}]` }).waitFor();
    await web().locator('.markdown a').first().click().catch(() => undefined);
    const state = await frame.evaluate(() => ({ xss: (window as unknown as { __xss?: unknown }).__xss, href: location.href }));
    assert.equal(state.xss, undefined, 'a payload ran in the webview');
    assert.ok(!/evil\.example/.test(state.href), 'the webview navigated');
    const text = await frame.evaluate(() => document.getElementById('app')?.textContent ?? '');
    for (const p of XSS_PAYLOADS.filter((x) => !x.url)) assert.ok(text.includes(`[${p.id}]`), `${p.id} not shown as text`);
  });
});
