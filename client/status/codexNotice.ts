/**
 * Tells the user, once per window and folder, when the sidecar runs a codex they may not expect:
 * their `codex` on PATH is outside the tested range and the bundled one runs instead, or a forced
 * path (codexFleet.codexPath / CODEX_FLEET_CODEX) is outside it (`runtime.codexWarning`).
 */
import * as vscode from 'vscode';
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';

const OPEN_LOG = 'Open Log';
const SET_PATH = 'Set Codex Path';

export class CodexNotice implements vscode.Disposable {
  private readonly sub: vscode.Disposable;
  /** `folder|warning` already shown in this window. */
  private readonly shown = new Set<string>();

  constructor(
    private readonly ctx: Ctx,
    private readonly fleet: Fleet,
  ) {
    this.sub = fleet.onDidChange(() => this.check());
  }

  private check(): void {
    for (const f of this.fleet.list()) {
      const warning = f.store.runtime?.codexWarning;
      if (!warning) continue;
      const key = `${f.key}|${warning}`;
      if (this.shown.has(key)) continue;
      this.shown.add(key);
      this.ctx.log.warn(`${f.folder.name}: ${warning}`);
      void vscode.window.showWarningMessage(`Codex Fleet (${f.folder.name}): ${warning}`, OPEN_LOG, SET_PATH).then((picked) => {
        if (picked === OPEN_LOG) this.ctx.log.show();
        else if (picked === SET_PATH) void vscode.commands.executeCommand('codexFleet.configureCodexPath');
      });
    }
  }

  dispose(): void {
    this.sub.dispose();
  }
}
