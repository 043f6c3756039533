/** Human relative times for tree rows and tooltips ("now", "5 min ago", "yesterday"). Pure. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(at: number, now: number = Date.now()): string {
  const d = now - at;
  if (!Number.isFinite(at) || at <= 0) return '';
  if (d < 45_000) return 'now';
  if (d < HOUR) return `${Math.max(1, Math.round(d / MINUTE))} min ago`;
  if (d < DAY) return `${Math.round(d / HOUR)} h ago`;
  if (d < 2 * DAY) return 'yesterday';
  if (d < 30 * DAY) return `${Math.floor(d / DAY)} d ago`;
  return new Date(at).toISOString().slice(0, 10);
}

/** "in 3 h" / "in 12 min" for rate-limit resets (seconds or ms since epoch accepted). */
export function untilTime(at: number, now: number = Date.now()): string {
  const ms = at < 1e12 ? at * 1000 : at;
  const d = ms - now;
  if (d <= 0) return 'now';
  if (d < HOUR) return `in ${Math.max(1, Math.round(d / MINUTE))} min`;
  if (d < 2 * DAY) return `in ${Math.round(d / HOUR)} h`;
  return `in ${Math.round(d / DAY)} d`;
}
