/**
 * The codex users have, in a real VS Code: a `codex` on PATH outside the tested range (a stand-in
 * that only answers `--version`; it never runs) is passed over for the bundled codex, the user is
 * told why (a notification with Open Log), and the status bar tooltip says which codex runs and why.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODEX_TESTED_RANGE } from '../../../protocol/codexRange';
import { FleetStatusRequest } from '../../../protocol/sidecarProtocol';
import { useFleet } from './fleetFixture';

describe('the codex on PATH and the tested range', function () {
  const fleet = useFleet({
    prepareEnv: (h) => {
      const bin = path.join(h.root, 'path-bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'codex'), '#!/bin/sh\necho "codex-cli 0.999.0"\n', { mode: 0o755 });
      delete h.env.CODEX_FLEET_CODEX;
      h.env.PATH = `${bin}${path.delimiter}${h.env.PATH ?? ''}`;
      // VS Code's server takes the extension host's PATH from the user's login shell, as for a real
      // user: a home whose profile puts the stand-in first.
      const home = path.join(h.root, 'home');
      fs.mkdirSync(home);
      fs.writeFileSync(path.join(home, '.bash_profile'), `export PATH="${bin}:$PATH"\n`);
      return { PATH: h.env.PATH, HOME: home };
    },
  });

  it('tells the user why the bundled codex runs (notification with Open Log), and the tooltip shows the codex in use', async () => {
    const browser = fleet.vsc.browser;
    await browser.openViewContainer('Codex Fleet');
    const toast = browser.notification(/codex 0\.999\.0 on PATH .* is outside the tested range/);
    await toast.waitFor();
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Open Log' }).count(), 1);
    await browser.clickNotificationButton(/outside the tested range/, 'Open Log');
    // The Codex Fleet log opens with the reason (lines wrap in the editor: match one token of it).
    await browser.page.locator('.output-view', { hasText: /0\.999\.0/ }).first().waitFor();
    const sdk = await fleet.sdk();
    const st = await sdk.request(FleetStatusRequest);
    assert.deepEqual([st.runtime.codexSource, st.runtime.codexVersion, st.runtime.codexInRange], ['pinned', CODEX_TESTED_RANGE.min, true]);
    await browser.page.locator('.statusbar-item', { hasText: 'Codex' }).first().hover();
    const hover = browser.page.locator('.monaco-hover, .workbench-hover', { hasText: 'from bundled (pinned), inside the tested range' }).first();
    await hover.waitFor();
    assert.match(await hover.innerText(), /codex 0\.999\.0 on PATH .* is outside the tested range/);
  });
});
