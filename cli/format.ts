/**
 * Human output helpers: aligned tables, relative times, durations, one-line abbreviations and
 * colours (only on a terminal, and never with NO_COLOR or TERM=dumb).
 */
import stringWidth from 'string-width';
import type { Writer } from './context';
import { relativeTime as formatRelative } from '../shared/format';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain = (s: string): string => s;
const sgr = (open: number, close: number) => (s: string) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);

export const PLAIN_STYLE: Style = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
const ANSI_STYLE: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };

export function styleFor(out: Writer, env: NodeJS.ProcessEnv): Style {
  if (!out.isTTY || env.NO_COLOR !== undefined || env.TERM === 'dumb') return PLAIN_STYLE;
  return ANSI_STYLE;
}

/** Display width in terminal columns (escape sequences excluded, wide characters count two). */
export function visibleLength(s: string): number {
  return stringWidth(s);
}

function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - visibleLength(s)));
}

export interface TableOptions {
  /** Right-align these columns (indexes). */
  alignRight?: number[];
  /** Total width to fit; the last column is truncated to fit. */
  maxWidth?: number;
  /** Style for the header row. */
  headerStyle?: (s: string) => string;
}

/** Rows as aligned columns separated by two spaces; the first row is a header when `header` is given. */
export function table(header: string[] | undefined, rows: string[][], opts: TableOptions = {}): string[] {
  const all = (header ? [header, ...rows] : rows).map((r) => r.map((cell) => escapeControls(cell, { keepStyles: true })));
  if (all.length === 0) return [];
  const columns = Math.max(...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...all.map((r) => visibleLength(r[c] ?? ''))));
  const lines = all.map((row, rowIndex) => {
    const cells = Array.from({ length: columns }, (_, c) => {
      const cell = row[c] ?? '';
      if (c === columns - 1) return cell;
      return opts.alignRight?.includes(c) ? ' '.repeat(widths[c]! - visibleLength(cell)) + cell : padEnd(cell, widths[c]!);
    });
    let line = cells.join('  ').trimEnd();
    if (opts.maxWidth !== undefined && !line.includes('\u001b[') && visibleLength(line) > opts.maxWidth) line = truncate(line, opts.maxWidth);
    return header && rowIndex === 0 && opts.headerStyle ? opts.headerStyle(line) : line;
  });
  return lines;
}

/** `key  value` lines with the keys aligned. */
export function keyValues(pairs: Array<[string, string | undefined]>, indent = ''): string[] {
  const present = pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '');
  const width = Math.max(0, ...present.map(([k]) => k.length));
  return present.map(([k, v]) => `${indent}${k.padEnd(width)}  ${escapeControls(v, { keepStyles: true })}`);
}

/** Shorten to `max` characters with an ellipsis. */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max <= 1) return chars.slice(0, max).join('');
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Collapse whitespace runs (newlines included) to one space, so text fits one line. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export interface EscapeOptions {
  /** Keep the colour codes this CLI writes itself (ANSI_STYLE's SGR sequences): for rendered lines. */
  keepStyles?: boolean;
  /** Keep newlines and tabs: for multi-line text (a reply, a transcript entry). */
  keepNewlines?: boolean;
}

// C0 and C1 controls, DEL, bidirectional overrides/isolates/marks, line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /\u001b\[(?:1|2|22|31|32|33|36|39)m|[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Make control characters visible (newlines as `\n`, others as `\uXXXX`) while keeping everything
 * else: no name, message or reply can move the cursor, recolour, reverse text (RLO) or forge a line
 * in human output. Every human output goes through this (emit, tables, events, errors).
 */
export function escapeControls(s: string, opts: EscapeOptions = {}): string {
  return s.replace(CONTROL_RE, (c) => {
    if (c.length > 1) return opts.keepStyles ? c : `\\u001b${c.slice(1)}`;
    if (opts.keepNewlines && (c === '\n' || c === '\t')) return c;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** `12s`, `5m`, `3h 20m`, `2d 4h` (the shared duration formatter). */
export { formatDuration as duration, toEpochMs as toMs } from '../shared/format';

/** `just now`, `5s ago`, `3m ago`, `2h ago`, `4d ago`, then the date; `in 5m` for the future. */
export function relativeTime(then: number, now: number): string {
  return formatRelative(then, now, 'short');
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

export function yesNo(b: boolean | undefined): string {
  return b ? 'yes' : 'no';
}
