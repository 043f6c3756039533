/**
 * "Show Changes" of an agent with a worktree: VS Code's multi-file diff editor (`vscode.changes`)
 * of the worktree (committed and uncommitted, plus untracked files) against the commit its branch
 * started from. The base side comes from our own read-only `codex-fleet-base:` documents
 * (`git show <base>:<path>` in the worktree; execFile only, no shell).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentSummary } from '../../protocol/types';
import { runGit } from '../../shared/git';
import { parseChanges } from './gitChanges';

export const BASE_SCHEME = 'codex-fleet-base';
const MAX_BUFFER = 64 * 1024 * 1024;

function git(cwd: string, args: string[]): Promise<string> {
  return runGit(cwd, args, { maxBuffer: MAX_BUFFER });
}

export class AgentChanges implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, this);
  }

  async show(agent: AgentSummary): Promise<void> {
    const root = agent.worktree;
    const base = agent.baseRef;
    if (!root || !base) {
      void vscode.window.showInformationMessage(`Codex Fleet: agent ${agent.name} has no worktree of its own; its changes are the workspace's (see Source Control).`);
      return;
    }
    const files = parseChanges(
      await git(root, ['diff', '--name-status', '-z', '-M', base, '--']),
      await git(root, ['ls-files', '--others', '--exclude-standard', '-z']),
    );
    if (files.length === 0) {
      void vscode.window.showInformationMessage(`Codex Fleet: agent ${agent.name} has not changed anything on ${agent.branch ?? 'its branch'} yet.`);
      return;
    }
    const resources = files.map((f): [vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined] => {
      const file = vscode.Uri.file(path.join(root, f.path));
      const original = f.status === 'added' ? undefined : vscode.Uri.from({ scheme: BASE_SCHEME, path: file.path, query: new URLSearchParams({ root, ref: base }).toString() });
      return [file, original, f.status === 'deleted' ? undefined : file];
    });
    await vscode.commands.executeCommand('vscode.changes', `Agent ${agent.name}: ${agent.branch ?? 'worktree'} ↔ ${base.slice(0, 12)}`, resources);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const root = q.get('root');
    const ref = q.get('ref');
    if (!root || !ref || !/^[0-9a-f]{7,64}$/i.test(ref)) return '';
    const rel = path.relative(root, uri.fsPath).split(path.sep).join('/');
    if (rel.startsWith('..')) return '';
    try {
      return await git(root, ['show', `${ref}:${rel}`]);
    } catch {
      return '';
    }
  }

  dispose(): void {
    this.registration.dispose();
  }
}
