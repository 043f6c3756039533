/** Self-test of the UI harness against the smoke fixture: every browser helper is exercised once. */
import { useVsCode } from '../../support/session';
import { SMOKE_EXTENSION } from '../../support/tools';

describe('smoke extension (UI)', function () {
  const vsc = useVsCode({ extensions: [SMOKE_EXTENSION], env: { SMOKE_TERMINAL_WORD: 'terminal-env-ok' } });

  it('shows its view container and tree rows', async () => {
    await vsc.browser.openViewContainer('Smoke Fleet');
    await vsc.browser.treeRow('Beta item').waitFor();
  });

  it('runs a command and answers its notification', async () => {
    await vsc.browser.runCommand('Smoke: Hello');
    await vsc.browser.clickNotificationButton('hello from the smoke extension', 'Approve');
    await vsc.browser.notification('Smoke: you chose Approve').waitFor();
  });

  it('talks to a webview', async () => {
    await vsc.browser.runCommand('Smoke: Open Webview');
    const frame = vsc.browser.webviewFrame();
    await frame.locator('#greeting', { hasText: 'Hello from the smoke webview' }).waitFor();
    await frame.locator('#ping').click();
    await vsc.browser.notification('Smoke: webview said ping').waitFor();
  });

  it('reads terminal output (env reaches the extension host)', async () => {
    await vsc.browser.runCommand('Smoke: Open Terminal');
    await vsc.browser.waitForTerminalText('terminal-env-ok');
  });
});
