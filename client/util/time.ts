/** Relative times for tree rows and tooltips: the shared formatter in its `long` wording ("5 min ago", "yesterday"). */
import { relativeTime as formatRelative, toEpochMs } from '../../shared/format';

export function relativeTime(at: number, now: number = Date.now()): string {
  return formatRelative(at, now, 'long');
}

/** "in 3 h" / "in 12 min" for rate-limit resets (seconds or ms since epoch accepted); "now" once passed. */
export function untilTime(at: number, now: number = Date.now()): string {
  const ms = toEpochMs(at);
  return ms <= now ? 'now' : formatRelative(ms, now, 'long');
}
