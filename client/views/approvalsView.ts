/**
 * The Approvals view: every pending request of every kind and folder, newest first, with inline
 * Accept / Decline and a details action. The view's badge counts them.
 */
import * as vscode from 'vscode';
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { RequestNode } from './nodes/requestNode';
import type { ViewNode } from './nodes/viewNode';

export const APPROVALS_VIEW_ID = 'codexFleet.approvals';

export class ApprovalsView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<ViewNode>;
  private readonly subs: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly fleet: Fleet) {
    this.treeView = vscode.window.createTreeView(APPROVALS_VIEW_ID, { treeDataProvider: this });
    this.subs.push(
      this.treeView,
      fleet.onDidChange((c) => {
        // Session names appear in the rows, so session changes refresh too.
        if (!c || c.change.requests || c.change.sessions) this.refreshSoon();
      }),
    );
    this.updateBadge();
  }

  static register(ctx: Ctx, fleet: Fleet): ApprovalsView {
    return ctx.ext.add(new ApprovalsView(fleet));
  }

  private refreshSoon(): void {
    this.debounce ??= setTimeout(() => {
      this.debounce = undefined;
      this.changeEmitter.fire(undefined);
      this.updateBadge();
    }, 30);
  }

  private updateBadge(): void {
    const n = this.fleet.requests().length;
    this.treeView.badge = n > 0 ? { value: n, tooltip: `${n} request${n === 1 ? '' : 's'} waiting for you` } : undefined;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (node) return node.getChildren();
    const multi = this.fleet.multiRoot;
    return this.fleet.requests().map(({ folder, request }) => new RequestNode(folder, request, multi));
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const s of this.subs) s.dispose();
    this.changeEmitter.dispose();
  }
}
