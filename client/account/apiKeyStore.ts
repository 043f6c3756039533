/**
 * The OpenAI API key, kept only in VS Code's SecretStorage (the OS keychain). It is handed to a
 * sidecar with `account/login/start {type:'apiKey'}` — never put in settings, env, or logs.
 */
import type * as vscode from 'vscode';

const SECRET_KEY = 'codexFleet.openaiApiKey';

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  async set(apiKey: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, apiKey);
  }

  async delete(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) listener();
    });
  }
}

/** A light shape check, so an obvious paste mistake is caught before Codex says "401". */
export function validateApiKey(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Enter your OpenAI API key';
  if (/\s/.test(v)) return 'An API key has no spaces';
  if (v.length < 20) return 'That looks too short for an OpenAI API key';
  return undefined;
}
