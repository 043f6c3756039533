/**
 * One formatter per quantity, shared by the status bar, the trees, the transcript and the CLI.
 * Pure and free of Node imports (the webview bundles it too).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A unix time in milliseconds. Codex reports some times (turn starts, rate-limit resets) in seconds:
 * a positive value below 1e11 cannot be milliseconds of a plausible date (1e11 ms is March 1973),
 * so it is taken as seconds (1e11 s is year 5138).
 */
export function toEpochMs(t: number): number {
  return t > 0 && t < 1e11 ? t * 1000 : t;
}

/** Token counts: `999`, `1.5k`, `25k`, `3.2M`. */
export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

/**
 * How relative times are worded: `short` for table columns (the CLI: `5m ago`, `in 1m`),
 * `long` for tree rows and tooltips (`5 min ago`, `yesterday`, `in 2 h`). Same units, same rounding.
 */
export type RelativeTimeStyle = 'short' | 'long';

interface Words {
  now: string;
  unit: { s: string; m: string; h: string; d: string };
  /** One day in the past. */
  yesterday?: string;
  /** Below this many ms in the past, `now`. */
  nowBelowMs: number;
}

const WORDS: Record<RelativeTimeStyle, Words> = {
  short: { now: 'just now', unit: { s: 's', m: 'm', h: 'h', d: 'd' }, nowBelowMs: SECOND },
  long: { now: 'now', unit: { s: ' s', m: ' min', h: ' h', d: ' d' }, yesterday: 'yesterday', nowBelowMs: 45 * SECOND },
};

/** `then` relative to `now` (both unix ms); past as `… ago`, future as `in …`; beyond 30 days the date. */
export function relativeTime(then: number, now: number, style: RelativeTimeStyle = 'short'): string {
  if (!Number.isFinite(then) || then <= 0) return style === 'short' ? '-' : '';
  const w = WORDS[style];
  const diff = now - then;
  const abs = Math.abs(diff);
  if (abs < w.nowBelowMs) return w.now;
  let text: string;
  if (abs < MINUTE) text = `${Math.floor(abs / SECOND)}${w.unit.s}`;
  else if (abs < HOUR) text = `${Math.floor(abs / MINUTE)}${w.unit.m}`;
  else if (abs < DAY) text = `${Math.floor(abs / HOUR)}${w.unit.h}`;
  else if (abs < 30 * DAY) {
    const days = Math.floor(abs / DAY);
    if (days === 1 && diff > 0 && w.yesterday) return w.yesterday;
    text = `${days}${w.unit.d}`;
  } else return new Date(then).toISOString().slice(0, 10);
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** Durations: `250ms`, `12s`, `1m 1s`, `1h 20m`, `1d 2h`. */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.floor(ms / SECOND);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}
