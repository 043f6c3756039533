/**
 * The extension's context with two disposal scopes (after rust-analyzer's `Ctx`):
 * - `ext`: extension lifetime (views, commands, log, config) — disposed on deactivate;
 * - `connection`: sidecar-connection lifetime (the per-folder sidecar clients and what hangs off
 *   them) — disposed and recreated by {@link Ctx.resetConnectionScope} when the user restarts or
 *   reconnects, and on deactivate.
 */
import * as vscode from 'vscode';
import type { Config } from './config';
import type { Log } from './log';
import { DisposableStore } from './util/emitter';

export class Ctx implements vscode.Disposable {
  readonly ext = new DisposableStore();
  private connectionScope = new DisposableStore();

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: Log,
    readonly config: Config,
  ) {
    extension.subscriptions.push(this);
  }

  /** Extension version (from package.json), sent to the sidecar as the client version. */
  get version(): string {
    const v: unknown = this.extension.extension.packageJSON?.version;
    return typeof v === 'string' ? v : '0.0.0';
  }

  /** Path of the sidecar bundle shipped with the extension. */
  get sidecarScript(): string {
    return this.extension.asAbsolutePath('dist/server/sidecar.js');
  }

  /** Things that live as long as the current sidecar connections. */
  get connection(): DisposableStore {
    return this.connectionScope;
  }

  /** Dispose everything of the current connections and open a fresh scope. */
  resetConnectionScope(): DisposableStore {
    this.connectionScope.dispose();
    this.connectionScope = new DisposableStore();
    return this.connectionScope;
  }

  dispose(): void {
    this.connectionScope.dispose();
    this.ext.dispose();
  }
}
