/**
 * The "Create Agent" steps: name, kind (TUI or session), worktree (+ base ref), model, first
 * prompt — each an InputBox or QuickPick; Escape cancels. Then consent (once per folder).
 * Returns the `agents/create` params, or undefined when the user cancelled.
 */
import * as vscode from 'vscode';
import type { AgentsCreateParams } from '../../protocol/sidecarProtocol';
import type { AgentKind } from '../../protocol/types';
import type { FolderConnection } from '../connection/folderConnection';
import type { Ctx } from '../ctx';
import { agentConsent } from './agentConsent';
import { validateAgentName } from './agentText';

function suggestName(taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`agent-${i}`)) return `agent-${i}`;
}

export async function askCreateParams(ctx: Ctx, folder: FolderConnection): Promise<AgentsCreateParams | undefined> {
  const title = `New Codex agent in ${folder.folder.name}`;
  const taken = new Set(folder.store.agents.keys());
  const name = await vscode.window.showInputBox({
    title: `${title} (1/5)`,
    prompt: 'Agent name',
    value: suggestName(taken),
    ignoreFocusOut: true,
    validateInput: (v) => validateAgentName(v.trim(), taken),
  });
  if (name === undefined) return undefined;
  const params: AgentsCreateParams = { name: name.trim() };

  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(terminal) Codex TUI', detail: 'The interactive Codex TUI with its own CODEX_HOME (your config and login carry over)', agentKind: 'tui' as AgentKind },
      { label: '$(comment-discussion) Session', detail: "A session on the workspace's Codex runtime, shown live in a Codex TUI", agentKind: 'session' as AgentKind },
    ],
    { title: `${title} (2/5)`, placeHolder: 'Kind of agent', ignoreFocusOut: true },
  );
  if (!kind) return undefined;
  params.kind = kind.agentKind;

  if (kind.agentKind === 'tui') {
    const wt = await vscode.window.showQuickPick(
      [
        { label: 'Work in the workspace folder', detail: folder.folder.uri.fsPath, worktree: false },
        { label: '$(git-branch) Own branch and worktree', detail: 'A new branch codex-fleet/<name> checked out in a worktree of its own', worktree: true },
      ],
      { title: `${title} (3/5)`, placeHolder: 'Where should the agent work?', ignoreFocusOut: true },
    );
    if (!wt) return undefined;
    if (wt.worktree) {
      params.worktree = true;
      const base = await vscode.window.showInputBox({ title: `${title} (3/5)`, prompt: 'Start the branch from (a branch, tag or commit)', value: 'HEAD', ignoreFocusOut: true });
      if (base === undefined) return undefined;
      if (base.trim() && base.trim() !== 'HEAD') params.baseRef = base.trim();
    }
  }

  const defaults = ctx.config.forFolder(folder.folder.uri).newSession;
  const model = await vscode.window.showInputBox({
    title: `${title} (4/5)`,
    prompt: "Model (optional; empty: Codex's configured default)",
    value: defaults.model ?? '',
    ignoreFocusOut: true,
  });
  if (model === undefined) return undefined;
  if (model.trim()) params.model = model.trim();

  const prompt = await vscode.window.showInputBox({
    title: `${title} (5/5)`,
    prompt: 'First message for the agent (optional)',
    ignoreFocusOut: true,
  });
  if (prompt === undefined) return undefined;
  if (prompt.trim()) params.prompt = prompt.trim();

  const consent = await agentConsent(ctx, folder);
  if (consent === undefined) return undefined;
  params.consent = consent;
  return params;
}
