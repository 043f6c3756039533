/**
 * How the Sessions view groups, orders and labels sessions: by what they need from the user —
 * Needs you (approval or input waiting), Running, Idle, and Archived (behind a toggle). Pure.
 */
import type { PendingRequest, SessionSummary } from '../../protocol/types';
import { relativeTime } from '../util/time';

export type GroupKind = 'needsYou' | 'running' | 'idle' | 'archived';

export const GROUP_ORDER: readonly GroupKind[] = ['needsYou', 'running', 'idle', 'archived'];

export const GROUP_LABELS: Record<GroupKind, string> = {
  needsYou: 'Needs you',
  running: 'Running',
  idle: 'Idle',
  archived: 'Archived',
};

export interface SessionGroup {
  kind: GroupKind;
  label: string;
  sessions: SessionSummary[];
}

/** The group a session belongs in; `pending` holds ids of sessions with a pending request. */
export function groupOf(s: SessionSummary, pending: ReadonlySet<string>): GroupKind {
  if (s.archived) return 'archived';
  if (pending.has(s.id) || s.activity === 'waitingOnApproval' || s.activity === 'waitingOnUserInput') return 'needsYou';
  if (s.activity === 'running') return 'running';
  return 'idle';
}

/** Pinned first, then most recently updated, then id (a stable order for equal times). */
export function compareSessions(a: SessionSummary, b: SessionSummary): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Non-empty groups in display order; Archived only when `showArchived`. */
export function groupSessions(
  sessions: Iterable<SessionSummary>,
  requests: Iterable<Pick<PendingRequest, 'sessionId'>>,
  opts: { showArchived: boolean },
): SessionGroup[] {
  const pending = new Set<string>();
  for (const r of requests) pending.add(r.sessionId);
  const byKind = new Map<GroupKind, SessionSummary[]>();
  for (const s of sessions) {
    const kind = groupOf(s, pending);
    if (kind === 'archived' && !opts.showArchived) continue;
    let list = byKind.get(kind);
    if (!list) byKind.set(kind, (list = []));
    list.push(s);
  }
  return GROUP_ORDER.filter((k) => byKind.has(k)).map((kind) => ({
    kind,
    label: GROUP_LABELS[kind],
    sessions: (byKind.get(kind) ?? []).sort(compareSessions),
  }));
}

const MAX_LABEL = 80;

/** One line of text, whitespace collapsed, cut at `max` characters with an ellipsis. */
export function oneLine(text: string, max = MAX_LABEL): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** The session's name, else its first message, else "New session". */
export function sessionLabel(s: Pick<SessionSummary, 'name' | 'preview'>): string {
  const name = s.name?.trim();
  if (name) return oneLine(name);
  const preview = oneLine(s.preview ?? '');
  return preview || 'New session';
}

/** "5 min ago · gpt-5.5 · 2 queued" */
export function sessionDescription(s: SessionSummary, now: number = Date.now()): string {
  const parts = [relativeTime(s.updatedAt || s.createdAt, now)];
  if (s.model) parts.push(s.model);
  if (s.queued > 0) parts.push(`${s.queued} queued`);
  return parts.filter(Boolean).join(' · ');
}

/** A codicon id (and optional theme color id) for the session's row. */
export interface IconSpec {
  id: string;
  color?: string;
}

export function sessionIcon(s: SessionSummary, group: GroupKind): IconSpec {
  if (group === 'archived') return { id: 'archive' };
  if (group === 'needsYou') return { id: s.activity === 'waitingOnUserInput' ? 'question' : 'bell-dot', color: 'notificationsWarningIcon.foreground' };
  if (s.activity === 'running') return { id: 'loading~spin' };
  if (s.activity === 'systemError') return { id: 'error', color: 'errorForeground' };
  if (s.activity === 'notLoaded') return { id: 'circle-outline' };
  return { id: 'pass', color: 'testing.iconPassed' };
}

/** Human words for a session's activity (tooltips, pickers). */
export function activityText(s: SessionSummary, hasPending: boolean): string {
  if (s.archived) return 'archived';
  if (hasPending || s.activity === 'waitingOnApproval') return 'waiting for your approval';
  switch (s.activity) {
    case 'waitingOnUserInput':
      return 'waiting for your answer';
    case 'running':
      return 'running';
    case 'systemError':
      return 'last turn failed';
    case 'notLoaded':
      return 'idle (not loaded)';
    default:
      return 'idle';
  }
}

/** Tokens for a tree item's `contextValue`, matched by `viewItem =~ /\btoken\b/` in menus. */
export function sessionContextValue(s: SessionSummary, group: GroupKind): string {
  const tokens = ['session', group];
  if (s.archived) tokens.push('archived');
  else tokens.push('active');
  if (s.activity === 'running' || s.activeTurnId) tokens.push('running');
  if (s.pinned) tokens.push('pinned');
  else tokens.push('unpinned');
  return tokens.join(' ');
}
