/** A workspace folder in the Agents view (multi-root only): its connection state and its agents. */
import * as vscode from 'vscode';
import type { FolderConnection } from '../../connection/folderConnection';
import { AgentNode } from './agentNode';
import { MessageNode, ViewNode } from './viewNode';

export class AgentFolderNode extends ViewNode {
  readonly kind = 'agentFolder' as const;

  constructor(readonly folder: FolderConnection) {
    super();
  }

  get id(): string {
    return `${this.folder.key}|agentFolder`;
  }

  getTreeItem(): vscode.TreeItem {
    const store = this.folder.store;
    const item = new vscode.TreeItem(this.folder.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('root-folder');
    item.contextValue = `agentFolder ${store.connection}`;
    const running = [...store.agents.values()].filter((a) => a.state === 'RUNNING').length;
    item.description = store.connection === 'connected' ? (running ? `${running} running` : '') : store.connection === 'failed' ? 'not connected' : `${store.connection}…`;
    item.tooltip = this.folder.folder.uri.fsPath;
    return item;
  }

  override getChildren(): ViewNode[] {
    return agentChildren(this.folder);
  }
}

/** The agents of a folder by name, or a row saying why there are none. Shared by the single-root view. */
export function agentChildren(folder: FolderConnection, emptyRow = true): ViewNode[] {
  const agents = [...folder.store.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (agents.length > 0) return agents.map((a) => new AgentNode(folder, a));
  if (!emptyRow) return [];
  const id = `${folder.key}|agentMessage`;
  switch (folder.store.connection) {
    case 'failed':
      return [new MessageNode(id, 'Not connected', 'error', { command: 'codexFleet.reconnect', title: 'Reconnect' })];
    case 'connected':
      return [new MessageNode(id, 'No agents — create one', 'add', { command: 'codexFleet.createAgent', title: 'Create Agent', arguments: [folder.key] })];
    default:
      return [new MessageNode(id, 'Connecting to the sidecar…', 'sync~spin')];
  }
}
