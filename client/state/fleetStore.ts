/**
 * The client-side model of one workspace folder's sidecar: sessions, pending requests, agents,
 * runtime, auth, rate limits and token usage, built from snapshots (`sessions/list`,
 * `requests/list`, `fleet/status`) and kept current by `fleet/event`s. Pure (no `vscode`), so the
 * views, the status bar and the notifiers all read one model and it can be unit-tested.
 */
import type {
  AgentSummary,
  AuthReadiness,
  FleetEvent,
  FleetStatus,
  PendingRequest,
  RateLimits,
  RequestAnswer,
  RequestEndReason,
  RuntimeInfo,
  SessionSummary,
  SidecarInfo,
  TokenUsage,
} from '../../protocol/types';
import { Emitter, type Event } from '../util/emitter';

/** The client's view of its connection to the folder's sidecar. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

/** Which parts of the model changed (views refresh only what they show). */
export interface StoreChange {
  sessions?: boolean;
  requests?: boolean;
  status?: boolean;
  agents?: boolean;
  connection?: boolean;
}

export interface RequestEnded {
  requestId: string;
  sessionId: string;
  /** `gone`: a snapshot no longer lists it (ended while we were disconnected). */
  reason: RequestEndReason | 'gone';
  by?: string;
  answer?: RequestAnswer;
  /** The request as the store knew it (undefined if it was never seen). */
  request?: PendingRequest;
}

export class FleetStore {
  private readonly changeEmitter = new Emitter<StoreChange>();
  private readonly addRequestEmitter = new Emitter<PendingRequest>();
  private readonly endRequestEmitter = new Emitter<RequestEnded>();

  /** Fires after any change of the model. */
  readonly onDidChange: Event<StoreChange> = this.changeEmitter.event;
  /** A request this store had not seen before (from an event or a snapshot after the first one). */
  readonly onDidAddRequest: Event<PendingRequest> = this.addRequestEmitter.event;
  /** A request left the pending set. */
  readonly onDidEndRequest: Event<RequestEnded> = this.endRequestEmitter.event;

  readonly sessions = new Map<string, SessionSummary>();
  readonly requests = new Map<string, PendingRequest>();
  readonly agents = new Map<string, AgentSummary>();
  readonly usage = new Map<string, TokenUsage>();
  connection: ConnectionState = 'connecting';
  connectionError: string | undefined;
  sidecar: SidecarInfo | undefined;
  runtime: RuntimeInfo | undefined;
  auth: AuthReadiness | undefined;
  rateLimits: RateLimits | undefined;
  /** Whether archived sessions were loaded (the Archived group is shown). */
  archivedLoaded = false;
  /** True once a first `requests/list` snapshot arrived: later additions are news. */
  private requestsSeeded = false;

  constructor(
    /** Key of the workspace folder (its fsPath). */
    readonly folderKey: string,
    readonly folderName: string,
  ) {}

  // ----------------------------------------------------------------------------------------------
  // Snapshots

  setStatus(status: FleetStatus): void {
    this.sidecar = status.sidecar;
    this.runtime = status.runtime;
    this.auth = status.auth;
    if (status.rateLimits) this.rateLimits = status.rateLimits;
    this.fire({ status: true });
  }

  /** Replace the sessions with the given archived flag (the other half is kept). */
  setSessions(list: readonly SessionSummary[], archived: boolean): void {
    for (const [id, s] of this.sessions) if (s.archived === archived) this.sessions.delete(id);
    for (const s of list) this.sessions.set(s.id, s);
    if (archived) this.archivedLoaded = true;
    this.fire({ sessions: true });
  }

  /** Forget archived sessions (the toggle was turned off). */
  dropArchived(): void {
    for (const [id, s] of this.sessions) if (s.archived) this.sessions.delete(id);
    this.archivedLoaded = false;
    this.fire({ sessions: true });
  }

  setRequests(list: readonly PendingRequest[]): void {
    const before = new Map(this.requests);
    this.requests.clear();
    for (const r of list) this.requests.set(r.id, r);
    const seeded = this.requestsSeeded;
    this.requestsSeeded = true;
    this.fire({ requests: true });
    for (const [id, r] of before) {
      if (!this.requests.has(id)) this.endRequestEmitter.fire({ requestId: id, sessionId: r.sessionId, reason: 'gone', request: r });
    }
    if (seeded) for (const r of list) if (!before.has(r.id)) this.addRequestEmitter.fire(r);
  }

  setAgents(list: readonly AgentSummary[]): void {
    this.agents.clear();
    for (const a of list) this.agents.set(a.name, a);
    this.fire({ agents: true });
  }

  setConnection(state: ConnectionState, error?: string): void {
    if (this.connection === state && this.connectionError === error) return;
    this.connection = state;
    this.connectionError = error;
    this.fire({ connection: true });
  }

  // ----------------------------------------------------------------------------------------------
  // Events

  applyEvent(e: FleetEvent): void {
    switch (e.kind) {
      case 'runtime/state':
        this.runtime = e.runtime;
        this.fire({ status: true });
        break;
      case 'session/updated':
        this.sessions.set(e.session.id, e.session);
        this.fire({ sessions: true });
        break;
      case 'turn/started':
        this.patchSession(e.sessionId, (s) => ({ ...s, activeTurnId: e.turnId, activity: s.activity === 'idle' || s.activity === 'notLoaded' ? 'running' : s.activity, loaded: true }));
        break;
      case 'turn/completed':
        this.patchSession(e.sessionId, (s) =>
          s.activeTurnId === e.turnId ? { ...s, activeTurnId: undefined, activity: e.status === 'failed' ? 'systemError' : 'idle', updatedAt: Math.max(s.updatedAt, e.time) } : s,
        );
        break;
      case 'queue/updated':
        this.patchSession(e.sessionId, (s) => ({ ...s, queued: e.queue.length }));
        break;
      case 'tokenUsage/updated':
        this.usage.set(e.sessionId, e.usage);
        this.fire({ status: true });
        break;
      case 'rateLimits/updated':
        this.rateLimits = e.rateLimits;
        this.fire({ status: true });
        break;
      case 'account/updated':
        this.auth = e.auth;
        this.fire({ status: true });
        break;
      case 'request/pending': {
        const isNew = !this.requests.has(e.request.id);
        this.requests.set(e.request.id, e.request);
        this.fire({ requests: true });
        if (isNew) this.addRequestEmitter.fire(e.request);
        break;
      }
      case 'request/ended': {
        const request = this.requests.get(e.requestId);
        this.requests.delete(e.requestId);
        this.fire({ requests: true });
        this.endRequestEmitter.fire({ requestId: e.requestId, sessionId: e.sessionId, reason: e.reason, by: e.by, answer: e.answer, request });
        break;
      }
      case 'agent/updated':
        this.agents.set(e.agent.name, e.agent);
        this.fire({ agents: true });
        break;
      case 'agent/removed':
        this.agents.delete(e.name);
        this.fire({ agents: true });
        break;
      default:
        // Item, delta, diff, plan, error and warning events change nothing the store keeps.
        break;
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Queries

  /** Ids of sessions with at least one pending request. */
  sessionsWithPending(): Set<string> {
    return new Set([...this.requests.values()].map((r) => r.sessionId));
  }

  runningCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (!s.archived && s.activity === 'running') n++;
    return n;
  }

  /**
   * Codex needs a sign-in: the provider wants an OpenAI login (known once the runtime answered
   * account/read) and there is nothing in env or CODEX_HOME and no account.
   */
  needsSignIn(): boolean {
    const a = this.auth;
    if (!a || a.requiresOpenaiAuth !== true) return false;
    if (a.apiKeyEnv || a.authFile) return false;
    return !a.account || a.account.type === 'none';
  }

  /** The runtime failed because the codex binary could not be found or run. */
  codexMissing(): boolean {
    const r = this.runtime;
    return r?.state === 'failed' && /not found|ENOENT|no such file|EACCES/i.test(r.lastError ?? '');
  }

  private patchSession(id: string, fn: (s: SessionSummary) => SessionSummary): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.set(id, fn(s));
    this.fire({ sessions: true });
  }

  private fire(change: StoreChange): void {
    this.changeEmitter.fire(change);
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.addRequestEmitter.dispose();
    this.endRequestEmitter.dispose();
  }
}
