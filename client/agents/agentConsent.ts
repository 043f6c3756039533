/**
 * Consent before Codex agents may trust the workspace folder (and, if Codex rejects our own hook
 * trust entries, run with `--dangerously-bypass-hook-trust`): asked once per folder with a modal,
 * remembered in globalState; `codexFleet.agents.autoDismissDialogs` skips the question (consent).
 * The sidecar remembers a given consent too, so a "yes" from the CLI also counts there.
 */
import * as vscode from 'vscode';
import type { FolderConnection } from '../connection/folderConnection';
import type { Ctx } from '../ctx';

const STATE_KEY = 'codexFleet.agents.consent';
const TRUST = 'Trust Folder';
const DONT = "Don't Trust";

/** true / false: the answer to pass as `consent`; undefined: the user cancelled. */
export async function agentConsent(ctx: Ctx, folder: FolderConnection): Promise<boolean | undefined> {
  if (ctx.config.forFolder(folder.folder.uri).agents.autoDismissDialogs) return true;
  const remembered = ctx.extension.globalState.get<Record<string, boolean>>(STATE_KEY) ?? {};
  const known = remembered[folder.key];
  if (known !== undefined) return known;
  const picked = await vscode.window.showWarningMessage(
    'Trust this folder for Codex agents?',
    {
      modal: true,
      detail:
        `Codex asks before it works in a folder it does not trust yet. Trusting ${folder.folder.uri.fsPath} lets Codex Fleet agents answer that ` +
        "question for you (and, if Codex rejects Codex Fleet's own lifecycle hooks, run without hook review). Your answer is remembered; " +
        'set codexFleet.agents.autoDismissDialogs to never be asked.',
    },
    TRUST,
    DONT,
  );
  if (picked === undefined) return undefined;
  const consent = picked === TRUST;
  await ctx.extension.globalState.update(STATE_KEY, { ...remembered, [folder.key]: consent });
  return consent;
}
