/** Self-test of the extension-host runner against the smoke fixture (test/e2e/fixtures/smokeExtension). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const SMOKE_ID = 'codex-fleet-test.smoke-extension';

describe('smoke extension (inside the extension host)', () => {
  it('is the extension under development and activates', async () => {
    const ext = vscode.extensions.getExtension<{ env(name: string): string | undefined }>(SMOKE_ID);
    assert.ok(ext, `${SMOKE_ID} not loaded`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    // extensionEnvironment from the runner reaches the extension host.
    assert.equal(api.env('E2E_HOST_MARKER'), 'from-runner');
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['smoke.hello', 'smoke.openWebview', 'smoke.openTerminal']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });

  it('opens the workspace folder it was started with', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    const [hello] = await vscode.workspace.findFiles('hello.txt');
    assert.ok(hello, 'hello.txt not found in the workspace');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(hello));
    assert.match(text, /hello from the e2e workspace/);
  });
});
