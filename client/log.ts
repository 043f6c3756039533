/**
 * The one "Codex Fleet" log channel: the extension's own lines plus the sidecar's and app-server's
 * (`fleet/log`). Errors get full detail here and a short notification with "Open Log".
 */
import * as vscode from 'vscode';
import type { LogMessage } from '../protocol/sidecarProtocol';
import { FleetError, errorCodeName } from '../protocol/errors';
import { redactSecrets } from './util/redact';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Codex Fleet', { log: true });
  }

  trace(message: string): void {
    this.channel.trace(redactSecrets(message));
  }
  debug(message: string): void {
    this.channel.debug(redactSecrets(message));
  }
  info(message: string): void {
    this.channel.info(redactSecrets(message));
  }
  warn(message: string): void {
    this.channel.warn(redactSecrets(message));
  }
  error(message: string, err?: unknown): void {
    this.channel.error(redactSecrets(err === undefined ? message : `${message}: ${describeError(err, true)}`));
  }

  /** A line from a sidecar (`source` sidecar or app-server), prefixed with the folder when several. */
  fromSidecar(m: LogMessage, folder?: string): void {
    const text = `[${folder ? `${folder}/` : ''}${m.source}] ${m.message}`;
    switch (m.level) {
      case 'trace':
        return this.trace(text);
      case 'debug':
        return this.debug(text);
      case 'info':
        return this.info(text);
      case 'warn':
        return this.warn(text);
      case 'error':
        return this.error(text);
    }
  }

  /** Full detail to the log; a short notification with "Open Log" (and any extra actions). */
  async showError(short: string, err?: unknown, ...actions: string[]): Promise<string | undefined> {
    this.error(short, err);
    const message = err === undefined ? short : `${short}: ${describeError(err, false)}`;
    const picked = await vscode.window.showErrorMessage(redactSecrets(message), ...actions, 'Open Log');
    if (picked === 'Open Log') this.show();
    return picked === 'Open Log' ? undefined : picked;
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** One line for a notification, or the full story (code, stack) for the log. */
export function describeError(err: unknown, full: boolean): string {
  if (err instanceof FleetError) return full ? `${err.message} (${errorCodeName(err.code)})` : err.message;
  if (err instanceof Error) return full && err.stack ? err.stack : err.message;
  return String(err);
}
