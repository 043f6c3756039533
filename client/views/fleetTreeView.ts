/**
 * What every Codex Fleet tree view shares: the TreeView, a refresh debounced per change burst when
 * the fleet's stores change in a way the view shows, and disposal. Subclasses say which changes
 * matter, build their root rows, and update their header (description, badge) after a refresh.
 */
import * as vscode from 'vscode';
import type { Fleet, FolderChange } from '../connection/fleet';
import type { ViewNode } from './nodes/viewNode';

export abstract class FleetTreeView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<ViewNode>;
  protected readonly subs: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    protected readonly fleet: Fleet,
    viewId: string,
    shows: (change: FolderChange['change']) => boolean,
    private readonly debounceMs: number,
    options: { showCollapseAll?: boolean } = {},
  ) {
    this.treeView = vscode.window.createTreeView(viewId, { treeDataProvider: this, ...options });
    this.subs.push(
      this.treeView,
      fleet.onDidChange((c) => {
        if (!c || shows(c.change)) this.refreshSoon();
      }),
    );
  }

  refreshSoon(): void {
    this.debounce ??= setTimeout(() => {
      this.debounce = undefined;
      this.changeEmitter.fire(undefined);
      this.updateHeader();
    }, this.debounceMs);
  }

  /** Description or badge of the view, after each refresh. */
  protected abstract updateHeader(): void;

  /** The rows under the root. */
  protected abstract rootChildren(): ViewNode[];

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: ViewNode): ViewNode[] {
    return node ? node.getChildren() : this.rootChildren();
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const s of this.subs) s.dispose();
    this.changeEmitter.dispose();
  }
}
