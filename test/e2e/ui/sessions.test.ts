/**
 * The Sessions view in a real VS Code: sessions started from the CLI appear with the right status,
 * move between groups as they run, and a palette command picks a session with its QuickPick.
 */
import { strict as assert } from 'node:assert';
import { SessionsSend } from '../../../protocol/sidecarProtocol';
import type { SessionSummary } from '../../../protocol/types';
import { useFleet } from './fleetFixture';

describe('Sessions view (real VS Code, real codex)', function () {
  const fleet = useFleet();
  let sessionId = '';

  /**
   * Run a palette command that opens its own QuickPick, and wait for that picker (titled `pickerTitle`).
   * (`browser.runCommand` waits for the quick input to close, which such a command never lets it do.)
   */
  async function runPickerCommand(title: string, pickerTitle: string): Promise<void> {
    const page = fleet.vsc.browser.page;
    const widget = page.locator('.quick-input-widget');
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press('F1');
    await widget.locator('input.input').fill(`>${title}`);
    await widget.locator('.monaco-list-row.focused', { hasText: title }).waitFor();
    await widget.locator('input.input').press('Enter');
    await widget.locator('.quick-input-title', { hasText: pickerTitle }).waitFor();
  }

  /** Pick `label` in the open QuickPick (typing to filter, Enter once it is the focused row). */
  async function pick(label: string): Promise<void> {
    const widget = fleet.vsc.browser.page.locator('.quick-input-widget');
    await widget.locator('input.input').fill(label);
    await widget.locator('.monaco-list-row.focused', { hasText: label }).waitFor();
    await widget.locator('input.input').press('Enter');
  }

  /** Answer the open input box with `text`. */
  async function type(text: string): Promise<void> {
    const input = fleet.vsc.browser.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill(text);
    await input.press('Enter');
  }

  it('says there are no sessions yet once connected', async () => {
    await fleet.vsc.browser.openViewContainer('Codex Fleet');
    await fleet.vsc.browser.page.locator('.welcome-view-content', { hasText: 'No Codex sessions in this workspace yet' }).waitFor({ timeout: 45_000 });
  });

  it('shows a session started from the CLI under Idle, then under Running while its turn runs', async () => {
    const page = fleet.vsc.browser.page;
    const started = await fleet.cli<SessionSummary>('sessions', 'start', '--name', 'From the CLI');
    assert.ok(started.id);
    sessionId = started.id;
    const row = fleet.vsc.browser.treeRow('From the CLI');
    await row.waitFor();
    await page.locator('.monaco-list-row', { hasText: /^Idle/ }).first().waitFor();

    fleet.h.model.enqueue([{ type: 'hang' }]);
    const sdk = await fleet.sdk();
    await sdk.request(SessionsSend, { sessionId: started.id, text: 'work for a while' });
    await page.locator('.monaco-list-row', { hasText: /^Running/ }).first().waitFor();
    await page.locator('.monaco-list-row', { hasText: 'From the CLI' }).locator('.codicon-loading').waitFor();
  });

  it('interrupts the running turn from the palette, picking the session in a QuickPick', async () => {
    const log = fleet.h.log(await fleet.sdk('interrupt-watch'));
    await runPickerCommand('Codex Fleet: Interrupt Turn', 'Interrupt a Running Turn');
    await pick('From the CLI');
    const done = await log.waitFor('turn/completed', (e) => e.sessionId === sessionId);
    assert.equal(done.status, 'interrupted');
    await fleet.vsc.browser.page.locator('.monaco-list-row', { hasText: /^Idle/ }).first().waitFor();
  });

  it('sends a message from the palette: session picker, then the message box', async () => {
    fleet.h.model.enqueue([{ type: 'message', text: 'palette reply' }]);
    await runPickerCommand('Codex Fleet: Send Message', 'Send Message to a Codex Session');
    await pick('From the CLI');
    await type('hello from the palette');
    const req = await fleet.h.model.waitForRequest((r) => r.lastUserText() === 'hello from the palette');
    assert.ok(req);
  });

  it('opens the session transcript when its row is clicked', async () => {
    const page = fleet.vsc.browser.page;
    await fleet.vsc.browser.treeRow('From the CLI').click();
    await page.locator('.tabs-container .tab', { hasText: 'From the CLI' }).first().waitFor();
    await fleet.vsc.browser.webviewFrame().locator('body').waitFor();
  });
});
