/**
 * Signing in with an API key in a real VS Code: from the "not signed in" welcome view, the key goes
 * into VS Code's secret storage and to Codex (`account/login/start`), and appears in no settings
 * file and no log; a fresh sidecar without credentials gets it again from the secret storage.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { providerRequiringLogin, useFleet } from './fleetFixture';

/** Files under `dirs` whose content contains `needle` (symlinks not followed). */
function filesContaining(dirs: string[], needle: string): string[] {
  const hits: string[] = [];
  const visit = (p: string): void => {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    } else if (st.isFile() && st.size < 50_000_000 && fs.readFileSync(p).includes(needle)) {
      hits.push(p);
    }
  };
  for (const d of dirs) visit(d);
  return hits;
}

/** Resolves once `file` exists and `pred(content)` holds; re-checked on every change in its folder. */
function whenFile(file: string, pred: (content: string) => boolean = () => true, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (text === undefined || !pred(text)) return false;
      clearTimeout(timer);
      watcher.close();
      resolve(text);
      return true;
    };
    const watcher = fs.watch(path.dirname(file), () => void check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} did not appear (with the expected content) within ${timeoutMs} ms`));
    }, timeoutMs);
    check();
  });
}

/** The "Codex Fleet" output channel's log file under a code-server run dir. */
function fleetLogFile(runDir: string): string | undefined {
  const found: string[] = [];
  const visit = (p: string): void => {
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      const child = path.join(p, e.name);
      if (e.isDirectory()) visit(child);
      else if (e.name === 'Codex Fleet.log') found.push(child);
    }
  };
  visit(runDir);
  return found[0];
}

describe('Sign in with an API key (real VS Code, real codex)', function () {
  const fleet = useFleet({ extraTomlFor: providerRequiringLogin });
  const key = `sk-e2e-${randomBytes(18).toString('hex')}`;

  it('signs in from the welcome view and keeps the key out of settings and logs', async () => {
    const b = fleet.vsc.browser;
    await b.openViewContainer('Codex Fleet');
    const welcome = b.page.locator('.welcome-view-content', { hasText: 'Codex is not signed in' });
    await welcome.waitFor({ timeout: 45_000 });
    await welcome.locator('.monaco-button', { hasText: 'Sign in with an API Key' }).click();
    const input = b.page.locator('.quick-input-widget input.input');
    await input.waitFor();
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill(key);
    await input.press('Enter');
    await b.notification('signed in with your API key').waitFor();
    await b.page.locator('.welcome-view-content', { hasText: 'No Codex sessions in this workspace yet' }).waitFor();

    // Codex keeps it in its own credential store, CODEX_HOME/auth.json.
    const authFile = path.join(fleet.h.codexHome, 'auth.json');
    assert.ok(fs.readFileSync(authFile, 'utf8').includes(key));
    // The extension's log says what happened — without the key.
    const log = fleetLogFile(fleet.vsc.server.runDir);
    assert.ok(log, 'the Codex Fleet log file exists');
    await whenFile(log, (t) => t.includes('signed in with an API key'));
    const leaks = filesContaining([fleet.vsc.server.runDir, fleet.vsc.workspace, path.join(fleet.h.root, 'state')], key);
    assert.deepEqual(leaks, [], `the key leaked into ${leaks.join(', ')}`);
    assert.ok(!fs.readFileSync(path.join(fleet.vsc.server.userDataDir, 'User', 'settings.json'), 'utf8').includes('sk-'));
  });

  it('hands the stored key to a fresh sidecar whose Codex has no credentials', async () => {
    const authFile = path.join(fleet.h.codexHome, 'auth.json');
    fs.rmSync(authFile);
    const again = whenFile(authFile, (t) => t.includes(key), 45_000);
    await fleet.vsc.browser.runCommand('Codex Fleet: Restart Sidecar');
    await again;
    await fleet.vsc.browser.page.locator('.welcome-view-content', { hasText: 'No Codex sessions in this workspace yet' }).waitFor();
  });
});
