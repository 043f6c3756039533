/**
 * What the Agents view, pickers and documents say about a terminal agent: state text, icon,
 * description, tooltip lines, context value, names derived from sessions, and the common
 * transcript as Markdown. Pure (no `vscode`) so it can be unit-tested.
 */
import type { AgentSummary, AgentWaitReason } from '../../protocol/types';

/** The server's rule for agent names (server/agents/agentRegistry.ts AGENT_NAME_RE). */
export const AGENT_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export interface IconSpec {
  /** Codicon id (with `~spin` for spinning). */
  id: string;
  /** Theme color id. */
  color?: string;
}

const REASON_TEXT: Record<AgentWaitReason, string> = {
  endOfTurn: 'end of turn',
  approval: 'approval',
  userInput: 'question',
  starting: 'starting',
};

/** "RUNNING", "WAITING (approval)", "STOPPED", "DONE". */
export function agentStateText(a: AgentSummary): string {
  if (a.state === 'WAITING') return a.waitReason ? `WAITING (${REASON_TEXT[a.waitReason]})` : 'WAITING';
  return a.state;
}

/** A waiting agent that needs a decision or an answer (not just the next message). */
export function agentNeedsAttention(a: AgentSummary): boolean {
  return a.state === 'WAITING' && (a.waitReason === 'approval' || a.waitReason === 'userInput');
}

export function agentIcon(a: AgentSummary): IconSpec {
  switch (a.state) {
    case 'RUNNING':
      return { id: 'loading~spin' };
    case 'WAITING':
      if (a.waitReason === 'approval') return { id: 'shield', color: 'notificationsWarningIcon.foreground' };
      if (a.waitReason === 'userInput') return { id: 'question', color: 'notificationsWarningIcon.foreground' };
      if (a.waitReason === 'starting') return { id: 'sync~spin' };
      return { id: 'circle-large-outline', color: 'charts.green' };
    case 'STOPPED':
      return { id: 'debug-stop' };
    case 'DONE':
      return { id: 'pass' };
  }
}

/** The row's description: state, kind (session agents only), branch. */
export function agentDescription(a: AgentSummary): string {
  const parts = [agentStateText(a)];
  if (a.kind === 'session') parts.push('session');
  if (a.branch) parts.push(a.branch);
  return parts.join(' · ');
}

/**
 * Context value for menus: `agent <kind> <state> [live|stopped] [worktree] [attention]` (matched
 * with `viewItem =~ /\bword\b/`).
 */
export function agentContextValue(a: AgentSummary): string {
  const live = a.state === 'RUNNING' || a.state === 'WAITING';
  return ['agent', a.kind, a.state.toLowerCase(), live ? 'live' : 'stopped', a.worktree ? 'worktree' : '', agentNeedsAttention(a) ? 'attention' : '']
    .filter(Boolean)
    .join(' ');
}

/** Label/value pairs for the tooltip (and the details picker). */
export function agentDetails(a: AgentSummary): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = [
    ['State', agentStateText(a)],
    ['Kind', a.kind === 'tui' ? 'Codex TUI' : 'session shown in a Codex TUI'],
    ['Folder', a.cwd],
    ['Branch', a.branch ? `${a.branch}${a.baseRef ? ` (from ${a.baseRef.slice(0, 12)})` : ''}` : undefined],
    ['Worktree', a.worktree],
    ['Session', a.sessionId],
    ['Model', a.controls?.model],
    ['Effort', a.controls?.effort],
    ['Sandbox', a.controls?.sandbox],
    ['Approvals', a.controls?.approvalPolicy],
    ['Process', a.pid !== undefined ? String(a.pid) : undefined],
    ['Created', new Date(a.createdAt).toLocaleString()],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}

/** An agent name derived from a session's name or preview, made unique against `taken`. */
export function agentNameFor(label: string, sessionId: string, taken: ReadonlySet<string>): string {
  let base = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/, '');
  if (!base) base = `session-${sessionId.replace(/[^a-z0-9]/gi, '').slice(0, 8).toLowerCase()}`;
  if (!AGENT_NAME_RE.test(base)) base = 'session';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

/** Why a typed agent name is not acceptable (undefined: fine). */
export function validateAgentName(name: string, taken: ReadonlySet<string>): string | undefined {
  if (!name) return 'A name is needed';
  if (!AGENT_NAME_RE.test(name)) return "Use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit";
  if (taken.has(name)) return `An agent named ${name} already exists`;
  return undefined;
}

/** One entry of the common transcript (server/agents/transcript.ts), loosely typed. */
interface Entry {
  type?: unknown;
  timestamp?: unknown;
  content?: unknown;
  text?: unknown;
  tool_calls?: unknown;
  tool_name?: unknown;
  output?: unknown;
  is_error?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function fence(text: string, max = 4000): string {
  const body = text.length > max ? `${text.slice(0, max)}\n…` : text;
  const ticks = '`'.repeat(Math.max(3, (body.match(/`+/g) ?? []).reduce((n, m) => Math.max(n, m.length + 1), 3)));
  return `${ticks}\n${body}\n${ticks}`;
}

/** The common transcript as Markdown (user / assistant messages, tool calls and results). */
export function transcriptMarkdown(a: AgentSummary, entries: readonly unknown[]): string {
  const out = [`# Agent ${a.name}`, '', `_${agentStateText(a)} · ${a.kind}${a.branch ? ` · ${a.branch}` : ''} · ${a.cwd}_`, ''];
  if (entries.length === 0) out.push('No messages yet.');
  for (const raw of entries) {
    if (!raw || typeof raw !== 'object') continue;
    const e = raw as Entry;
    const time = str(e.timestamp) ? ` · ${str(e.timestamp)}` : '';
    switch (e.type) {
      case 'user_message':
        out.push(`## You${time}`, '', str(e.content), '');
        break;
      case 'assistant_message': {
        out.push(`## Codex${time}`, '');
        if (str(e.text)) out.push(str(e.text), '');
        const calls = Array.isArray(e.tool_calls) ? (e.tool_calls as Array<{ tool_name?: unknown; input_preview?: unknown }>) : [];
        for (const c of calls) out.push(`**Tool call** \`${str(c.tool_name)}\``, '', fence(str(c.input_preview)), '');
        break;
      }
      case 'tool_result':
        out.push(`**${e.is_error === true ? 'Tool error' : 'Tool result'}** \`${str(e.tool_name)}\``, '', fence(str(e.output)), '');
        break;
      default:
        break;
    }
  }
  return out.join('\n');
}
