/** An agent row: state icon (spinning while RUNNING), state / kind / branch, details in the tooltip. */
import * as vscode from 'vscode';
import type { AgentSummary } from '../../../protocol/types';
import { agentContextValue, agentDescription, agentDetails, agentIcon, agentStateText } from '../../agents/agentText';
import type { FolderConnection } from '../../connection/folderConnection';
import { ViewNode } from './viewNode';

export class AgentNode extends ViewNode {
  readonly kind = 'agent' as const;

  constructor(
    readonly folder: FolderConnection,
    readonly agent: AgentSummary,
  ) {
    super();
  }

  get id(): string {
    return `${this.folder.key}|agent|${this.agent.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const a = this.agent;
    const item = new vscode.TreeItem(a.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = agentDescription(a);
    const icon = agentIcon(a);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = agentContextValue(a);
    item.tooltip = this.tooltip();
    item.command = { command: 'codexFleet.openAgentTerminal', title: 'Open Terminal', arguments: [this] };
    item.accessibilityInformation = { label: `Agent ${a.name}, ${agentStateText(a)}` };
    return item;
  }

  private tooltip(): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Agent ${escape(this.agent.name)}**\n\n`);
    for (const [label, value] of agentDetails(this.agent)) md.appendMarkdown(`- ${label}: ${escape(value)}\n`);
    return md;
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
