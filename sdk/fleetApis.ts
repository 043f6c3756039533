/**
 * Thin typed wrappers over the sidecar's request, account and agent methods (protocol/sidecarProtocol.ts):
 * `fleet.requests`, `fleet.account`, `fleet.agents`.
 */
import * as P from '../protocol/sidecarProtocol';
import type { AgentSummary, ApprovalDecision, AuthReadiness, PendingRequest, RateLimits, RequestAnswer, RequestAuditEntry } from '../protocol/types';
import type { FleetConnection } from './connection';

/** `fleet.requests`: approvals, questions and tool calls waiting for a client. The first answer wins. */
export class RequestsApi {
  constructor(private readonly conn: FleetConnection) {}

  /** Pending requests, newest first (of one session if given). */
  async list(opts: { sessionId?: string } = {}): Promise<PendingRequest[]> {
    return (await this.conn.request(P.RequestsList, { sessionId: opts.sessionId })).data;
  }

  /**
   * Answer a request. Rejects with FleetError `AlreadyResolved` when another client answered first
   * (or it expired), `RequestNotFound` for an unknown id, `InvalidParams` for an answer of the wrong kind.
   */
  async answer(request: string | PendingRequest, answer: RequestAnswer): Promise<void> {
    await this.conn.request(P.RequestsAnswer, { requestId: typeof request === 'string' ? request : request.id, answer });
  }

  /** Answer an approval with a decision (`accept`, `acceptForSession`, `decline`, `cancel`). */
  decide(request: string | PendingRequest, decision: ApprovalDecision): Promise<void> {
    return this.answer(request, { type: 'decision', decision });
  }

  /** How requests were resolved, newest last. */
  async audit(opts: { limit?: number } = {}): Promise<RequestAuditEntry[]> {
    return (await this.conn.request(P.RequestsAudit, { limit: opts.limit })).data;
  }
}

/** `fleet.account`: the Codex login every session of the sidecar uses. */
export class AccountApi {
  constructor(private readonly conn: FleetConnection) {}

  read(): Promise<AuthReadiness> {
    return this.conn.request(P.AccountRead);
  }

  /** Start a login; for `chatgpt`, open `authUrl` in a browser to finish. */
  login(params: P.LoginParams): Promise<P.LoginResult> {
    return this.conn.request(P.AccountLoginStart, params);
  }

  async cancelLogin(loginId: string): Promise<void> {
    await this.conn.request(P.AccountLoginCancel, { loginId });
  }

  async logout(): Promise<void> {
    await this.conn.request(P.AccountLogout);
  }

  async rateLimits(): Promise<RateLimits | undefined> {
    return (await this.conn.request(P.AccountRateLimits)).rateLimits;
  }
}

/** `fleet.agents`: Codex TUIs supervised by the sidecar. */
export class AgentsApi {
  constructor(private readonly conn: FleetConnection) {}

  async list(): Promise<AgentSummary[]> {
    return (await this.conn.request(P.AgentsList)).data;
  }

  async create(params: P.AgentsCreateParams): Promise<AgentSummary> {
    return (await this.conn.request(P.AgentsCreate, params)).agent;
  }

  /** Send a message; a busy agent's message is queued (`{ delivered: false, queued: true }`). */
  send(name: string, text: string, opts: { wait?: boolean; timeoutMs?: number } = {}): Promise<{ delivered: boolean; queued?: boolean }> {
    return this.conn.request(P.AgentsSend, { name, text, ...opts });
  }

  async stop(name: string): Promise<AgentSummary> {
    return (await this.conn.request(P.AgentsStop, { name })).agent;
  }

  async start(name: string): Promise<AgentSummary> {
    return (await this.conn.request(P.AgentsStart, { name })).agent;
  }

  async destroy(name: string, opts: { keepWorktree?: boolean; deleteSessions?: boolean } = {}): Promise<void> {
    await this.conn.request(P.AgentsDestroy, { name, ...opts });
  }

  /** Adopt an existing session into a new TUI agent. */
  async adopt(sessionId: string, name: string, opts: { consent?: boolean } = {}): Promise<AgentSummary> {
    return (await this.conn.request(P.AgentsAdopt, { sessionId, name, ...opts })).agent;
  }

  /** The agent's transcript from entry `since`; `next` continues. */
  transcript(name: string, opts: { raw?: boolean; since?: number } = {}): Promise<{ entries: unknown[]; next: number }> {
    return this.conn.request(P.AgentsTranscript, { name, ...opts });
  }
}
