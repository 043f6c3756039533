/**
 * Terminal agents in a real VS Code: an agent created from the CLI appears in the Agents view with
 * its state, its integrated terminal shows the Codex TUI (bridged to the sidecar's pty), typing in
 * that terminal reaches the model and the row goes RUNNING → WAITING; closing the terminal detaches
 * (the agent keeps running) and reopening restores the screen. Then the Create Agent steps with a
 * worktree (consent modal), Show Changes, the transcript document, a session opened in a terminal,
 * and destroy removing the worktree.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentsList, FleetStatusRequest } from '../../../protocol/sidecarProtocol';
import type { AgentSummary, SessionSummary } from '../../../protocol/types';
import { itRanTheInstalledVsix, useFleet } from './fleetFixture';

describe('Agents view and agent terminals (real VS Code, real codex TUI)', function () {
  const fleet = useFleet({ git: true });

  /** The Agents view's row of agent `name`. */
  const agentRow = (name: string | RegExp) =>
    fleet.vsc.browser.page.locator('.pane', { has: fleet.vsc.browser.page.locator('.pane-header', { hasText: 'Agents' }) }).locator('.monaco-list-row', { hasText: name }).first();

  /** Run a palette command that opens its own quick input titled like `pickerTitle`. */
  async function runPickerCommand(title: string, pickerTitle: string | RegExp): Promise<void> {
    const page = fleet.vsc.browser.page;
    const widget = page.locator('.quick-input-widget');
    await page.locator('.monaco-workbench').focus();
    await page.keyboard.press('F1');
    await widget.locator('input.input').fill(`>${title}`);
    await widget.locator('.monaco-list-row.focused', { hasText: title }).waitFor();
    await widget.locator('input.input').press('Enter');
    await widget.locator('.quick-input-title', { hasText: pickerTitle }).waitFor();
  }

  /** Answer the quick input whose title matches `title`: type `text` (pick: the focused row must match) and Enter. */
  async function answer(title: string | RegExp, text: string, pick?: string): Promise<void> {
    const widget = fleet.vsc.browser.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: title }).waitFor();
    const input = widget.locator('input.input');
    await input.fill(text);
    if (pick) await widget.locator('.monaco-list-row.focused', { hasText: pick }).waitFor();
    await input.press('Enter');
  }

  async function agents(): Promise<AgentSummary[]> {
    const sdk = await fleet.sdk('agents-e2e');
    return (await sdk.request(AgentsList)).data;
  }

  it('offers to create an agent while there is none', async () => {
    await fleet.vsc.browser.openViewContainer('Codex Fleet');
    await fleet.vsc.browser.page.locator('.welcome-view-content', { hasText: 'No Codex agents yet' }).waitFor({ timeout: 45_000 });
  });

  it('shows an agent created from the CLI with its state', async () => {
    const created = await fleet.cli<AgentSummary>('agents', 'create', 'alpha', '--yes');
    assert.equal(created.name, 'alpha');
    await agentRow('alpha').waitFor({ timeout: 30_000 });
    await agentRow(/alpha.*WAITING \(end of turn\)/).waitFor({ timeout: 30_000 });
  });

  it("opens the agent's terminal with the Codex TUI when its row is clicked", async () => {
    await agentRow('alpha').click();
    await fleet.vsc.browser.page.locator('.tabs-container .tab, .terminal-tabs-entry, .single-terminal-tab', { hasText: 'Codex agent: alpha' }).first().waitFor();
    await fleet.vsc.browser.waitForTerminalText('for shortcuts');
  });

  it('typing in the terminal reaches the model; the row goes RUNNING, then WAITING', async () => {
    const page = fleet.vsc.browser.page;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    fleet.h.model.setHandler(async () => {
      await gate;
      return [{ type: 'message', text: 'Reply typed back into the terminal.' }];
    });
    try {
      await page.locator('.terminal-wrapper.active .xterm, .xterm').last().click();
      await page.keyboard.type('hello from the vscode terminal');
      await fleet.vsc.browser.waitForTerminalText('hello from the vscode terminal');
      await page.keyboard.press('Enter');
      await fleet.h.model.waitForRequest((r) => r.lastUserText() === 'hello from the vscode terminal', 20_000);
      await agentRow(/alpha.*RUNNING/).waitFor();
      await agentRow('alpha').locator('.codicon-loading').waitFor();
      release();
      await agentRow(/alpha.*WAITING \(end of turn\)/).waitFor({ timeout: 30_000 });
      await fleet.vsc.browser.waitForTerminalText('Reply typed back into the terminal.');
    } finally {
      release();
      fleet.h.model.setHandler(undefined);
    }
  });

  it('closing the terminal detaches (the agent keeps running); reopening restores the screen', async () => {
    const page = fleet.vsc.browser.page;
    await fleet.vsc.browser.runCommand('Terminal: Kill the Active Terminal Instance');
    await page.locator('.xterm-rows', { hasText: 'Reply typed back into the terminal.' }).first().waitFor({ state: 'detached' });
    const list = await fleet.cli<AgentSummary[] | { data: AgentSummary[] }>('agents', 'list');
    const agents = Array.isArray(list) ? list : list.data;
    assert.equal(agents.find((a) => a.name === 'alpha')?.state, 'WAITING');
    await agentRow('alpha').click();
    await fleet.vsc.browser.waitForTerminalText('Reply typed back into the terminal.');
    await fleet.vsc.browser.waitForTerminalText('for shortcuts');
    if (process.env.E2E_AGENTS_SHOT) await fleet.vsc.browser.screenshot('agents-reopened');
  });

  it('reattaches the terminal after the sidecar connection dropped', async () => {
    const page = fleet.vsc.browser.page;
    const sdk = await fleet.sdk('agents-e2e-reconnect');
    const vscodeClients = async () => (await sdk.request(FleetStatusRequest)).sidecar.clients.filter((c) => c.name === 'vscode').map((c) => c.id);
    const before = await vscodeClients();
    assert.equal(before.length, 1);
    await fleet.vsc.browser.runCommand('Codex Fleet: Reconnect to Sidecar');
    const deadline = Date.now() + 30_000;
    // The window's connection is replaced (input is only taken from the connection that attached).
    while ((await vscodeClients()).some((id) => id === before[0]) || (await vscodeClients()).length === 0) {
      if (Date.now() > deadline) throw new Error('the VS Code client did not reconnect');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Keystrokes are dropped while detached: type until the reattached agent echoes them.
    await page.locator('.xterm').last().click();
    for (;;) {
      await page.keyboard.type('z');
      try {
        await page.locator('.xterm-rows', { hasText: /›\s*z+/ }).last().waitFor({ timeout: 1_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
    assert.equal((await sdk.request(AgentsList)).data.find((a) => a.name === 'alpha')?.state, 'WAITING');
    for (let i = 0; i < 20; i++) await page.keyboard.press('Backspace');
  });

  it('creates an agent with a worktree through the Create Agent steps, asking for consent once', async () => {
    const page = fleet.vsc.browser.page;
    await runPickerCommand('Codex Fleet: Create Agent', /\(1\/5\)/);
    await answer(/\(1\/5\)/, 'beta');
    await answer(/\(2\/5\)/, 'Codex TUI', 'Codex TUI');
    await answer(/\(3\/5\)/, 'Own branch', 'Own branch and worktree');
    await answer(/\(3\/5\)/, 'HEAD');
    await answer(/\(4\/5\)/, '');
    await answer(/\(5\/5\)/, '');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Trust this folder for Codex agents?' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Trust Folder' }).click();
    await agentRow(/beta.*codex-fleet\/beta/).waitFor({ timeout: 30_000 });
    await fleet.vsc.browser.page.locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: 'Codex agent: beta' }).first().waitFor();
    await fleet.vsc.browser.waitForTerminalText('for shortcuts');
  });

  it("shows a worktree agent's changes against its base in the multi-diff editor", async () => {
    const beta = (await agents()).find((a) => a.name === 'beta');
    assert.ok(beta?.worktree, 'beta has a worktree');
    fs.writeFileSync(path.join(beta.worktree, 'added-by-agent.txt'), 'new file\n');
    // The row's context menu offers it (worktree agents only); run it from the palette (a click in
    // the context menu is not reliable under playwright).
    const page = fleet.vsc.browser.page;
    await agentRow('beta').click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'Show Agent Changes' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.context-view .action-label').first().waitFor({ state: 'hidden' });
    await runPickerCommand('Codex Fleet: Show Agent Changes', 'Show Changes of an Agent');
    await answer('Show Changes of an Agent', 'beta', 'beta');
    await fleet.vsc.browser.page.locator('.tabs-container .tab', { hasText: 'Agent beta' }).first().waitFor();
    await fleet.vsc.browser.page.locator('.multiDiffEditor', { hasText: 'added-by-agent.txt' }).first().waitFor();
    if (process.env.E2E_AGENTS_SHOT) await fleet.vsc.browser.screenshot('agents-changes');
  });

  it("opens an agent's transcript as a read-only Markdown document", async () => {
    await runPickerCommand('Codex Fleet: Open Agent Transcript', 'Open the Transcript of an Agent');
    await answer('Open the Transcript of an Agent', 'alpha', 'alpha');
    await fleet.vsc.browser.page.locator('.tabs-container .tab', { hasText: 'alpha.md' }).first().waitFor();
    await fleet.vsc.browser.page.locator('.monaco-editor .view-lines', { hasText: 'hello from the vscode terminal' }).first().waitFor();
  });

  it('opens a session in a terminal as a session agent', async () => {
    const started = await fleet.cli<SessionSummary>('sessions', 'start', '--name', 'Shown In Terminal');
    await runPickerCommand('Codex Fleet: Open Session in Terminal', 'Open a Session in a Terminal');
    await answer('Open a Session in a Terminal', 'Shown In Terminal', 'Shown In Terminal');
    await agentRow(/shown-in-terminal.*session/).waitFor({ timeout: 30_000 });
    await fleet.vsc.browser.waitForTerminalText('for shortcuts');
    const agent = (await agents()).find((a) => a.name === 'shown-in-terminal');
    assert.equal(agent?.sessionId, started.id);
  });

  it('destroys an agent, removing its worktree and branch when asked', async () => {
    const page = fleet.vsc.browser.page;
    const beta = (await agents()).find((a) => a.name === 'beta');
    assert.ok(beta?.worktree);
    await runPickerCommand('Codex Fleet: Destroy Agent', 'Destroy an Agent');
    await answer('Destroy an Agent', 'beta', 'beta');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Destroy agent beta?' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Destroy, Remove Worktree and Branch' }).click();
    await agentRow('beta').waitFor({ state: 'detached', timeout: 30_000 });
    assert.ok(!(await agents()).some((a) => a.name === 'beta'));
    assert.ok(!fs.existsSync(beta.worktree));
  });

  itRanTheInstalledVsix(fleet);
});
