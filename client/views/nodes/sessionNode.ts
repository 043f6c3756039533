/** A session row: status icon, name or first message, relative time and model; inline actions. */
import * as vscode from 'vscode';
import type { SessionSummary } from '../../../protocol/types';
import type { FolderConnection } from '../../connection/folderConnection';
import {
  activityText,
  sessionContextValue,
  sessionDescription,
  sessionIcon,
  sessionLabel,
  type GroupKind,
} from '../../state/sessionGroups';
import { ViewNode } from './viewNode';

export class SessionNode extends ViewNode {
  readonly kind = 'session' as const;

  constructor(
    readonly folder: FolderConnection,
    readonly session: SessionSummary,
    readonly group: GroupKind,
  ) {
    super();
  }

  get id(): string {
    return `${this.folder.key}|session|${this.session.id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.session;
    const item = new vscode.TreeItem(sessionLabel(s), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = sessionDescription(s);
    const icon = sessionIcon(s, this.group);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = sessionContextValue(s, this.group);
    item.tooltip = this.tooltip();
    item.command = { command: 'codexFleet.openTranscript', title: 'Open Transcript', arguments: [this] };
    item.accessibilityInformation = { label: `${sessionLabel(s)}, ${activityText(s, this.group === 'needsYou')}` };
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const s = this.session;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escape(sessionLabel(s))}**${s.pinned ? ' $(pinned)' : ''}\n\n`);
    md.appendMarkdown(`- Status: ${activityText(s, this.group === 'needsYou')}\n`);
    if (s.model) md.appendMarkdown(`- Model: ${escape(s.model)}\n`);
    md.appendMarkdown(`- Folder: ${escape(s.cwd)}\n`);
    if (s.queued > 0) md.appendMarkdown(`- ${s.queued} queued follow-up${s.queued === 1 ? '' : 's'}\n`);
    md.appendMarkdown(`- Updated: ${new Date(s.updatedAt).toLocaleString()}\n`);
    md.appendMarkdown(`- Id: \`${s.id}\`\n`);
    if (s.name && s.preview) md.appendMarkdown(`\n---\n\n${escape(s.preview.slice(0, 400))}`);
    return md;
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
