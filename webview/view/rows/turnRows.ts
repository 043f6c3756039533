/**
 * Turn-level rows: the footer (status, duration, error, token usage, turn diff), the turn's plan
 * checklist, and errors/warnings about the session.
 */
import type { NoticeEntry, PlanEntry, TurnEndEntry } from '../../model/entries';
import { actionButton, formatDuration, formatTokens, h, icon } from '../dom';
import { renderInlineMarkdown } from '../markdown';

export function turnEndRow(e: TurnEndEntry): Node[] {
  const status =
    e.status === 'inProgress'
      ? h('span', { class: 'badge running' }, icon('loading codicon-modifier-spin'), 'Working…')
      : e.status === 'completed'
        ? h('span', { class: 'badge ok' }, icon('pass'), 'Turn completed')
        : e.status === 'interrupted'
          ? h('span', { class: 'badge warn' }, icon('debug-stop'), 'Interrupted')
          : h('span', { class: 'badge err' }, icon('error'), 'Turn failed');
  const line = h('div', { class: 'turn-line' }, status);
  if (e.durationMs) line.appendChild(h('span', { class: 'muted' }, formatDuration(e.durationMs)));
  if (e.usage) line.appendChild(usageNode(e));
  if (e.diff) {
    const files = (e.diff.match(/^diff --git /gm) ?? []).length;
    line.appendChild(actionButton('open-turn-diff', 'Open the turn’s changes in the diff editor', 'diff-multiple', undefined, files > 0 ? `Turn diff (${files} file${files === 1 ? '' : 's'})` : 'Turn diff'));
  }
  const out: Node[] = [line];
  if (e.error) {
    out.push(h('div', { class: 'error-text', role: 'alert' }, icon('error'), h('span', null, e.error.message)));
    if (e.error.additionalDetails) out.push(h('pre', { class: 'output' }, e.error.additionalDetails));
  }
  return out;
}

function usageNode(e: TurnEndEntry): HTMLElement {
  const u = e.usage!;
  const last = u.last ?? u.total;
  const parts = [`in ${formatTokens(last.inputTokens)}`];
  if (last.cachedInputTokens) parts.push(`cached ${formatTokens(last.cachedInputTokens)}`);
  parts.push(`out ${formatTokens(last.outputTokens)}`);
  if (last.reasoningOutputTokens) parts.push(`reasoning ${formatTokens(last.reasoningOutputTokens)}`);
  const turnText = e.turnTokens !== undefined ? `${formatTokens(e.turnTokens)} tokens this turn` : `${formatTokens(u.total.totalTokens)} tokens in session`;
  const ctxPct = u.modelContextWindow ? ` · context ${Math.min(100, Math.round((last.inputTokens / u.modelContextWindow) * 100))}%` : '';
  const title = `Last request: ${parts.join(', ')}. Session total: ${u.total.totalTokens.toLocaleString()} tokens.`;
  return h('span', { class: 'usage muted', title, aria: { label: title } }, icon('dashboard'), `${turnText}${ctxPct}`);
}

const STEP_ICON: Record<string, string> = {
  completed: 'pass-filled',
  in_progress: 'circle-large-filled',
  inProgress: 'circle-large-filled',
  pending: 'circle-large-outline',
};

export function planRow(e: PlanEntry): Node[] {
  const done = e.steps.filter((s) => s.status === 'completed').length;
  const list = h('ul', { class: 'checklist', aria: { label: 'Plan' } });
  for (const s of e.steps) {
    const label = h('span', { class: 'step-text' });
    label.appendChild(renderInlineMarkdown(s.step));
    const state = s.status === 'completed' ? 'done' : s.status === 'in_progress' || s.status === 'inProgress' ? 'in progress' : 'to do';
    list.appendChild(
      h('li', { class: `step ${state.replace(' ', '-')}`, role: 'checkbox', aria: { checked: String(s.status === 'completed'), label: `${s.step} (${state})` } }, icon(STEP_ICON[s.status] ?? 'circle-large-outline'), label),
    );
  }
  const out: Node[] = [h('div', { class: 'who' }, icon('checklist'), h('span', null, `Plan · ${done}/${e.steps.length} done`))];
  if (e.explanation) out.push(h('div', { class: 'muted' }, e.explanation));
  out.push(list);
  return out;
}

export function noticeRow(e: NoticeEntry): Node[] {
  const iconName = e.level === 'error' ? 'error' : e.level === 'warning' ? 'warning' : 'info';
  return [h('div', { class: `notice ${e.level}`, role: e.level === 'error' ? 'alert' : 'status' }, icon(iconName), h('span', null, e.message))];
}
