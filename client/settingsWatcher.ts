/**
 * Settings that only apply after a restart say so and offer it: the Codex path restarts the
 * Codex runtime; CODEX_HOME and the idle timeout restart the sidecar.
 */
import * as vscode from 'vscode';
import type { Fleet } from './connection/fleet';
import type { Ctx } from './ctx';

export function watchRestartSettings(ctx: Ctx, fleet: Fleet): void {
  ctx.ext.add(
    ctx.config.onDidChange(async ({ needs }) => {
      if (needs.length === 0 || fleet.list().length === 0) return;
      const sidecar = needs.some((n) => n.scope === 'sidecar');
      const names = needs.map((n) => n.setting).join(', ');
      const action = sidecar ? 'Restart Sidecar' : 'Restart Codex';
      const picked = await vscode.window.showInformationMessage(
        `Codex Fleet: ${names} take${needs.length === 1 ? 's' : ''} effect after ${sidecar ? 'the sidecar restarts (running turns are interrupted)' : 'Codex restarts'}.`,
        action,
      );
      if (picked !== action) return;
      if (sidecar) await vscode.commands.executeCommand('codexFleet.restartSidecar');
      else for (const f of fleet.list()) await vscode.commands.executeCommand('codexFleet.restartRuntime', f.key);
    }),
  );
}
