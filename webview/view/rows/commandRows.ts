/**
 * Command execution rows: the command, cwd, live output (tail while collapsed), exit code, duration
 * and the approval state of the request attached to it.
 */
import type { ThreadItem } from '../../../protocol/codex';
import type { ItemEntry, RequestEntry } from '../../model/entries';
import { actionButton, formatDuration, h, icon, stripAnsi } from '../dom';
import type { RenderContext } from '../renderContext';

type CommandItem = Extract<ThreadItem, { type: 'commandExecution' }>;

const TAIL_LINES = 30;
const MAX_OUTPUT_CHARS = 200_000;

export function commandRow(entry: ItemEntry, item: CommandItem, ctx: RenderContext): Node[] {
  const request = entry.requestId ? ctx.model.request(entry.requestId) : undefined;
  const status = commandStatus(item, request);
  const header = h(
    'div',
    { class: 'cmd-header' },
    icon('terminal'),
    h('code', { class: 'cmd' }, item.command || '(command)'),
    h('span', { class: `badge ${status.cls}`, title: status.label }, icon(status.icon), status.label),
    item.durationMs !== null ? h('span', { class: 'muted' }, formatDuration(item.durationMs)) : null,
    h('div', { class: 'row-tools' }, actionButton('copy-command', 'Copy command', 'copy')),
  );
  const out: Node[] = [header];
  if (item.cwd) out.push(h('div', { class: 'meta' }, icon('folder'), h('span', null, item.cwd)));
  if (request) out.push(approvalLine(request));
  if (item.aggregatedOutput) out.push(...outputBlock(entry, item.aggregatedOutput, ctx));
  return out;
}

function commandStatus(item: CommandItem, request: RequestEntry | undefined): { label: string; icon: string; cls: string } {
  switch (item.status) {
    case 'inProgress':
      if (request && request.state.phase !== 'ended') return { label: 'Waiting for approval', icon: 'shield', cls: 'warn' };
      return { label: 'Running', icon: 'loading codicon-modifier-spin', cls: 'running' };
    case 'completed':
      return item.exitCode === 0 || item.exitCode === null
        ? { label: item.exitCode === null ? 'Done' : 'Exit 0', icon: 'pass', cls: 'ok' }
        : { label: `Exit ${item.exitCode}`, icon: 'error', cls: 'err' };
    case 'failed':
      return { label: item.exitCode !== null ? `Failed (exit ${item.exitCode})` : 'Failed', icon: 'error', cls: 'err' };
    case 'declined':
      return { label: 'Declined', icon: 'circle-slash', cls: 'err' };
  }
}

/** One line saying where the request attached to an item stands. */
export function approvalLine(request: RequestEntry): HTMLElement {
  const s = request.state;
  if (s.phase !== 'ended') {
    return h(
      'div',
      { class: 'approval-line warn' },
      icon('shield'),
      h('span', null, s.phase === 'answering' ? 'Sending answer…' : 'Approval needed'),
      actionButton('focus-request', 'Go to the approval', 'arrow-down', { requestId: request.request.id }, 'Go to approval'),
    );
  }
  return h('div', { class: 'approval-line muted' }, icon('shield'), h('span', null, describeEnd(s)));
}

export function describeEnd(s: Extract<RequestEntry['state'], { phase: 'ended' }>): string {
  if (s.alreadyAnswered) return 'Already answered elsewhere';
  const by = s.by ? ` by ${s.by}` : '';
  switch (s.reason) {
    case 'answered': {
      const a = s.answer;
      if (!a) return `Answered${by}`;
      if (a.type === 'decision') return `${decisionLabel(a.decision)}${by}`;
      if (a.type === 'execPolicyAmendment') return `Always allowed${by}`;
      if (a.type === 'elicitation') return `${a.action === 'accept' ? 'Accepted' : a.action === 'decline' ? 'Declined' : 'Cancelled'}${by}`;
      return `Answered${by}`;
    }
    case 'turnEnded':
      return 'Expired: the turn ended';
    case 'runtimeDied':
      return 'Expired: Codex restarted';
    case 'archived':
      return 'Expired: the session was archived';
    case 'resolvedByCodex':
      return 'Resolved by Codex';
  }
}

export function decisionLabel(d: string): string {
  switch (d) {
    case 'accept':
      return 'Accepted';
    case 'acceptForSession':
      return 'Accepted for the session';
    case 'decline':
      return 'Declined';
    case 'cancel':
      return 'Cancelled';
    default:
      return d;
  }
}

/** Output as text in a <pre>: the tail while collapsed, everything (capped) when expanded. */
export function outputBlock(entry: ItemEntry, raw: string, ctx: RenderContext): Node[] {
  let text = stripAnsi(raw.length > MAX_OUTPUT_CHARS ? raw.slice(raw.length - MAX_OUTPUT_CHARS) : raw);
  const dropped = raw.length > MAX_OUTPUT_CHARS ? raw.length - MAX_OUTPUT_CHARS : 0;
  const expanded = ctx.ui.isExpanded(entry.key, 'output');
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  let hidden = 0;
  if (!expanded && lines > TAIL_LINES) {
    let cut = text.length;
    for (let n = 0; n <= TAIL_LINES && cut > 0; n++) cut = text.lastIndexOf('\n', cut - 1);
    hidden = lines - TAIL_LINES;
    text = text.slice(cut + 1);
  }
  const pre = h('pre', { class: 'output', tabindex: 0, aria: { label: 'Command output' } }, text);
  const nodes: Node[] = [];
  if (dropped) nodes.push(h('div', { class: 'muted small' }, `… ${dropped.toLocaleString()} earlier characters not shown`));
  if (hidden || expanded) {
    const label = expanded ? 'Show less' : `Show all ${lines + 1} lines (${hidden} hidden)`;
    nodes.push(actionButton('toggle', label, expanded ? 'fold-up' : 'unfold', { part: 'output' }, label));
  }
  nodes.push(pre);
  return nodes;
}
