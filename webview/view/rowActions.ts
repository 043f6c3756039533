/**
 * What clicking (or pressing Enter on) something inside a transcript row does: one delegated
 * handler maps `data-action` to host messages (links, files, copy, diffs) and request answers.
 */
import type { FileChangeSummary, RequestAnswer } from '../../protocol/types';
import type { WebviewToHostMessage } from '../../protocol/webviewProtocol';
import type { Entry, RequestEntry } from '../model/entries';
import type { TranscriptModel } from '../model/transcriptModel';
import type { UiState } from './renderContext';
import { toFileChangeSummaries } from './rows/fileChangeRows';
import { schemaProperties } from './rows/requestCards';
import { agentMessageText } from '../../protocol/moderation';

export interface RowActionHost {
  readonly model: TranscriptModel;
  readonly ui: UiState;
  post(m: WebviewToHostMessage): void;
  answer(requestId: string, answer: RequestAnswer): void;
  rerender(key: string): void;
  focusRequest(requestId: string): void;
}

/** Handle an activated `[data-action]` element inside row `key`. Returns true when handled. */
export function runRowAction(host: RowActionHost, el: HTMLElement, key: string | undefined): boolean {
  const d = el.dataset;
  const entry = key ? host.model.get(key) : undefined;
  switch (d.action) {
    case 'open-link':
      if (d.href) host.post({ type: 'openLink', url: d.href });
      return true;
    case 'open-file':
      if (d.path) host.post({ type: 'openFile', path: d.path });
      return true;
    case 'copy-code': {
      const pre = el.closest('.code-block')?.querySelector('pre');
      if (pre) host.post({ type: 'copy', text: pre.textContent ?? '', what: 'Code' });
      return true;
    }
    case 'copy-message':
      if (entry?.kind === 'item' && entry.item.type === 'agentMessage') host.post({ type: 'copy', text: agentMessageText(entry.item), what: 'Message' });
      return true;
    case 'copy-command':
      if (entry?.kind === 'item' && entry.item.type === 'commandExecution') host.post({ type: 'copy', text: entry.item.command, what: 'Command' });
      return true;
    case 'toggle':
      if (key && d.part) {
        host.ui.setExpanded(key, d.part, !host.ui.isExpanded(key, d.part));
        host.rerender(key);
      }
      return true;
    case 'open-diff':
      openDiff(host, entry, d.index ?? 'all');
      return true;
    case 'open-turn-diff':
      if (entry?.kind === 'turnEnd' && entry.diff) host.post({ type: 'openDiff', target: { kind: 'unified', title: 'Codex: turn changes', diff: entry.diff } });
      return true;
    case 'focus-request':
      if (d.requestId) host.focusRequest(d.requestId);
      return true;
    case 'answer':
      if (d.requestId && d.decision) host.answer(d.requestId, { type: 'decision', decision: d.decision as 'accept' });
      return true;
    case 'answer-amendment':
      if (d.requestId) host.answer(d.requestId, { type: 'execPolicyAmendment' });
      return true;
    case 'submit-input':
    case 'answer-elicitation':
    case 'submit-tool': {
      const r = d.requestId ? host.model.request(d.requestId) : undefined;
      const answer = r ? formAnswer(host.ui, r, d.action, d.elicit) : undefined;
      if (r && answer) host.answer(r.request.id, answer);
      return true;
    }
    default:
      return false;
  }
}

function openDiff(host: RowActionHost, entry: Entry | undefined, index: string): void {
  let changes: FileChangeSummary[] = [];
  if (entry?.kind === 'item' && entry.item.type === 'fileChange') changes = toFileChangeSummaries(entry.item);
  else if (entry?.kind === 'request' && entry.request.kind === 'fileChangeApproval') changes = entry.request.changes;
  if (index !== 'all') changes = changes.slice(Number(index), Number(index) + 1);
  if (!changes.length) return;
  const title = changes.length === 1 ? `Codex: ${changes[0].path.split(/[\\/]/).pop()}` : `Codex: ${changes.length} changed files`;
  host.post({ type: 'openDiff', target: { kind: 'files', title, changes } });
}

/** Build the answer of a form card from its drafts. */
export function formAnswer(ui: UiState, entry: RequestEntry, action: string, elicit?: string): RequestAnswer | undefined {
  const r = entry.request;
  const id = r.id;
  if (action === 'submit-input' && r.kind === 'userInput') {
    const answers: Record<string, string[]> = {};
    for (const q of r.questions) {
      const other = ui.draft(id, `o:${q.id}`).trim();
      const choice = ui.draft(id, `q:${q.id}`);
      answers[q.id] = other ? [other] : choice ? [choice] : [];
    }
    return { type: 'userInput', answers };
  }
  if (action === 'answer-elicitation' && r.kind === 'elicitation') {
    const act = elicit === 'decline' || elicit === 'cancel' ? elicit : 'accept';
    if (act !== 'accept') return { type: 'elicitation', action: act };
    const content: Record<string, unknown> = {};
    for (const [name, p] of schemaProperties(r.requestedSchema)) {
      const v = ui.draft(id, `f:${name}`);
      if (v === '') continue;
      content[name] = p.type === 'number' || p.type === 'integer' ? Number(v) : p.type === 'boolean' ? v === 'true' : v;
    }
    return { type: 'elicitation', action: 'accept', content };
  }
  if (action === 'submit-tool' && r.kind === 'toolCall') {
    return { type: 'toolResult', success: ui.draft(id, 'success') !== 'false', contentItems: [{ type: 'inputText', text: ui.draft(id, 'result') }] };
  }
  return undefined;
}
