/**
 * File change rows: one line per file (kind, path, +/− counts, "Open Diff"), an optional inline
 * diff preview, and the approval state. Also the FileChangeSummary conversion "Open Diff" posts.
 */
import type { ThreadItem } from '../../../protocol/codex';
import type { FileChangeSummary } from '../../../protocol/types';
import type { ItemEntry } from '../../model/entries';
import { actionButton, h, icon, relativePath } from '../dom';
import type { RenderContext } from '../renderContext';
import { approvalLine, outputBlock } from './commandRows';

type FileChangeItem = Extract<ThreadItem, { type: 'fileChange' }>;

const PREVIEW_LINES = 400;

export function toFileChangeSummaries(item: FileChangeItem): FileChangeSummary[] {
  return item.changes.map((c) => ({
    path: c.path,
    kind: c.kind.type,
    movePath: c.kind.type === 'update' ? c.kind.move_path : null,
    diff: c.diff,
  }));
}

/** Added / removed line counts of a unified diff (or of whole-file content for adds and deletes). */
export function diffStats(kind: FileChangeSummary['kind'], diff: string | undefined): { added: number; removed: number } {
  if (!diff) return { added: 0, removed: 0 };
  const isUnified = /^@@ /m.test(diff);
  if (!isUnified) {
    const n = diff === '' ? 0 : diff.split('\n').length - (diff.endsWith('\n') ? 1 : 0);
    return kind === 'delete' ? { added: 0, removed: n } : { added: n, removed: 0 };
  }
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}

const KIND_ICON: Record<FileChangeSummary['kind'], string> = { add: 'diff-added', delete: 'diff-removed', update: 'diff-modified' };
const STATUS: Record<FileChangeItem['status'], { label: string; icon: string; cls: string }> = {
  inProgress: { label: 'Applying', icon: 'loading codicon-modifier-spin', cls: 'running' },
  completed: { label: 'Applied', icon: 'pass', cls: 'ok' },
  failed: { label: 'Failed', icon: 'error', cls: 'err' },
  declined: { label: 'Declined', icon: 'circle-slash', cls: 'err' },
};

/** The per-file list shared by file-change rows and file-change approval cards. */
export function fileList(changes: FileChangeSummary[], cwd: string | undefined, data: Record<string, string>): HTMLElement {
  const list = h('ul', { class: 'file-list', aria: { label: 'Changed files' } });
  changes.forEach((c, index) => {
    const { added, removed } = diffStats(c.kind, c.diff);
    const shown = relativePath(c.path, cwd);
    list.appendChild(
      h(
        'li',
        { class: 'file' },
        icon(KIND_ICON[c.kind], `kind-${c.kind}`),
        h('span', { class: 'path', title: c.path }, shown),
        c.movePath ? h('span', { class: 'muted' }, `→ ${relativePath(c.movePath, cwd)}`) : null,
        h('span', { class: 'stat-add', aria: { label: `${added} lines added` } }, `+${added}`),
        h('span', { class: 'stat-del', aria: { label: `${removed} lines removed` } }, `−${removed}`),
        actionButton('open-diff', `Open diff of ${shown}`, 'diff', { ...data, index: String(index) }, 'Open Diff'),
      ),
    );
  });
  return list;
}

export function fileChangeRow(entry: ItemEntry, item: FileChangeItem, ctx: RenderContext): Node[] {
  const changes = toFileChangeSummaries(item);
  const status = STATUS[item.status];
  const cwd = ctx.model.session?.cwd;
  const header = h(
    'div',
    { class: 'cmd-header' },
    icon('files'),
    h('span', { class: 'title' }, changes.length === 1 ? 'Changed 1 file' : `Changed ${changes.length} files`),
    h('span', { class: `badge ${status.cls}` }, icon(status.icon), status.label),
    h(
      'div',
      { class: 'row-tools' },
      changes.length > 1 ? actionButton('open-diff', 'Open all changes', 'diff-multiple', { index: 'all' }, 'Open All') : null,
    ),
  );
  const out: Node[] = [header, fileList(changes, cwd, {})];
  const request = entry.requestId ? ctx.model.request(entry.requestId) : undefined;
  if (request) out.push(approvalLine(request));
  const expanded = ctx.ui.isExpanded(entry.key, 'diff');
  out.push(actionButton('toggle', expanded ? 'Hide diff' : 'Show diff', expanded ? 'fold-up' : 'unfold', { part: 'diff' }, expanded ? 'Hide diff' : 'Show diff'));
  if (expanded) for (const c of changes) out.push(diffPreview(c, cwd));
  if (entry.extraOutput) out.push(...outputBlock(entry, entry.extraOutput, ctx));
  return out;
}

/** A read-only diff preview: one span per line with add / delete / hunk classes. Text only. */
export function diffPreview(change: FileChangeSummary, cwd: string | undefined): HTMLElement {
  const pre = h('pre', { class: 'diff', tabindex: 0, aria: { label: `Diff of ${relativePath(change.path, cwd)}` } });
  const diff = change.diff ?? '';
  const unified = /^@@ /m.test(diff);
  const lines = diff.split('\n');
  const shown = lines.slice(0, PREVIEW_LINES);
  for (const line of shown) {
    let cls = 'ctx';
    if (!unified) cls = change.kind === 'delete' ? 'del' : 'add';
    else if (line.startsWith('@@')) cls = 'hunk';
    else if (line.startsWith('+')) cls = 'add';
    else if (line.startsWith('-')) cls = 'del';
    pre.appendChild(h('span', { class: `dl ${cls}` }, (unified ? line : (cls === 'add' ? '+' : '-') + line) + '\n'));
  }
  if (lines.length > PREVIEW_LINES) pre.appendChild(h('span', { class: 'dl muted' }, `… ${lines.length - PREVIEW_LINES} more lines (Open Diff to see all)\n`));
  return h('div', { class: 'diff-file' }, h('div', { class: 'meta' }, icon('file'), h('span', null, relativePath(change.path, cwd))), pre);
}
