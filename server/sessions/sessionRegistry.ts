/**
 * What the sidecar knows live about each session (Codex thread) it has seen: the last Thread
 * snapshot, activity, turn in flight, items of the running turn (for replies and file-change
 * approvals), and recent turn outcomes (for `sessions/waitTurn`).
 */
import type { Thread, ThreadStatus } from '../../protocol/codex';
import type { SessionActivity, SessionSummary, ThreadItem, TurnOutcome } from '../../protocol/types';
import { agentMessageText } from '../../protocol/moderation';

export interface TurnResult {
  turnId: string;
  status: TurnOutcome;
  reply?: string;
  error?: string;
}

export interface LiveSession {
  thread: Thread;
  activity: SessionActivity;
  loaded: boolean;
  archived: boolean;
  activeTurnId?: string;
  /** Items of the turn in flight, by id. */
  items: Map<string, ThreadItem>;
  /** Last completed agent message text of the turn in flight. */
  lastReply?: string;
  /** Recent outcomes, newest last. */
  results: TurnResult[];
}

const MAX_RESULTS = 20;

export function activityOf(status: ThreadStatus): SessionActivity {
  switch (status.type) {
    case 'notLoaded':
      return 'notLoaded';
    case 'idle':
      return 'idle';
    case 'systemError':
      return 'systemError';
    case 'active':
      if (status.activeFlags.includes('waitingOnApproval')) return 'waitingOnApproval';
      if (status.activeFlags.includes('waitingOnUserInput')) return 'waitingOnUserInput';
      return 'running';
  }
}

export class SessionRegistry {
  private readonly sessions = new Map<string, LiveSession>();

  get(id: string): LiveSession | undefined {
    return this.sessions.get(id);
  }

  all(): LiveSession[] {
    return [...this.sessions.values()];
  }

  loaded(): LiveSession[] {
    return this.all().filter((s) => s.loaded);
  }

  /** Record a Thread snapshot from app-server. */
  upsert(thread: Thread, opts: { loaded?: boolean; archived?: boolean } = {}): LiveSession {
    const existing = this.sessions.get(thread.id);
    const activity = activityOf(thread.status);
    if (existing) {
      existing.thread = { ...thread, turns: [] };
      if (opts.loaded !== undefined) existing.loaded = opts.loaded;
      if (opts.archived !== undefined) existing.archived = opts.archived;
      // A list/read snapshot says notLoaded for threads we have loaded; keep our live view then.
      if (!(existing.loaded && activity === 'notLoaded')) existing.activity = activity;
      return existing;
    }
    const live: LiveSession = {
      thread: { ...thread, turns: [] },
      activity,
      loaded: opts.loaded ?? activity !== 'notLoaded',
      archived: opts.archived ?? false,
      items: new Map(),
      results: [],
    };
    this.sessions.set(thread.id, live);
    return live;
  }

  setStatus(id: string, status: ThreadStatus): LiveSession | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    s.activity = activityOf(status);
    if (status.type !== 'notLoaded') s.loaded = true;
    s.thread = { ...s.thread, status, updatedAt: Math.floor(Date.now() / 1000) };
    return s;
  }

  turnStarted(id: string, turnId: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    // A fast turn can end before `turn/start`'s own answer is read: never bring an ended turn back.
    if (s.results.some((r) => r.turnId === turnId)) return;
    s.activeTurnId = turnId;
    s.items.clear();
    s.lastReply = undefined;
    if (s.activity === 'idle' || s.activity === 'notLoaded') s.activity = 'running';
  }

  trackItem(id: string, item: ThreadItem): void {
    const s = this.sessions.get(id);
    if (!s) return;
    s.items.set(item.id, item);
    if (item.type === 'agentMessage') s.lastReply = agentMessageText(item) || s.lastReply;
  }

  findItem(id: string, itemId: string): ThreadItem | undefined {
    return this.sessions.get(id)?.items.get(itemId);
  }

  turnEnded(id: string, result: TurnResult): void {
    const s = this.sessions.get(id);
    if (!s) return;
    if (s.activeTurnId === result.turnId) s.activeTurnId = undefined;
    s.results.push(result);
    if (s.results.length > MAX_RESULTS) s.results.shift();
    s.items.clear();
    s.lastReply = undefined;
  }

  result(id: string, turnId: string): TurnResult | undefined {
    return this.sessions.get(id)?.results.find((r) => r.turnId === turnId);
  }

  /** The runtime died: nothing is loaded any more. Returns the turns that were in flight. */
  runtimeLost(): Array<{ sessionId: string; turnId: string }> {
    const inFlight: Array<{ sessionId: string; turnId: string }> = [];
    for (const s of this.sessions.values()) {
      if (s.activeTurnId) inFlight.push({ sessionId: s.thread.id, turnId: s.activeTurnId });
    }
    return inFlight;
  }

  summary(id: string, extra: { pinned: boolean; queued: number }): SessionSummary | undefined {
    const s = this.sessions.get(id);
    return s ? toSummary(s, extra) : undefined;
  }
}

export function toSummary(s: LiveSession, extra: { pinned: boolean; queued: number }): SessionSummary {
  const t = s.thread;
  return {
    id: t.id,
    name: t.name ?? undefined,
    preview: t.preview,
    cwd: t.cwd,
    model: t.model ?? undefined,
    modelProvider: t.modelProvider,
    activity: s.loaded ? s.activity : 'notLoaded',
    archived: s.archived,
    loaded: s.loaded,
    pinned: extra.pinned,
    activeTurnId: s.activeTurnId,
    forkedFromId: t.forkedFromId ?? undefined,
    createdAt: t.createdAt * 1000,
    updatedAt: t.updatedAt * 1000,
    queued: extra.queued,
    path: t.path ?? undefined,
  };
}
