/**
 * The Agents view: every terminal agent with its state (RUNNING spins; WAITING says why), kind and
 * branch; one level of folders first when the workspace has several. Reads the stores only; an
 * empty tree lets the welcome view offer "Create an agent".
 */
import * as vscode from 'vscode';
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { AgentFolderNode, agentChildren } from './nodes/agentFolderNode';
import type { ViewNode } from './nodes/viewNode';

export const AGENTS_VIEW_ID = 'codexFleet.agents';
const REFRESH_DEBOUNCE_MS = 50;

export class AgentsView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<ViewNode>;
  private readonly subs: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly fleet: Fleet) {
    this.treeView = vscode.window.createTreeView(AGENTS_VIEW_ID, { treeDataProvider: this });
    this.subs.push(
      this.treeView,
      fleet.onDidChange((c) => {
        if (!c || c.change.agents || c.change.connection) this.refreshSoon();
      }),
    );
  }

  static register(ctx: Ctx, fleet: Fleet): AgentsView {
    return ctx.ext.add(new AgentsView(fleet));
  }

  refreshSoon(): void {
    this.debounce ??= setTimeout(() => {
      this.debounce = undefined;
      this.changeEmitter.fire(undefined);
      this.updateDescription();
    }, REFRESH_DEBOUNCE_MS);
  }

  private updateDescription(): void {
    const agents = this.fleet.agents();
    const running = agents.filter((r) => r.agent.state === 'RUNNING').length;
    this.treeView.description = running > 0 ? `${running} running` : undefined;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (node) return node.getChildren();
    const folders = this.fleet.list();
    if (folders.length > 1) return folders.map((f) => new AgentFolderNode(f));
    if (folders.length === 0) return [];
    return agentChildren(folders[0], false);
  }

  dispose(): void {
    clearTimeout(this.debounce);
    for (const s of this.subs) s.dispose();
    this.changeEmitter.dispose();
  }
}
