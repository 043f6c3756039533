/**
 * Unified diffs for "Open Diff": parse hunks (bare, as Codex's fileChange items carry them, or a
 * multi-file `git diff` as `turn/diff` carries it), apply them forward or in reverse (with a small
 * search window when line numbers drifted), and decide what each side of the diff editor shows.
 * Pure: no VS Code, no file system.
 */
import type { FileChangeSummary } from '../../protocol/types';

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Body lines with their prefix (' ', '-', '+'). */
  lines: string[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const SEARCH_WINDOW = 200;

export function parseHunks(diff: string): Hunk[] {
  const src = diff.split(/\r?\n/);
  const hunks: Hunk[] = [];
  for (let i = 0; i < src.length; i++) {
    const m = HUNK.exec(src[i]);
    if (!m) continue;
    const h: Hunk = { oldStart: +m[1], oldLines: m[2] === undefined ? 1 : +m[2], newStart: +m[3], newLines: m[4] === undefined ? 1 : +m[4], lines: [] };
    let oldLeft = h.oldLines;
    let newLeft = h.newLines;
    while ((oldLeft > 0 || newLeft > 0) && i + 1 < src.length) {
      const line = src[++i];
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      const op = line === '' ? ' ' : line[0];
      if (op === ' ') {
        oldLeft--;
        newLeft--;
      } else if (op === '-') oldLeft--;
      else if (op === '+') newLeft--;
      else {
        i--;
        break;
      }
      h.lines.push(line === '' ? ' ' : line);
    }
    hunks.push(h);
  }
  return hunks;
}

function splitLines(text: string): { lines: string[]; eol: string; trailing: boolean } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text === '') return { lines: [], eol, trailing: false };
  const trailing = text.endsWith('\n');
  const body = trailing ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  return { lines: body.split(/\r?\n/), eol, trailing };
}

function matchesAt(lines: string[], expected: string[], at: number): boolean {
  if (at < 0 || at + expected.length > lines.length) return false;
  for (let k = 0; k < expected.length; k++) if (lines[at + k] !== expected[k]) return false;
  return true;
}

/**
 * Apply hunks to `content`: forward (old → new) or in reverse (new → old). Undefined when a hunk's
 * lines are not found near where the hunk says they are.
 */
export function applyHunks(content: string, hunks: Hunk[], direction: 'forward' | 'reverse'): string | undefined {
  const { lines, eol, trailing } = splitLines(content);
  const fromOps = direction === 'forward' ? ' -' : ' +';
  const toOps = direction === 'forward' ? ' +' : ' -';
  const out: string[] = [];
  let pos = 0;
  let drift = 0;
  for (const h of hunks) {
    const expected = h.lines.filter((l) => fromOps.includes(l[0])).map((l) => l.slice(1));
    const replacement = h.lines.filter((l) => toOps.includes(l[0])).map((l) => l.slice(1));
    const start = direction === 'forward' ? h.oldStart : h.newStart;
    const nominal = (expected.length === 0 ? start : start - 1) + drift;
    let at = -1;
    for (let d = 0; d <= SEARCH_WINDOW && at < 0; d++) {
      if (nominal - d >= pos && matchesAt(lines, expected, nominal - d)) at = nominal - d;
      else if (d > 0 && nominal + d >= pos && matchesAt(lines, expected, nominal + d)) at = nominal + d;
    }
    if (at < 0) return undefined;
    out.push(...lines.slice(pos, at), ...replacement);
    pos = at + expected.length;
    drift = at - (nominal - drift);
  }
  out.push(...lines.slice(pos));
  if (out.length === 0) return '';
  return out.join(eol) + (trailing || content === '' ? eol : '');
}

/** The two sides shown when the file itself cannot be matched: hunk context plus removed / added lines. */
export function hunkSides(hunks: Hunk[]): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  for (const h of hunks) {
    const marker = `⋯ @@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@ ⋯`;
    before.push(marker);
    after.push(marker);
    for (const l of h.lines) {
      if (l[0] !== '+') before.push(l.slice(1));
      if (l[0] !== '-') after.push(l.slice(1));
    }
  }
  return { before: before.join('\n') + '\n', after: after.join('\n') + '\n' };
}

/** What each side of the diff editor shows. `null` means "the real file on disk" (editable). */
export interface DiffSides {
  before: string | null;
  after: string | null;
  /** Set when only the hunks could be shown (the file changed since). */
  partial?: boolean;
}

/** Whole-file content carried by an add/delete change (plain content, or hunks against an empty file). */
function wholeContent(diff: string, side: 'new' | 'old'): string {
  if (!HUNK.test(diff.split('\n').find((l) => l.startsWith('@@')) ?? '')) return diff;
  const hunks = parseHunks(diff);
  return applyHunks('', hunks, side === 'new' ? 'forward' : 'reverse') ?? hunkSides(hunks)[side === 'new' ? 'after' : 'before'];
}

/**
 * Decide both sides for one change, given the file's current content (`undefined`: it does not
 * exist) at `path` and, for moves, at `movePath`. Works whether or not the change is applied yet.
 */
export function diffSides(change: FileChangeSummary, current: string | undefined, currentMoved?: string | undefined): DiffSides {
  const diff = change.diff ?? '';
  switch (change.kind) {
    case 'add': {
      const content = wholeContent(diff, 'new');
      return { before: '', after: current === content ? null : content };
    }
    case 'delete': {
      const content = wholeContent(diff, 'old');
      return current === undefined ? { before: content, after: '' } : { before: null, after: '' };
    }
    case 'update': {
      const hunks = parseHunks(diff);
      if (!hunks.length) return { before: current ?? '', after: current ?? '', partial: true };
      const applied = change.movePath ? currentMoved : current;
      if (applied !== undefined) {
        const before = applyHunks(applied, hunks, 'reverse');
        if (before !== undefined) return { before, after: null };
      }
      if (current !== undefined) {
        const after = applyHunks(current, hunks, 'forward');
        if (after !== undefined) return { before: null, after };
      }
      return { ...hunkSides(hunks), partial: true };
    }
  }
}

/** One file's part of a multi-file (git) diff, as a change summary. Paths are as the diff names them. */
export function parseGitDiff(text: string): FileChangeSummary[] {
  const sections = /^diff --git /m.test(text) ? text.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git ')) : [text];
  const out: FileChangeSummary[] = [];
  for (const s of sections) {
    const lines = s.split(/\r?\n/);
    let oldPath: string | undefined;
    let newPath: string | undefined;
    let renameFrom: string | undefined;
    let renameTo: string | undefined;
    const head = /^diff --git a\/(.+) b\/(.+)$/.exec(lines[0] ?? '');
    for (const l of lines) {
      if (l.startsWith('@@')) break;
      if (l.startsWith('--- ')) oldPath = stripPrefix(l.slice(4));
      else if (l.startsWith('+++ ')) newPath = stripPrefix(l.slice(4));
      else if (l.startsWith('rename from ')) renameFrom = l.slice(12);
      else if (l.startsWith('rename to ')) renameTo = l.slice(10);
    }
    oldPath ??= renameFrom ?? head?.[1];
    newPath ??= renameTo ?? head?.[2];
    const start = lines.findIndex((l) => l.startsWith('@@'));
    const diff = start >= 0 ? lines.slice(start).join('\n') : '';
    if (oldPath === '/dev/null' && newPath) out.push({ path: newPath, kind: 'add', diff });
    else if (newPath === '/dev/null' && oldPath) out.push({ path: oldPath, kind: 'delete', diff });
    else if (oldPath || newPath) {
      const path = (oldPath ?? newPath)!;
      out.push({ path, kind: 'update', movePath: newPath && newPath !== path ? newPath : null, diff });
    } else if (diff) out.push({ path: 'changes.diff', kind: 'update', diff });
  }
  return out;
}

function stripPrefix(p: string): string {
  const path = p.replace(/\t.*$/, '').trim();
  if (path === '/dev/null') return path;
  return /^[ab]\//.test(path) ? path.slice(2) : path;
}
