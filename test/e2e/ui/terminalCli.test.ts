/**
 * `codex-fleet` in VS Code's integrated terminal: once the extension is active, a new terminal finds
 * the extension's own CLI on PATH (its launcher in global storage) and that CLI talks to the window's
 * sidecar — same pid — with the window's settings in its environment.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FleetStatus } from '../../../protocol/types';
import { useFleet } from './fleetFixture';

describe('codex-fleet in the integrated terminal (real VS Code)', function () {
  // A setting the terminal's environment must reflect (the fixture's env says 120000).
  const fleet = useFleet({ userSettings: { 'codexFleet.sidecar.idleTimeoutMinutes': 7 } });

  it("runs the extension's CLI against the window's sidecar", async () => {
    const { browser } = fleet.vsc;
    await browser.openViewContainer('Codex Fleet');
    // Connected: the window started (or found) the sidecar, and the extension set the terminals' environment.
    await browser.page.locator('.welcome-view-content', { hasText: 'No Codex sessions in this workspace yet' }).waitFor({ timeout: 45_000 });
    const windowPid = (await fleet.sdk('terminal-test')).status.sidecar.pid;

    await browser.runCommand('Terminal: Create New Terminal');
    const page = browser.page;
    await page.locator('.terminal-wrapper.active .xterm, .xterm').last().click();
    // Output goes to files in the workspace (read here), the terminal shows only a closing marker.
    await page.keyboard.type(
      'command -v codex-fleet > which.txt; echo "$CODEX_FLEET_IDLE_TIMEOUT_MS" > idle.txt; codex-fleet status --json > status.json; echo "cli-exit-$?"',
    );
    await page.keyboard.press('Enter');
    await browser.waitForTerminalText(/cli-exit-\d+/);
    assert.match(await browser.terminalText(), /cli-exit-0/);

    const ws = fleet.h.workspace;
    const which = fs.readFileSync(path.join(ws, 'which.txt'), 'utf8').trim();
    assert.match(which, /globalStorage[\\/]codex-fleet\.codex-fleet[\\/]bin[\\/]codex-fleet$/, `codex-fleet is the extension's launcher: ${which}`);
    assert.equal(fs.readFileSync(path.join(ws, 'idle.txt'), 'utf8').trim(), '420000');
    const status = JSON.parse(fs.readFileSync(path.join(ws, 'status.json'), 'utf8')) as FleetStatus & { running: boolean };
    assert.equal(status.running, true);
    assert.equal(status.sidecar.pid, windowPid, "the terminal's CLI reached the window's sidecar");
    assert.ok(status.sidecar.clients.some((c) => c.name === 'codex-fleet-cli'));
  });
});
