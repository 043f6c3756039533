/**
 * Interactive requests from Codex (approvals, user input, tool calls, elicitations) held until a
 * client answers. Each gets a stable id of ours (app-server's ids restart at 0 per process). The
 * first answer wins; later answers get AlreadyResolved. Requests expire with an event when their
 * turn ends, the runtime dies or the session is archived. Every resolution is audited.
 */
import { createHash } from 'node:crypto';
import type { ServerRequest } from '../../protocol/codex';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import type { FleetEventBody, PendingRequest, RequestAnswer, RequestAuditEntry, RequestEndReason, ThreadItem } from '../../protocol/types';
import type { AppServerConnection } from '../runtime/appServerConnection';
import { toCodexResponse, toPendingRequest } from './requestMapping';

interface Entry {
  request: PendingRequest;
  codexId: number | string;
  conn: AppServerConnection;
}

export interface PendingDeps {
  emit(body: FleetEventBody): void;
  audit(entry: RequestAuditEntry): void;
  itemLookup(threadId: string, itemId: string): ThreadItem | undefined;
  /** Allocates request numbers (persisted, so a later sidecar never reuses an id). Default: in memory. */
  allocateId?(): number;
}

/** How many ended request ids we remember, to answer late callers "already resolved". */
const ENDED_MEMORY = 2000;

export class PendingRequests {
  private nextId = 1;
  private readonly entries = new Map<string, Entry>();
  private readonly ended = new Map<string, RequestEndReason>();
  /** Sessions someone waits on until one of their requests is held (see {@link whenHeldFor}). */
  private readonly heldWaiters = new Map<string, Set<() => void>>();

  constructor(private readonly deps: PendingDeps) {}

  /**
   * Resolves once a request of `sessionId` is held (at once if one is), or after `timeoutMs`.
   * A runtime taken over from a killed sidecar re-sends a pending request only after
   * `thread/resume` has answered: until it arrives, an answer by its id would find nothing.
   */
  whenHeldFor(sessionId: string, timeoutMs: number): Promise<void> {
    if (this.list(sessionId).length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.heldWaiters.get(sessionId) ?? new Set<() => void>();
      this.heldWaiters.set(sessionId, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.heldWaiters.delete(sessionId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(done);
    });
  }

  get size(): number {
    return this.entries.size;
  }

  list(sessionId?: string): PendingRequest[] {
    return [...this.entries.values()]
      .map((e) => e.request)
      .filter((r) => !sessionId || r.sessionId === sessionId)
      .sort((a, b) => b.createdAt - a.createdAt || idNum(b.id) - idNum(a.id));
  }

  get(id: string): PendingRequest | undefined {
    return this.entries.get(id)?.request;
  }

  /** Register a server request; returns false if it is not an interactive one. */
  add(req: ServerRequest, conn: AppServerConnection): boolean {
    const probe = toPendingRequest(req, 'req-0', Date.now(), this.deps.itemLookup);
    if (!probe) return false;
    // Stable across sidecars: Codex re-sends a pending request to a new client (after a sidecar
    // restart that took over the runtime) and it keeps the id every client already knows.
    const id = stableRequestId(req, probe) ?? `req-${this.deps.allocateId ? this.deps.allocateId() : this.nextId++}`;
    this.ended.delete(id);
    if (this.entries.has(id)) {
      // The same request again (re-sent on resume): answer the live copy from now on.
      this.entries.set(id, { request: this.entries.get(id)!.request, codexId: req.id, conn });
      this.notifyHeld(probe.sessionId);
      return true;
    }
    const request = { ...probe, id };
    this.entries.set(id, { request, codexId: req.id, conn });
    this.deps.emit({ kind: 'request/pending', request });
    this.notifyHeld(probe.sessionId);
    return true;
  }

  private notifyHeld(sessionId: string): void {
    for (const done of [...(this.heldWaiters.get(sessionId) ?? [])]) done();
  }

  /** A client's answer. Throws FleetError for unknown, already-ended or invalid answers. */
  answer(id: string, answer: RequestAnswer, by: string): void {
    const entry = this.entries.get(id);
    if (!entry) {
      const reason = this.ended.get(id);
      if (reason) throw new FleetError(ErrorCodes.AlreadyResolved, `request ${id} was already ${describe(reason)}`, { reason });
      throw new FleetError(ErrorCodes.RequestNotFound, `no pending request ${id}; list them with \`codex-fleet approvals list\``);
    }
    const result = toCodexResponse(entry.request, answer);
    if (entry.conn.isClosed) {
      this.end(id, 'runtimeDied', 'sidecar');
      throw new FleetError(ErrorCodes.AlreadyResolved, `request ${id} expired: the Codex runtime restarted`, { reason: 'runtimeDied' });
    }
    entry.conn.respond(entry.codexId, result);
    this.end(id, 'answered', by, answer);
  }

  /** app-server said the request is settled (serverRequest/resolved). */
  resolvedByCodex(threadId: string, codexId: number | string, conn: AppServerConnection): void {
    for (const [id, e] of this.entries) {
      if (e.conn === conn && e.codexId === codexId && e.request.sessionId === threadId) {
        this.end(id, 'resolvedByCodex', 'codex');
        return;
      }
    }
  }

  /** Expire every request matching `pred`. */
  expire(pred: (r: PendingRequest) => boolean, reason: RequestEndReason): number {
    let n = 0;
    for (const [id, e] of [...this.entries]) {
      if (pred(e.request)) {
        this.end(id, reason, 'sidecar');
        n++;
      }
    }
    return n;
  }

  private end(id: string, reason: RequestEndReason, by: string, answer?: RequestAnswer): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.ended.set(id, reason);
    if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.keys().next().value as string);
    const r = entry.request;
    this.deps.audit({ requestId: id, sessionId: r.sessionId, kind: r.kind, at: Date.now(), by, outcome: reason, answer: redact(answer, r) });
    this.deps.emit({ kind: 'request/ended', requestId: id, sessionId: r.sessionId, reason, by, answer: redact(answer, r) });
  }
}

function idNum(id: string): number {
  return Number(id.slice(4)) || 0;
}

/** `req-` + 10 hex digits of a hash of what identifies the request in Codex (session, turn, item, callback). */
function stableRequestId(req: ServerRequest, r: PendingRequest): string | undefined {
  if (!r.itemId) return undefined;
  const approvalId = 'params' in req && req.params && 'approvalId' in req.params ? String(req.params.approvalId ?? '') : '';
  const key = [req.method, r.sessionId, r.turnId ?? '', r.itemId, approvalId].join('\u0000');
  return `req-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

function describe(reason: RequestEndReason): string {
  switch (reason) {
    case 'answered':
      return 'answered by another client';
    case 'turnEnded':
      return 'expired: its turn ended';
    case 'runtimeDied':
      return 'expired: the Codex runtime restarted';
    case 'archived':
      return 'expired: its session was archived';
    case 'resolvedByCodex':
      return 'resolved by Codex (e.g. answered in a terminal viewer or the turn was interrupted)';
  }
}

/** Secret answers (user-input questions marked secret) are never logged; tool results are kept short. */
function redact(answer: RequestAnswer | undefined, request: PendingRequest): RequestAnswer | undefined {
  if (!answer) return undefined;
  if (answer.type === 'userInput' && request.kind === 'userInput') {
    const secret = new Set(request.questions.filter((q) => q.secret).map((q) => q.id));
    return { type: 'userInput', answers: Object.fromEntries(Object.entries(answer.answers).map(([k, v]) => [k, secret.has(k) ? ['•••'] : v])) };
  }
  if (answer.type === 'toolResult') return { type: 'toolResult', success: answer.success, contentItems: [] };
  if (answer.type === 'elicitation') return { type: 'elicitation', action: answer.action };
  return answer;
}
