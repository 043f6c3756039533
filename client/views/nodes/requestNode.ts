/** A pending request row: what is asked, by which session, when; inline Accept / Decline. */
import * as vscode from 'vscode';
import type { PendingRequest } from '../../../protocol/types';
import type { FolderConnection } from '../../connection/folderConnection';
import { KIND_ICONS, requestContextValue, requestDetail, requestTitle } from '../../approvals/requestText';
import { sessionLabel } from '../../state/sessionGroups';
import { relativeTime } from '../../util/time';
import { ViewNode } from './viewNode';

export class RequestNode extends ViewNode {
  readonly kind = 'request' as const;

  constructor(
    readonly folder: FolderConnection,
    readonly request: PendingRequest,
    private readonly showFolder: boolean,
  ) {
    super();
  }

  get id(): string {
    return `${this.folder.key}|request|${this.request.id}`;
  }

  sessionName(): string {
    const s = this.folder.store.sessions.get(this.request.sessionId);
    return s ? sessionLabel(s) : this.request.sessionId.slice(0, 8);
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.request;
    const item = new vscode.TreeItem(requestTitle(r), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [this.sessionName(), relativeTime(r.createdAt), this.showFolder ? this.folder.folder.name : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[r.kind], new vscode.ThemeColor('notificationsWarningIcon.foreground'));
    item.contextValue = requestContextValue(r);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${r.kind === 'commandApproval' ? 'Command approval' : r.kind === 'fileChangeApproval' ? 'File change approval' : r.kind}** — ${this.sessionName()}\n\n`);
    md.appendCodeblock(requestDetail(r), 'text');
    item.tooltip = md;
    item.command = { command: 'codexFleet.showRequestDetails', title: 'Show Details', arguments: [this] };
    return item;
  }
}
