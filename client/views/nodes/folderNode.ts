/** A workspace folder (multi-root only): its connection state and its session groups. */
import * as vscode from 'vscode';
import type { FolderConnection } from '../../connection/folderConnection';
import { groupSessions } from '../../state/sessionGroups';
import { GroupNode } from './groupNode';
import { MessageNode, ViewNode } from './viewNode';

export class FolderNode extends ViewNode {
  readonly kind = 'folder' as const;

  constructor(
    readonly folder: FolderConnection,
    private readonly showArchived: boolean,
  ) {
    super();
  }

  get id(): string {
    return `${this.folder.key}|folder`;
  }

  getTreeItem(): vscode.TreeItem {
    const store = this.folder.store;
    const item = new vscode.TreeItem(this.folder.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('root-folder');
    item.contextValue = `folder ${store.connection}`;
    const running = store.runningCount();
    const pending = store.requests.size;
    item.description =
      store.connection === 'connected'
        ? [pending ? `${pending} waiting` : '', running ? `${running} running` : ''].filter(Boolean).join(', ')
        : store.connection === 'failed'
          ? 'not connected'
          : `${store.connection}…`;
    item.tooltip = this.folder.folder.uri.fsPath;
    return item;
  }

  override getChildren(): ViewNode[] {
    return folderChildren(this.folder, this.showArchived);
  }
}

/** The groups of a folder, or a row saying why there are none. Shared by the single-root view. */
export function folderChildren(folder: FolderConnection, showArchived: boolean, emptyRow = true): ViewNode[] {
  const store = folder.store;
  const groups = groupSessions(store.sessions.values(), store.requests.values(), { showArchived });
  if (groups.length > 0) return groups.map((g) => new GroupNode(folder, g));
  if (!emptyRow) return [];
  const id = `${folder.key}|message`;
  switch (store.connection) {
    case 'failed':
      return [
        new MessageNode(id, `Not connected${store.connectionError ? `: ${store.connectionError}` : ''}`, 'error', {
          command: 'codexFleet.reconnect',
          title: 'Reconnect',
        }),
      ];
    case 'connected':
      return [new MessageNode(id, 'No sessions yet — start one', 'add', { command: 'codexFleet.startSession', title: 'Start Session', arguments: [folder.key] })];
    default:
      return [new MessageNode(id, 'Connecting to the sidecar…', 'sync~spin')];
  }
}
