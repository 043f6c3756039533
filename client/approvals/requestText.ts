/**
 * Words for pending requests: notification messages, tree labels, details, and the decision buttons
 * a request allows. Pure, shared by the notifier, the Approvals view and the commands.
 */
import type { ApprovalDecision, PendingRequest, PendingRequestKind } from '../../protocol/types';
import { oneLine } from '../state/sessionGroups';

export const DECISION_LABELS: Record<ApprovalDecision, string> = {
  accept: 'Accept',
  acceptForSession: 'Accept for Session',
  decline: 'Decline',
  cancel: 'Cancel Turn',
};

export const KIND_ICONS: Record<PendingRequestKind, string> = {
  commandApproval: 'terminal',
  fileChangeApproval: 'diff',
  permissionsApproval: 'shield',
  userInput: 'question',
  elicitation: 'plug',
  toolCall: 'tools',
};

export function isApproval(r: PendingRequest): r is Extract<PendingRequest, { decisions: ApprovalDecision[] }> {
  return r.kind === 'commandApproval' || r.kind === 'fileChangeApproval' || r.kind === 'permissionsApproval';
}

/** The decisions offered as buttons, in button order (Accept, Accept for Session, Decline). */
export function decisionChoices(r: PendingRequest): ApprovalDecision[] {
  if (!isApproval(r)) return [];
  const offered = new Set(r.decisions.length ? r.decisions : (['accept', 'decline'] as ApprovalDecision[]));
  return (['accept', 'acceptForSession', 'decline'] as const).filter((d) => offered.has(d));
}

/** Strip a `/bin/bash -lc '…'` wrapper so the user sees the command itself. */
export function displayCommand(command: string): string {
  const m = /^(?:\/usr)?\/bin\/(?:ba|z)?sh\s+-l?c\s+(['"])([\s\S]*)\1$/.exec(command.trim());
  return m ? m[2].replace(/'\\''/g, "'") : command.trim();
}

function baseName(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** A short title: "Run `npm test`", "Edit a.ts, b.ts", "Answer 2 questions". */
export function requestTitle(r: PendingRequest, max = 80): string {
  switch (r.kind) {
    case 'commandApproval':
      return `Run ${oneLine(displayCommand(r.command), max)}`;
    case 'fileChangeApproval': {
      const names = r.changes.map((c) => baseName(c.path));
      if (names.length === 0) return 'Change files';
      const shown = names.slice(0, 3).join(', ');
      return oneLine(`Edit ${shown}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`, max);
    }
    case 'permissionsApproval':
      return oneLine(`Grant permissions${r.reason ? `: ${r.reason}` : ''}`, max);
    case 'userInput':
      return r.questions.length === 1 ? oneLine(r.questions[0].question || r.questions[0].header, max) : `Answer ${r.questions.length} questions`;
    case 'elicitation':
      return oneLine(`${r.serverName}: ${r.message}`, max);
    case 'toolCall':
      return oneLine(`Tool call ${r.namespace ? `${r.namespace}.` : ''}${r.tool}`, max);
  }
}

/** The notification text: who asks and what. */
export function notificationMessage(r: PendingRequest, sessionLabel: string): string {
  const who = `Codex (${oneLine(sessionLabel, 40)})`;
  switch (r.kind) {
    case 'commandApproval':
      return `${who} wants to run: ${oneLine(displayCommand(r.command), 200)}`;
    case 'fileChangeApproval':
      return `${who} wants to ${requestTitle(r, 200).replace(/^Edit/, 'edit')}`;
    case 'permissionsApproval':
      return `${who} asks for more permissions${r.reason ? `: ${oneLine(r.reason, 160)}` : ''}`;
    case 'userInput':
      return `${who} asks: ${requestTitle(r, 200)}`;
    case 'elicitation':
      return `${who} — MCP server ${r.serverName} asks: ${oneLine(r.message, 200)}`;
    case 'toolCall':
      return `${who} calls the tool ${r.namespace ? `${r.namespace}.` : ''}${r.tool}`;
  }
}

/** Multi-line plain text with everything the user may want before deciding. */
export function requestDetail(r: PendingRequest): string {
  const lines: string[] = [];
  switch (r.kind) {
    case 'commandApproval':
      lines.push(`Command: ${displayCommand(r.command)}`);
      if (r.cwd) lines.push(`Working directory: ${r.cwd}`);
      if (r.reason) lines.push(`Reason: ${r.reason}`);
      if (r.execPolicyAmendment?.length) lines.push(`Proposed rule: always allow commands starting with "${r.execPolicyAmendment.join(' ')}"`);
      break;
    case 'fileChangeApproval':
      for (const c of r.changes) lines.push(`${c.kind === 'add' ? 'Add' : c.kind === 'delete' ? 'Delete' : 'Update'}: ${c.path}${c.movePath ? ` → ${c.movePath}` : ''}`);
      if (r.reason) lines.push(`Reason: ${r.reason}`);
      if (r.grantRoot) lines.push(`Grants write access under: ${r.grantRoot}`);
      break;
    case 'permissionsApproval':
      if (r.reason) lines.push(`Reason: ${r.reason}`);
      if (r.cwd) lines.push(`Working directory: ${r.cwd}`);
      lines.push(`Permissions: ${JSON.stringify(r.permissions, null, 2)}`);
      break;
    case 'userInput':
      for (const q of r.questions) lines.push(`${q.header ? `${q.header}: ` : ''}${q.question}${q.options.length ? ` (${q.options.map((o) => o.label).join(' / ')})` : ''}`);
      break;
    case 'elicitation':
      lines.push(r.message);
      if (r.url) lines.push(`URL: ${r.url}`);
      break;
    case 'toolCall':
      lines.push(`Arguments: ${JSON.stringify(r.arguments, null, 2)}`);
      break;
  }
  return lines.join('\n');
}

/** Tokens for a request row's `contextValue` (`viewItem =~ /\baccept\b/`). */
export function requestContextValue(r: PendingRequest): string {
  return ['request', r.kind, ...decisionChoices(r), ...(r.kind === 'userInput' || r.kind === 'elicitation' ? ['answerable'] : [])].join(' ');
}
