/**
 * The base of every tree node (after gitlens's `ViewNode`): a stable id, a TreeItem, children.
 * Nodes are rebuilt on each refresh from the store; they never show UI.
 */
import * as vscode from 'vscode';

export abstract class ViewNode {
  abstract readonly id: string;
  abstract getTreeItem(): vscode.TreeItem;
  getChildren(): ViewNode[] {
    return [];
  }
}

/** A row that only says something (a connection problem, an empty folder), optionally a command. */
export class MessageNode extends ViewNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon?: string,
    private readonly command?: vscode.Command,
    private readonly tooltip?: string,
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    if (this.icon) item.iconPath = new vscode.ThemeIcon(this.icon);
    item.command = this.command;
    item.tooltip = this.tooltip;
    item.contextValue = 'message';
    return item;
  }
}
