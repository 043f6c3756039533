/**
 * Turns app-server's notifications and server requests into Codex Fleet events: updates the
 * session registry, registers interactive requests, and emits normalized, typed events.
 */
import type { ServerNotification, ServerRequest } from '../../protocol/codex';
import type { DeltaStream, FleetEventBody, RateLimits, TurnOutcome } from '../../protocol/types';
import type { Logger } from '../logger';
import type { PendingRequests } from '../requests/pendingRequests';
import type { AppServerConnection } from '../runtime/appServerConnection';
import { DELTA_STREAMS } from '../runtime/deltaFrame';
import type { SessionRegistry } from '../sessions/sessionRegistry';
import type { RateLimitSnapshot } from '../../protocol/codex';
import { agentMessageText, readModeration } from '../../protocol/moderation';

export interface RuntimeEventDeps {
  registry: SessionRegistry;
  pending: PendingRequests;
  emit(body: FleetEventBody): void;
  /** emit() of an item/delta event without building a body first (the hot path); default: emit(). */
  emitDelta?(sessionId: string, turnId: string, itemId: string, stream: DeltaStream, delta: string): void;
  /** Emit `session/updated` for a session (summary built by the session service). */
  sessionChanged(sessionId: string): void;
  /** A turn ended: deliver queued follow-ups, settle waiters. */
  turnEnded(sessionId: string, turnId: string, status: TurnOutcome): void;
  rateLimitsChanged(r: RateLimits): void;
  accountChanged(): void;
  log: Logger;
}

export function toRateLimits(s: RateLimitSnapshot | null | undefined): RateLimits {
  const w = (x: { usedPercent: number; windowDurationMins: number | null; resetsAt: number | null } | null | undefined) =>
    x ? { usedPercent: x.usedPercent, windowMinutes: x.windowDurationMins, resetsAt: x.resetsAt } : null;
  return { primary: w(s?.primary), secondary: w(s?.secondary) };
}

export class RuntimeEvents {
  constructor(private readonly d: RuntimeEventDeps) {}

  attach(conn: AppServerConnection): void {
    conn.onNotification((n) => {
      try {
        this.onNotification(n, conn);
      } catch (e) {
        this.d.log.error(`failed to handle ${n.method}: ${e instanceof Error ? e.stack : String(e)}`);
      }
    });
    // The hot path: app-server's delta frames, read without JSON.parse (others still arrive above).
    const emitDelta =
      this.d.emitDelta?.bind(this.d) ??
      ((sessionId: string, turnId: string, itemId: string, stream: DeltaStream, delta: string) => this.d.emit({ kind: 'item/delta', sessionId, turnId, itemId, stream, delta }));
    conn.onDelta((stream, sessionId, turnId, itemId, delta) => {
      try {
        emitDelta(sessionId, turnId, itemId, stream, delta);
      } catch (e) {
        this.d.log.error(`failed to handle a ${stream} delta: ${e instanceof Error ? e.stack : String(e)}`);
      }
    });
    conn.onRequest((r) => this.onRequest(r, conn));
  }

  /**
   * Every server request gets an answer: interactive ones when a client decides, the rest at once —
   * an error for a method we do not know (a newer Codex's, e.g. after 0.171 added and removed some)
   * or one whose params we cannot read. Never left unanswered: app-server would wait for ever.
   */
  private onRequest(req: ServerRequest, conn: AppServerConnection): void {
    try {
      this.handleRequest(req, conn);
    } catch (e) {
      this.d.log.error(`failed to handle app-server request ${String(req.method)}: ${e instanceof Error ? e.message : String(e)}; answered with an error`);
      conn.respondError(req.id, -32603, `codex_fleet could not handle ${String(req.method)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private handleRequest(req: ServerRequest, conn: AppServerConnection): void {
    if (req.method === 'currentTime/read') {
      conn.respond(req.id, { currentTimeAt: Math.floor(Date.now() / 1000) });
      return;
    }
    if (!this.d.pending.add(req, conn)) {
      this.d.log.warn(`app-server asked ${req.method}, which Codex Fleet does not handle; declined`);
      conn.respondError(req.id, -32601, `codex_fleet does not support ${req.method}`);
      return;
    }
    const sessionId = 'params' in req && req.params && 'threadId' in req.params ? (req.params as { threadId: string }).threadId : undefined;
    if (sessionId) this.d.sessionChanged(sessionId);
  }

  /** A moderation instruction we do not know is shown as Codex sent it; say so in the log. */
  private checkModeration(threadId: string, item: { id: string; moderation?: unknown }): void {
    const v = readModeration(item.moderation);
    if (v.kind === 'unknown') {
      this.d.log.warn(`session ${threadId}: agent message ${item.id} has a moderation instruction Codex Fleet does not know (mode "${v.mode}", version ${v.version ?? '?'}); showing it as sent`);
    }
  }

  private onNotification(n: ServerNotification, conn: AppServerConnection): void {
    const { registry, emit } = this.d;
    const stream = DELTA_STREAMS[n.method];
    if (stream) {
      // Every streamed delta of every item kind has the same shape (frames the fast path declined).
      const p = n.params as { threadId: string; turnId: string; itemId: string; delta: string };
      emit({ kind: 'item/delta', sessionId: p.threadId, turnId: p.turnId, itemId: p.itemId, stream, delta: p.delta });
      return;
    }
    switch (n.method) {
      case 'thread/started':
        registry.upsert(n.params.thread, { loaded: true });
        this.d.sessionChanged(n.params.thread.id);
        return;
      case 'thread/status/changed':
        if (registry.setStatus(n.params.threadId, n.params.status)) this.d.sessionChanged(n.params.threadId);
        return;
      case 'thread/name/updated': {
        const s = registry.get(n.params.threadId);
        if (s) {
          s.thread = { ...s.thread, name: n.params.threadName ?? null };
          this.d.sessionChanged(n.params.threadId);
        }
        return;
      }
      case 'thread/archived':
      case 'thread/unarchived': {
        const s = registry.get(n.params.threadId);
        if (s) {
          s.archived = n.method === 'thread/archived';
          this.d.sessionChanged(n.params.threadId);
        }
        return;
      }
      case 'thread/closed': {
        const s = registry.get(n.params.threadId);
        if (s) {
          s.loaded = false;
          this.d.sessionChanged(n.params.threadId);
        }
        return;
      }
      case 'turn/started':
        registry.turnStarted(n.params.threadId, n.params.turn.id);
        emit({ kind: 'turn/started', sessionId: n.params.threadId, turnId: n.params.turn.id });
        this.d.sessionChanged(n.params.threadId);
        return;
      case 'turn/completed': {
        const { threadId, turn } = n.params;
        const live = registry.get(threadId);
        let reply = live?.lastReply;
        for (const item of turn.items) if (item.type === 'agentMessage') reply = agentMessageText(item) || reply;
        const status: TurnOutcome = turn.status === 'inProgress' ? 'completed' : turn.status;
        registry.turnEnded(threadId, { turnId: turn.id, status, reply, error: turn.error?.message });
        this.d.pending.expire((r) => r.sessionId === threadId && (r.turnId === undefined || r.turnId === turn.id), 'turnEnded');
        emit({ kind: 'turn/completed', sessionId: threadId, turnId: turn.id, status, error: turn.error, reply });
        this.d.turnEnded(threadId, turn.id, status);
        this.d.sessionChanged(threadId);
        return;
      }
      case 'item/started':
        registry.trackItem(n.params.threadId, n.params.item);
        emit({ kind: 'item/started', sessionId: n.params.threadId, turnId: n.params.turnId, item: n.params.item });
        return;
      case 'item/completed':
        if (n.params.item.type === 'agentMessage') this.checkModeration(n.params.threadId, n.params.item);
        registry.trackItem(n.params.threadId, n.params.item);
        emit({ kind: 'item/completed', sessionId: n.params.threadId, turnId: n.params.turnId, item: n.params.item });
        return;
      case 'turn/diff/updated':
        emit({ kind: 'turn/diff', sessionId: n.params.threadId, turnId: n.params.turnId, diff: n.params.diff });
        return;
      case 'turn/plan/updated':
        emit({ kind: 'turn/plan', sessionId: n.params.threadId, turnId: n.params.turnId, explanation: n.params.explanation, plan: n.params.plan });
        return;
      case 'thread/tokenUsage/updated': {
        const u = n.params.tokenUsage;
        const b = (x: typeof u.total) => ({ inputTokens: x.inputTokens, cachedInputTokens: x.cachedInputTokens, outputTokens: x.outputTokens, reasoningOutputTokens: x.reasoningOutputTokens, totalTokens: x.totalTokens });
        emit({ kind: 'tokenUsage/updated', sessionId: n.params.threadId, turnId: n.params.turnId, usage: { total: b(u.total), last: b(u.last), modelContextWindow: u.modelContextWindow } });
        return;
      }
      case 'account/rateLimits/updated':
        this.d.rateLimitsChanged(toRateLimits(n.params.rateLimits));
        return;
      case 'account/updated':
      case 'account/login/completed':
        this.d.accountChanged();
        return;
      case 'error':
        emit({ kind: 'session/error', sessionId: n.params.threadId, turnId: n.params.turnId, message: n.params.error.message, willRetry: n.params.willRetry });
        return;
      case 'serverRequest/resolved':
        this.d.pending.resolvedByCodex(n.params.threadId, n.params.requestId, conn);
        this.d.sessionChanged(n.params.threadId);
        return;
      case 'configWarning':
        this.d.log.warn(`codex config: ${n.params.summary}`);
        return;
      default:
        return;
    }
  }
}
