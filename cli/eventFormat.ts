/**
 * Human rendering of fleet events and thread items: `seq kind session summary`, one line per event,
 * with consecutive streaming deltas of one item merged into a single line. (`--json` prints events
 * verbatim; nothing here is used for it.)
 */
import { moderationLabel, readModeration, textVisible } from '../protocol/moderation';
import { eventSessionId, type FleetEvent, type PendingRequest, type ThreadItem } from '../protocol/types';
import { escapeControls, oneLine, plural, truncate, type Style, PLAIN_STYLE } from './format';

const SUMMARY_MAX = 160;

/** One line describing a thread item (for events and `sessions show --items`). */
export function itemSummary(item: ThreadItem, max = SUMMARY_MAX): string {
  const t = (s: string) => truncate(oneLine(s), max);
  switch (item.type) {
    case 'userMessage': {
      const parts = item.content.map((c) =>
        c.type === 'text' ? c.text : c.type === 'localImage' ? `[image ${c.path}]` : c.type === 'image' ? '[image]' : `[${c.type}]`,
      );
      return `user: ${t(parts.join(' '))}`;
    }
    case 'agentMessage': {
      const m = readModeration(item.moderation);
      const label = moderationLabel(m);
      if (!textVisible(m)) return `assistant: [${label}]`;
      const text = item.text ? `assistant: ${t(item.text)}` : 'assistant';
      return label ? `${text} [${label}]` : text;
    }
    case 'reasoning':
      return `reasoning: ${t(item.summary.join(' ') || item.content.join(' '))}`;
    case 'plan':
      return `plan: ${t(item.text)}`;
    case 'commandExecution': {
      const exit = item.exitCode === null ? '' : ` → exit ${item.exitCode}`;
      return `$ ${t(item.command)} [${item.status}${exit}]`;
    }
    case 'fileChange':
      return `files [${item.status}]: ${t(item.changes.map((c) => `${c.kind.type} ${c.path}`).join(', '))}`;
    case 'mcpToolCall':
      return `mcp ${item.server}.${item.tool} [${item.status}]`;
    case 'dynamicToolCall':
      return `tool ${item.namespace ? `${item.namespace}.` : ''}${item.tool} [${item.status}]`;
    case 'contextCompaction':
      return 'context compacted';
    case 'imageView':
      return `image ${item.path}`;
    default:
      return item.type;
  }
}

/** One line describing a pending request. */
export function requestSummary(r: PendingRequest, max = SUMMARY_MAX): string {
  const t = (s: string) => truncate(oneLine(s), max);
  switch (r.kind) {
    case 'commandApproval':
      return `$ ${t(r.command)}`;
    case 'fileChangeApproval':
      return `${plural(r.changes.length, 'file')}: ${t(r.changes.map((c) => c.path).join(', '))}`;
    case 'permissionsApproval':
      return t(r.reason ?? 'permissions');
    case 'userInput':
      return t(r.questions.map((q) => q.question).join(' / '));
    case 'elicitation':
      return `${r.serverName}: ${t(r.message)}`;
    case 'toolCall':
      return `${r.namespace ? `${r.namespace}.` : ''}${r.tool}`;
  }
}

/** The summary column of an event line (without seq/kind/session). */
export function eventSummary(e: FleetEvent): string {
  switch (e.kind) {
    case 'runtime/state': {
      const r = e.runtime;
      const parts = [r.state, r.codexVersion ? `codex ${r.codexVersion}` : undefined, r.pid ? `pid ${r.pid}` : undefined];
      if (r.lastError) parts.push(`error: ${truncate(oneLine(r.lastError), SUMMARY_MAX)}`);
      return parts.filter(Boolean).join(' ');
    }
    case 'session/updated':
      return [e.session.activity, e.session.name ? `"${e.session.name}"` : undefined, e.session.archived ? 'archived' : undefined]
        .filter(Boolean)
        .join(' ');
    case 'turn/started':
      return `turn ${e.turnId}`;
    case 'turn/completed': {
      const detail = e.status === 'failed' ? e.error?.message : e.reply;
      return `turn ${e.turnId} ${e.status}${detail ? `: ${truncate(oneLine(detail), SUMMARY_MAX)}` : ''}`;
    }
    case 'item/started':
    case 'item/completed':
      return itemSummary(e.item);
    case 'item/delta':
      return `${e.stream} ${JSON.stringify(e.delta)}`;
    case 'turn/diff':
      return `diff of turn ${e.turnId}: ${plural(e.diff === '' ? 0 : e.diff.split('\n').length, 'line')}`;
    case 'turn/plan': {
      const done = e.plan.filter((s) => s.status === 'completed').length;
      return `plan: ${done}/${e.plan.length} steps done${e.explanation ? ` — ${truncate(oneLine(e.explanation), 80)}` : ''}`;
    }
    case 'tokenUsage/updated': {
      const u = e.usage.total;
      return `tokens ${u.totalTokens} (in ${u.inputTokens}, out ${u.outputTokens})`;
    }
    case 'rateLimits/updated':
      return rateLimitsSummary(e.rateLimits);
    case 'request/pending':
      return `${e.request.id} ${e.request.kind} ${requestSummary(e.request)}`;
    case 'request/ended': {
      const answer = e.answer ? ` ${e.answer.type === 'decision' ? e.answer.decision : e.answer.type}` : '';
      return `${e.requestId} ${e.reason}${e.by ? ` by ${e.by}` : ''}${answer}`;
    }
    case 'queue/updated':
      return `${plural(e.queue.length, 'message')} queued`;
    case 'session/error':
      return `${truncate(oneLine(e.message), SUMMARY_MAX)}${e.willRetry ? ' (retrying)' : ''}`;
    case 'account/updated': {
      const account = e.auth.account ? `account ${e.auth.account.type}${e.auth.account.email ? ` ${e.auth.account.email}` : ''}` : 'no account';
      return e.change ? `${account} (${e.change.action === 'logout' ? 'signed out' : 'signed in'} by ${e.change.by})` : account;
    }
    case 'agent/updated':
      return `${e.agent.name} ${e.agent.state}${e.agent.waitReason ? ` (${e.agent.waitReason})` : ''}`;
    case 'agent/removed':
      return e.name;
    case 'sidecar/warning':
      return oneLine(e.message);
  }
}

export function rateLimitsSummary(r: { primary?: { usedPercent: number } | null; secondary?: { usedPercent: number } | null }): string {
  const parts: string[] = [];
  if (r.primary) parts.push(`primary ${r.primary.usedPercent}%`);
  if (r.secondary) parts.push(`secondary ${r.secondary.usedPercent}%`);
  return parts.join(', ') || 'no limits reported';
}

function sessionOf(e: FleetEvent): string {
  return eventSessionId(e) ?? '-';
}

export function eventLine(e: FleetEvent, style: Style = PLAIN_STYLE): string {
  return formatLine(String(e.seq), e.kind, sessionOf(e), eventSummary(e), style);
}

function formatLine(seq: string, kind: string, session: string, summary: string, style: Style): string {
  return `${style.dim(seq.padStart(6))} ${style.cyan(kind.padEnd(18))} ${session.padEnd(36)} ${summary}`;
}

interface DeltaRun {
  firstSeq: number;
  lastSeq: number;
  sessionId: string;
  itemId: string;
  stream: string;
  text: string;
}

/**
 * Prints events as lines, merging runs of `item/delta` for the same item and stream into one line
 * (`12-40 item/delta ... agentMessage "Hello, world"`). Call {@link flush} when output should
 * catch up (end of replay, idle in --follow mode, exit).
 */
export class EventPrinter {
  private run: DeltaRun | undefined;

  constructor(
    private readonly write: (line: string) => void,
    private readonly style: Style = PLAIN_STYLE,
  ) {}

  print(e: FleetEvent): void {
    if (e.kind === 'item/delta') {
      const r = this.run;
      if (r && r.itemId === e.itemId && r.stream === e.stream && r.sessionId === e.sessionId) {
        r.text += e.delta;
        r.lastSeq = e.seq;
        return;
      }
      this.flush();
      this.run = { firstSeq: e.seq, lastSeq: e.seq, sessionId: e.sessionId, itemId: e.itemId, stream: e.stream, text: e.delta };
      return;
    }
    this.flush();
    this.write(eventLine(e, this.style));
  }

  /** Print the pending merged delta line, if any. */
  flush(): void {
    const r = this.run;
    if (!r) return;
    this.run = undefined;
    const seq = r.firstSeq === r.lastSeq ? String(r.firstSeq) : `${r.firstSeq}-${r.lastSeq}`;
    this.write(formatLine(seq, 'item/delta', r.sessionId, `${r.stream} "${escapeControls(r.text)}"`, this.style));
  }

  get pending(): boolean {
    return this.run !== undefined;
  }
}
