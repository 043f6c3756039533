/**
 * The status bar item's text and tooltip, computed from a summary of every folder's store. Pure.
 */
import { codexRangeStatus, codexSourceLabel } from '../../protocol/codexRange';
import type { RateLimits, RateLimitWindow, RuntimeInfo, RuntimeState, TokenUsage } from '../../protocol/types';
import { formatTokens } from '../../shared/format';
import { untilTime } from '../util/time';

export interface StatusSummary {
  /** Worst connection state over the folders. */
  connection: 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'none';
  /** Worst runtime state over the connected folders. */
  runtime?: RuntimeState;
  pending: number;
  running: number;
  needsSignIn: boolean;
  rateLimits?: RateLimits;
  /** The codex each connected folder's sidecar runs (one entry per distinct codex). */
  codex?: CodexInUse[];
  /** Token usage of the most recently active session, if any. */
  usage?: { sessionLabel: string; usage: TokenUsage };
}

export type CodexInUse = Pick<RuntimeInfo, 'codexVersion' | 'codexSource' | 'codexPath' | 'codexInRange' | 'codexTestedRange' | 'codexWarning'>;

/** "Codex 0.171.0 from PATH, inside the tested range 0.169.0–0.171.0". */
export function codexInUseLine(c: CodexInUse): string {
  const range = codexRangeStatus(c);
  return `Codex ${c.codexVersion ?? '(version unknown)'} from ${codexSourceLabel(c.codexSource)}${range ? `, ${range}` : ''}`;
}

export interface StatusBarView {
  text: string;
  /** Markdown. */
  tooltip: string;
  /** ThemeColor id for the background, if any. */
  background?: 'statusBarItem.warningBackground' | 'statusBarItem.errorBackground';
  /** Command run on click. */
  command: string;
  /** Words for screen readers (and tests): the text without icons. */
  label: string;
}

/** The highest used percentage over the rate-limit windows, rounded. */
export function rateLimitPercent(r: RateLimits | undefined): number | undefined {
  const values = [r?.primary?.usedPercent, r?.secondary?.usedPercent].filter((v): v is number => typeof v === 'number');
  return values.length ? Math.round(Math.max(...values)) : undefined;
}

export function statusBarView(s: StatusSummary): StatusBarView {
  const parts: string[] = [];
  let background: StatusBarView['background'];
  let command = 'codexFleet.sessions.focus';
  if (s.connection === 'failed') {
    parts.push('$(error) Codex Fleet');
    background = 'statusBarItem.errorBackground';
    command = 'codexFleet.reconnect';
  } else if (s.connection === 'connecting' || s.connection === 'reconnecting') {
    parts.push('$(sync~spin) Codex Fleet');
  } else if (s.runtime === 'failed') {
    parts.push('$(error) Codex');
    background = 'statusBarItem.errorBackground';
    command = 'codexFleet.showLog';
  } else if (s.needsSignIn) {
    parts.push('$(account) Sign in to Codex');
    command = 'codexFleet.signIn';
  } else {
    parts.push(s.runtime === 'starting' || s.runtime === 'restarting' ? '$(sync~spin) Codex' : '$(hubot) Codex');
  }
  if (s.pending > 0) {
    parts.push(`$(bell-dot) ${s.pending}`);
    background ??= 'statusBarItem.warningBackground';
    command = 'codexFleet.approvals.focus';
  }
  if (s.running > 0) parts.push(`$(loading~spin) ${s.running}`);
  const pct = rateLimitPercent(s.rateLimits);
  if (pct !== undefined) parts.push(`$(dashboard) ${pct}%`);
  return { text: parts.join(' '), tooltip: statusTooltip(s), background, command, label: statusLabel(s, pct) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function statusLabel(s: StatusSummary, pct = rateLimitPercent(s.rateLimits)): string {
  const parts = [`Codex Fleet: ${s.connection === 'connected' ? (s.runtime === 'failed' ? 'Codex failed' : s.needsSignIn ? 'not signed in' : 'ready') : s.connection}`];
  parts.push(plural(s.pending, 'pending request'), plural(s.running, 'running session'));
  if (pct !== undefined) parts.push(`${pct}% of rate limit used`);
  return parts.join(', ');
}

function windowLine(name: string, w: RateLimitWindow | null | undefined, now: number): string | undefined {
  if (!w) return undefined;
  const span = w.windowMinutes ? ` of the ${formatWindow(w.windowMinutes)} window` : '';
  const reset = w.resetsAt ? `, resets ${untilTime(w.resetsAt, now)}` : '';
  return `- ${name}: ${Math.round(w.usedPercent)}% used${span}${reset}`;
}

function formatWindow(minutes: number): string {
  if (minutes % (60 * 24 * 7) === 0) return `${minutes / (60 * 24 * 7)}-week`;
  if (minutes % (60 * 24) === 0) return `${minutes / (60 * 24)}-day`;
  if (minutes % 60 === 0) return `${minutes / 60}-hour`;
  return `${minutes}-minute`;
}

export { formatTokens };

export function statusTooltip(s: StatusSummary, now: number = Date.now()): string {
  const lines: string[] = ['**Codex Fleet**', ''];
  const conn: Record<StatusSummary['connection'], string> = {
    connected: 'Connected to the sidecar',
    connecting: 'Connecting to the sidecar…',
    reconnecting: 'Reconnecting to the sidecar…',
    failed: 'Not connected to the sidecar (click to reconnect)',
    none: 'No workspace folder open',
  };
  lines.push(`- ${conn[s.connection]}`);
  if (s.runtime) lines.push(`- Codex runtime: ${s.runtime}`);
  for (const c of s.codex ?? []) {
    lines.push(`- ${codexInUseLine(c)}`);
    if (c.codexWarning) lines.push(`  - $(warning) ${c.codexWarning}`);
  }
  if (s.needsSignIn) lines.push('- Codex is not signed in');
  lines.push(`- ${s.pending} pending request${s.pending === 1 ? '' : 's'}, ${s.running} running session${s.running === 1 ? '' : 's'}`);
  const limits = [windowLine('Primary limit', s.rateLimits?.primary, now), windowLine('Secondary limit', s.rateLimits?.secondary, now)].filter(
    (l): l is string => !!l,
  );
  if (limits.length) lines.push('', '**Rate limits**', '', ...limits);
  if (s.usage) {
    const t = s.usage.usage.total;
    const ctx = s.usage.usage.modelContextWindow;
    lines.push('', `**Tokens** (${s.usage.sessionLabel})`, '');
    lines.push(`- ${formatTokens(t.totalTokens)} total: ${formatTokens(t.inputTokens)} in (${formatTokens(t.cachedInputTokens)} cached), ${formatTokens(t.outputTokens)} out`);
    const last = s.usage.usage.last;
    if (ctx && last) lines.push(`- Context: ${formatTokens(last.totalTokens)} of ${formatTokens(ctx)} (${Math.round((100 * last.totalTokens) / ctx)}%)`);
  }
  return lines.join('\n');
}
