/**
 * The Sessions view: sessions grouped by what they need (Needs you, Running, Idle, Archived behind a
 * toggle), one level of folders first when the workspace has several. Reads the stores only; an
 * empty tree lets the welcome views (contributes.viewsWelcome) say what to do.
 */
import * as vscode from 'vscode';
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { FolderNode, folderChildren } from './nodes/folderNode';
import type { ViewNode } from './nodes/viewNode';

export const SESSIONS_VIEW_ID = 'codexFleet.sessions';
const REFRESH_DEBOUNCE_MS = 50;
const CLOCK_REFRESH_MS = 60_000;

export class SessionsView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<ViewNode>;
  private readonly subs: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private readonly clock: NodeJS.Timeout;

  constructor(private readonly fleet: Fleet) {
    this.treeView = vscode.window.createTreeView(SESSIONS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subs.push(
      this.treeView,
      fleet.onDidChange((c) => {
        if (!c || c.change.sessions || c.change.requests || c.change.connection) this.refreshSoon();
      }),
    );
    // Relative times ("5 min ago") age while nothing changes.
    this.clock = setInterval(() => {
      if (this.treeView.visible) this.refreshSoon();
    }, CLOCK_REFRESH_MS);
  }

  static register(ctx: Ctx, fleet: Fleet): SessionsView {
    return ctx.ext.add(new SessionsView(fleet));
  }

  refreshSoon(): void {
    this.debounce ??= setTimeout(() => {
      this.debounce = undefined;
      this.changeEmitter.fire(undefined);
      this.updateDescription();
    }, REFRESH_DEBOUNCE_MS);
  }

  private updateDescription(): void {
    const running = this.fleet.list().reduce((n, f) => n + f.store.runningCount(), 0);
    this.treeView.description = running > 0 ? `${running} running` : undefined;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (node) return node.getChildren();
    const folders = this.fleet.list();
    if (folders.length > 1) return folders.map((f) => new FolderNode(f, this.fleet.showArchived));
    if (folders.length === 0) return [];
    // Single folder: no folder row; an empty tree shows the welcome view for the current state.
    return folderChildren(folders[0], this.fleet.showArchived, false);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    clearInterval(this.clock);
    for (const s of this.subs) s.dispose();
    this.changeEmitter.dispose();
  }
}
