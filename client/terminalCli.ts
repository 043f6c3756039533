/**
 * `codex-fleet` in VS Code's integrated terminals: a launcher in the extension's global storage runs
 * this extension's own CLI bundle with the extension host's Node, and the terminals' environment
 * (an environment variable collection) puts it first on PATH and gives it what this window gives
 * its sidecar — so the CLI there talks to the same sidecar as the window.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { launcherScripts } from './cliLauncher';
import { terminalCliEnvironment } from './configModel';
import { fleetRoot } from '../sdk/stateDir';
import type { Ctx } from './ctx';
import { describeError } from './log';

/** Write the launcher into `<global storage>/bin` (every activation: the extension's path changes with its version). */
function writeLauncher(ctx: Ctx): string {
  const dir = join(ctx.extension.globalStorageUri.fsPath, 'bin');
  mkdirSync(dir, { recursive: true });
  const { sh, cmd } = launcherScripts(process.execPath, ctx.extension.asAbsolutePath(join('dist', 'cli', 'codexFleet.js')));
  // Both everywhere: cmd.exe and PowerShell take the .cmd, sh-like shells (also Git Bash on Windows) the script.
  writeFileSync(join(dir, 'codex-fleet.cmd'), cmd);
  writeFileSync(join(dir, 'codex-fleet'), sh);
  chmodSync(join(dir, 'codex-fleet'), 0o755);
  return dir;
}

/** Set the terminals' environment: PATH and the state dir for all, the sidecar settings per folder. */
function applyEnvironment(ctx: Ctx, binDir: string): void {
  const collection = ctx.extension.environmentVariableCollection;
  collection.clear();
  collection.description = new vscode.MarkdownString(
    "Puts `codex-fleet` (Codex Fleet's own CLI) on `PATH`, set up to talk to this window's Codex Fleet sidecar.",
  );
  collection.prepend('PATH', binDir + delimiter);
  collection.replace('CODEX_FLEET_STATE_DIR', fleetRoot(process.env));
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    // The state dir is the window's, the same for every folder (set above).
    const { CODEX_FLEET_STATE_DIR: _stateDir, ...perFolder } = terminalCliEnvironment(ctx.config.forFolder(folder.uri), folder.uri.fsPath, process.env);
    const scoped = collection.getScoped({ workspaceFolder: folder });
    scoped.clear();
    for (const [key, value] of Object.entries(perFolder)) scoped.replace(key, value);
  }
}

export function registerTerminalCli(ctx: Ctx): void {
  let binDir: string;
  try {
    binDir = writeLauncher(ctx);
  } catch (e) {
    ctx.log.warn(`codex-fleet is not on the terminals' PATH: could not write its launcher: ${describeError(e, true)}`);
    return;
  }
  applyEnvironment(ctx, binDir);
  ctx.ext.add(ctx.config.onDidChange(() => applyEnvironment(ctx, binDir)));
  ctx.ext.add(vscode.workspace.onDidChangeWorkspaceFolders(() => applyEnvironment(ctx, binDir)));
}
