/**
 * "Open Diff" in VS Code's diff editor. Each side is either the real file (editable, when it matches
 * that side) or a read-only document of the `codex-fleet-diff` scheme rebuilt from the diff
 * (see unifiedDiff.ts: reverse-applied when the change is on disk, forward-applied when it is not,
 * empty for adds/deletes). One file opens in `vscode.diff`; several in the multi-file diff editor.
 */
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { FileChangeSummary } from '../../protocol/types';
import type { DiffTarget } from '../../protocol/webviewProtocol';
import { diffSides, parseGitDiff } from './unifiedDiff';

export const DIFF_SCHEME = 'codex-fleet-diff';
const MAX_DOCS = 400;

export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private next = 0;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this);
  }

  /** A read-only document with `content`, named like `path` (so the language is picked from it). */
  put(content: string, path: string, side: 'before' | 'after'): vscode.Uri {
    const uri = vscode.Uri.file(path).with({ scheme: DIFF_SCHEME, query: `t=${++this.next}&side=${side}` });
    this.docs.set(uri.toString(), content);
    if (this.docs.size > MAX_DOCS) this.docs.delete(this.docs.keys().next().value as string);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string | undefined {
    return this.docs.get(uri.toString());
  }

  dispose(): void {
    this.registration.dispose();
    this.docs.clear();
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
  } catch {
    return undefined;
  }
}

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) || !cwd ? path : resolve(cwd, path);
}

/** Left and right URIs for one change. */
async function sidesFor(docs: DiffDocuments, change: FileChangeSummary, cwd: string): Promise<[vscode.Uri, vscode.Uri, vscode.Uri, boolean]> {
  const path = absolute(change.path, cwd);
  const movePath = change.movePath ? absolute(change.movePath, cwd) : undefined;
  const current = await readText(path);
  const moved = movePath ? await readText(movePath) : undefined;
  const sides = diffSides({ ...change, path, movePath }, current, moved);
  const real = vscode.Uri.file(movePath && moved !== undefined ? movePath : path);
  const before = sides.before === null ? vscode.Uri.file(path) : docs.put(sides.before, path, 'before');
  const after = sides.after === null ? real : docs.put(sides.after, movePath ?? path, 'after');
  return [vscode.Uri.file(movePath ?? path), before, after, sides.partial === true];
}

/** Open the changes of an item, an approval or a turn in VS Code's diff editor. */
export async function showChangesDiff(docs: DiffDocuments, target: DiffTarget, cwd: string): Promise<void> {
  const changes = target.kind === 'files' ? target.changes : parseGitDiff(target.diff);
  if (!changes.length) {
    void vscode.window.showInformationMessage('Codex Fleet: there are no changes to show.');
    return;
  }
  const triples = await Promise.all(changes.map((c) => sidesFor(docs, c, cwd)));
  const partial = triples.some((t) => t[3]);
  if (triples.length === 1) {
    const [resource, left, right] = triples[0];
    const name = resource.path.split('/').pop() ?? resource.path;
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name} (Codex${partial ? ', changed hunks only' : ''})`, { preview: true });
  } else {
    await vscode.commands.executeCommand(
      'vscode.changes',
      target.title,
      triples.map(([resource, left, right]) => [resource, left, right]),
    );
  }
  if (partial) void vscode.window.showInformationMessage('Codex Fleet: the file changed since Codex edited it, so only the changed hunks are shown.');
}
