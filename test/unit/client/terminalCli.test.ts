/**
 * What VS Code's terminals get for `codex-fleet`: the environment a sidecar of the window would get,
 * and a launcher that runs the given CLI script with the given Node, arguments intact.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launcherScripts } from '../../../client/cliLauncher';
import { parseConfig, terminalCliEnvironment } from '../../../client/configModel';

const from = (values: Record<string, unknown>) => parseConfig((key) => values[key]);

describe('client/terminalCli', () => {
  it("gives terminals the window's state dir and the settings a sidecar of the window gets", () => {
    const env = terminalCliEnvironment(from({ codexHome: '${workspaceFolder}/.codex', codexPath: '/opt/codex', 'sidecar.idleTimeoutMinutes': 7 }), '/ws', {
      XDG_STATE_HOME: '/xdg',
      PATH: '/usr/bin',
    });
    assert.deepEqual(env, {
      CODEX_FLEET_STATE_DIR: '/xdg/codex-fleet',
      CODEX_FLEET_IDLE_TIMEOUT_MS: '420000',
      CODEX_HOME: '/ws/.codex',
      CODEX_FLEET_CODEX: '/opt/codex',
    });
    // Without settings: what the extension host has (an explicit state dir wins over XDG).
    assert.deepEqual(terminalCliEnvironment(from({}), '/ws', { CODEX_FLEET_STATE_DIR: '/state', XDG_STATE_HOME: '/xdg', CODEX_HOME: '/home/u/.codex' }), {
      CODEX_FLEET_STATE_DIR: '/state',
      CODEX_FLEET_IDLE_TIMEOUT_MS: '600000',
      CODEX_HOME: '/home/u/.codex',
    });
  });

  it('the sh launcher runs the CLI script with the given Node, passing every argument as is', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = mkdtempSync(join(tmpdir(), "fleet launcher 'q' "));
    try {
      const script = join(dir, 'cli.js');
      writeFileSync(script, 'console.log(JSON.stringify({ argv: process.argv.slice(2), electron: process.env.ELECTRON_RUN_AS_NODE }))');
      const launcher = join(dir, 'codex-fleet');
      writeFileSync(launcher, launcherScripts(process.execPath, script).sh);
      chmodSync(launcher, 0o755);
      const { stdout } = await promisify(execFile)(launcher, ['sessions', 'send', 'ID', '- fix the "bug" $HOME', '']);
      assert.deepEqual(JSON.parse(stdout), { argv: ['sessions', 'send', 'ID', '- fix the "bug" $HOME', ''], electron: '1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the cmd launcher runs the same script with the same Node', () => {
    const { cmd } = launcherScripts('C:\\Program Files\\Code\\Code.exe', 'C:\\ext\\dist\\cli\\codexFleet.js');
    assert.match(cmd, /^set ELECTRON_RUN_AS_NODE=1\r$/m);
    assert.match(cmd, /^"C:\\Program Files\\Code\\Code\.exe" "C:\\ext\\dist\\cli\\codexFleet\.js" %\*\r$/m);
  });
});
