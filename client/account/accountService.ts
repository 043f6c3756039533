/**
 * Signing in and out: with an API key (SecretStorage → `account/login/start` on each connected
 * sidecar, and again on later connects while Codex has no credentials), with ChatGPT (open the
 * auth URL with `env.openExternal`, wait for `account/updated`), sign out, and rate limits.
 */
import * as vscode from 'vscode';
import { AccountLoginCancel, AccountLoginStart, AccountLogout, AccountRateLimits } from '../../protocol/sidecarProtocol';
import type { AccountChange } from '../../protocol/types';
import type { Fleet } from '../connection/fleet';
import type { FolderConnection } from '../connection/folderConnection';
import type { Ctx } from '../ctx';
import { rateLimitPercent } from '../status/statusText';
import { untilTime } from '../util/time';
import { ApiKeyStore, validateApiKey } from './apiKeyStore';

const CHATGPT_WAIT_MS = 10 * 60_000;

export class AccountService implements vscode.Disposable {
  readonly apiKeys: ApiKeyStore;
  private readonly subs: vscode.Disposable[] = [];
  private readonly keyPassed = new Set<string>();
  /** Folders where this window's own account change is on its way back as an event. */
  private readonly ownChanges = new Set<string>();

  constructor(
    private readonly ctx: Ctx,
    private readonly fleet: Fleet,
  ) {
    this.apiKeys = new ApiKeyStore(ctx.extension.secrets);
    this.subs.push(
      fleet.onDidConnect(({ folder }) => void this.passStoredKey(folder)),
      // The runtime reports whether it needs a login only once it is up.
      fleet.onEvent(({ folder, event }) => {
        if (event.kind !== 'account/updated') return;
        if (event.change) this.announce(folder, event.change);
        void this.passStoredKey(folder);
      }),
    );
  }

  /**
   * Another client (the CLI, a script, another window) signed in or out: that changes the login of
   * every session of the folder's sidecar, so say so. This window's own changes are not announced.
   */
  private announce(folder: FolderConnection, change: AccountChange): void {
    if (this.ownChanges.delete(folder.key)) return;
    const how = change.action === 'logout' ? 'signed Codex out' : `signed Codex in${change.method === 'apiKey' ? ' with an API key' : change.method === 'chatgpt' ? ' with ChatGPT' : ''}`;
    const text = `Codex Fleet: ${change.by} ${how} for ${folder.folder.name}; every session there uses it from now on.`;
    this.ctx.log.info(text);
    void vscode.window.showInformationMessage(text);
  }

  /** Send an account request of this window's own (its change is not announced back to it). */
  private async own<T>(folder: FolderConnection, run: () => Promise<T>): Promise<T> {
    this.ownChanges.add(folder.key);
    try {
      return await run();
    } catch (e) {
      this.ownChanges.delete(folder.key);
      throw e;
    }
  }

  private connected(): FolderConnection[] {
    return this.fleet.list().filter((f) => f.client.state === 'connected');
  }

  /** A sidecar without credentials gets the stored key (if the user gave us one). */
  private async passStoredKey(folder: FolderConnection): Promise<void> {
    if (!folder.store.needsSignIn()) return;
    // Once per sidecar and runtime: a key Codex rejects must not be retried in a loop.
    const attempt = `${folder.key}:${folder.store.sidecar?.pid}:${folder.store.runtime?.pid}`;
    if (this.keyPassed.has(attempt)) return;
    this.keyPassed.add(attempt);
    const key = await this.apiKeys.get();
    if (!key) {
      this.keyPassed.delete(attempt);
      return;
    }
    try {
      await this.own(folder, () => folder.client.request(AccountLoginStart, { type: 'apiKey', apiKey: key }));
      this.ctx.log.info(`${folder.folder.name}: signed Codex in with the API key from VS Code's secret storage`);
    } catch (e) {
      this.ctx.log.error(`${folder.folder.name}: signing in with the stored API key failed`, e);
    }
  }

  /** Ask for a key, keep it in SecretStorage, and sign every connected sidecar in with it. */
  async signInWithApiKey(keyArg?: string): Promise<boolean> {
    const key =
      keyArg ??
      (await vscode.window.showInputBox({
        title: 'Sign in to Codex with an API key',
        prompt: 'Your OpenAI API key. It is kept in VS Code\'s secret storage and never written to settings or logs.',
        password: true,
        ignoreFocusOut: true,
        validateInput: validateApiKey,
      }));
    if (!key) return false;
    const apiKey = key.trim();
    await this.apiKeys.set(apiKey);
    const folders = this.connected();
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('Codex Fleet: API key saved; it is used once the sidecar is connected.');
      return true;
    }
    for (const f of folders) await this.own(f, () => f.client.request(AccountLoginStart, { type: 'apiKey', apiKey }));
    this.ctx.log.info('signed in with an API key (stored in secret storage)');
    void vscode.window.showInformationMessage('Codex Fleet: signed in with your API key.');
    return true;
  }

  /** Start the ChatGPT login: open the auth URL and wait for Codex to report the account. */
  async signInWithChatGpt(): Promise<boolean> {
    const folder = this.connected()[0];
    if (!folder) throw new Error('the sidecar is not connected yet');
    const login = await this.own(folder, () => folder.client.request(AccountLoginStart, { type: 'chatgpt' }));
    if (!login.authUrl) throw new Error('Codex did not return a sign-in URL');
    await vscode.env.openExternal(vscode.Uri.parse(login.authUrl));
    const signedIn = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Codex: finish signing in with ChatGPT in your browser…', cancellable: true },
      (_progress, token) =>
        new Promise<boolean>((resolve) => {
          const finish = (ok: boolean) => {
            clearTimeout(timer);
            sub.dispose();
            cancel.dispose();
            resolve(ok);
          };
          const timer = setTimeout(() => finish(false), CHATGPT_WAIT_MS);
          const sub = this.fleet.onEvent(({ folder: f, event }) => {
            if (f === folder && event.kind === 'account/updated' && event.auth.account?.type === 'chatgpt') finish(true);
          });
          const cancel = token.onCancellationRequested(() => {
            if (login.loginId) void folder.client.request(AccountLoginCancel, { loginId: login.loginId }).catch(() => undefined);
            finish(false);
          });
        }),
    );
    if (signedIn) {
      const email = folder.store.auth?.account?.email;
      void vscode.window.showInformationMessage(`Codex Fleet: signed in with ChatGPT${email ? ` as ${email}` : ''}.`);
    }
    return signedIn;
  }

  /** Pick how to sign in. */
  async signIn(): Promise<boolean> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(account) Sign in with ChatGPT', detail: 'Use your ChatGPT plan (opens the browser)', run: () => this.signInWithChatGpt() },
        { label: '$(key) Sign in with an API key', detail: 'Kept in VS Code\'s secret storage', run: () => this.signInWithApiKey() },
      ],
      { title: 'Sign in to Codex' },
    );
    return picked ? picked.run() : false;
  }

  async signOut(): Promise<void> {
    const picked = await vscode.window.showWarningMessage('Sign Codex out? Running sessions stop being able to reach the model.', { modal: true }, 'Sign Out');
    if (picked !== 'Sign Out') return;
    await this.apiKeys.delete();
    for (const f of this.connected()) await this.own(f, () => f.client.request(AccountLogout));
    void vscode.window.showInformationMessage('Codex Fleet: signed out.');
  }

  async showRateLimits(): Promise<void> {
    const folder = this.connected()[0];
    if (!folder) throw new Error('the sidecar is not connected yet');
    const { rateLimits } = await folder.client.request(AccountRateLimits);
    if (!rateLimits || rateLimitPercent(rateLimits) === undefined) {
      void vscode.window.showInformationMessage('Codex has not reported rate limits yet (they arrive with the first turn).');
      return;
    }
    const line = (name: string, w: typeof rateLimits.primary) =>
      w ? `${name}: ${Math.round(w.usedPercent)}% used${w.resetsAt ? `, resets ${untilTime(w.resetsAt)}` : ''}` : undefined;
    const text = [line('Primary', rateLimits.primary), line('Secondary', rateLimits.secondary)].filter(Boolean).join(' · ');
    void vscode.window.showInformationMessage(`Codex rate limits — ${text}`);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
