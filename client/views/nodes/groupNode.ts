/** A group of sessions by what they need: Needs you, Running, Idle, Archived. */
import * as vscode from 'vscode';
import type { FolderConnection } from '../../connection/folderConnection';
import type { SessionGroup } from '../../state/sessionGroups';
import { SessionNode } from './sessionNode';
import { ViewNode } from './viewNode';

const GROUP_ICONS: Record<SessionGroup['kind'], string> = {
  needsYou: 'bell-dot',
  running: 'play-circle',
  idle: 'circle-large-outline',
  archived: 'archive',
};

export class GroupNode extends ViewNode {
  readonly kind = 'group' as const;

  constructor(
    readonly folder: FolderConnection,
    readonly group: SessionGroup,
  ) {
    super();
  }

  get id(): string {
    return `${this.folder.key}|group|${this.group.kind}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.label, this.group.kind === 'archived' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = String(this.group.sessions.length);
    item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[this.group.kind], this.group.kind === 'needsYou' ? new vscode.ThemeColor('notificationsWarningIcon.foreground') : undefined);
    item.contextValue = `group ${this.group.kind}`;
    return item;
  }

  override getChildren(): ViewNode[] {
    return this.group.sessions.map((s) => new SessionNode(this.folder, s, this.group.kind));
  }
}
