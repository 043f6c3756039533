/**
 * The sidecar protocol: every method and notification between the Codex Fleet sidecar and its clients
 * (VS Code extension, `codex-fleet` CLI, TypeScript SDK), declared once. JSON-RPC 2.0 with LSP-style
 * Content-Length framing over the sidecar's unix socket. Documented in docs/protocol.md.
 *
 * Naming: `area/noun[/event]`. Directions are given from the sidecar's point of view.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type {
  AgentKind,
  AgentSummary,
  AuthReadiness,
  FleetEvent,
  FleetEventKind,
  FleetStatus,
  PendingRequest,
  QueuedMessage,
  RateLimits,
  RequestAnswer,
  RequestAuditEntry,
  SessionSummary,
  TurnControls,
  TurnInfo,
  TurnOutcome,
  DynamicToolSpec,
} from './types';

// ------------------------------------------------------------------------------------------------
// Connection

export interface InitializeParams {
  processId: number | null;
  clientInfo: { name: string; version?: string };
  /** LSP clients send more; the sidecar reads only these. */
  capabilities: Record<string, unknown>;
  initializationOptions?: { logs?: boolean };
}
export interface InitializeResult {
  capabilities: Record<string, never>;
  serverInfo: { name: 'codex-fleet-sidecar'; version: string };
  status: FleetStatus;
}
/** client → sidecar: first message on every connection (LSP `initialize`). */
export const Initialize = new RequestType<InitializeParams, InitializeResult, void>('initialize');
/** client → sidecar: the client is going away (LSP `shutdown`); the sidecar keeps running. */
export const Shutdown = new RequestType0<null, void>('shutdown');
/** client → sidecar (notification): close this connection (LSP `exit`); never stops the sidecar. */
export const Exit = new NotificationType<void>('exit');

// ------------------------------------------------------------------------------------------------
// Sidecar

/** client → sidecar: sidecar, runtime, auth and counts. */
export const FleetStatusRequest = new RequestType0<FleetStatus, void>('fleet/status');
/**
 * client → sidecar: stop the sidecar, whatever runs (agents and app-server are stopped first; running
 * turns are lost with the runtime). Params are `{}`.
 */
export const FleetStop = new RequestType<Record<string, never>, { stopping: true }, void>('fleet/stop');
export interface StoppingParams {
  /** `requested`: a client asked (`fleet/stop`); `idle`: idle timeout; `signal`: SIGTERM/SIGINT. */
  reason: 'requested' | 'idle' | 'signal';
  /** Name of the client that asked, for `requested`. */
  by?: string;
}
/**
 * sidecar → client: the sidecar is about to stop. After `requested`, clients should not start a new
 * one on their own (the user stopped it on purpose) until the user asks again.
 */
export const StoppingNotification = new NotificationType<StoppingParams>('fleet/stopping');
/** client → sidecar: restart `codex app-server` now (e.g. after a settings change). */
export const RuntimeRestart = new RequestType<{ codexPath?: string }, { restarting: true }, void>('runtime/restart');

export interface LogMessage {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  source: 'sidecar' | 'app-server';
  message: string;
  time: number;
}
/** sidecar → client: a log line, sent to clients that asked with `initializationOptions.logs`. */
export const LogNotification = new NotificationType<LogMessage>('fleet/log');

// ------------------------------------------------------------------------------------------------
// Events

export interface SubscribeParams {
  /** Only events about these sessions (plus global events such as runtime/state). */
  sessionIds?: string[];
  /** Only these kinds. */
  kinds?: FleetEventKind[];
  /** Replay buffered events with seq > sinceSeq before live ones. */
  sinceSeq?: number;
}
export interface SubscribeResult {
  /** Events replayed (already sent as `fleet/event` notifications before this result). */
  replayed: number;
  /** True when events after `sinceSeq` were already dropped from the buffer: re-read state. */
  gap: boolean;
  /** Oldest seq still buffered (0 when empty). */
  oldestSeq: number;
  /** Newest seq emitted so far. */
  lastSeq: number;
  /** When this sidecar started: a client holding seqs of an earlier sidecar sees a different value (and gap=true). */
  sidecarStartedAt: number;
}
/** client → sidecar: set this connection's event filter (replaces any earlier one) and optionally replay. */
export const EventsSubscribe = new RequestType<SubscribeParams, SubscribeResult, void>('events/subscribe');
/** client → sidecar: stop receiving events on this connection. */
export const EventsUnsubscribe = new RequestType0<null, void>('events/unsubscribe');
/** sidecar → client: one event of the stream (in seq order; streaming deltas may arrive merged). */
export const EventNotification = new NotificationType<FleetEvent>('fleet/event');

// ------------------------------------------------------------------------------------------------
// Sessions

export interface SessionsListParams {
  archived?: boolean;
  cursor?: string;
  limit?: number;
  /** `workspace` (default): sessions whose cwd is this workspace (or a folder in it this sidecar knows); `all`: every session in CODEX_HOME. */
  scope?: 'workspace' | 'all';
}
export interface SessionsListResult {
  data: SessionSummary[];
  nextCursor?: string;
}
/** client → sidecar: stored and loaded sessions merged, newest first, paged. */
export const SessionsList = new RequestType<SessionsListParams, SessionsListResult, void>('sessions/list');

export interface SessionsStartParams extends TurnControls {
  cwd?: string;
  name?: string;
  /** Dynamic tools a client will answer (experimental Codex capability). */
  dynamicTools?: DynamicToolSpec[];
}
/** client → sidecar: start a new session (Codex thread). */
export const SessionsStart = new RequestType<SessionsStartParams, { session: SessionSummary }, void>('sessions/start');

export interface SessionRef {
  sessionId: string;
}
export interface SessionsReadResult {
  session: SessionSummary;
  turns: TurnInfo[];
  queue: QueuedMessage[];
  pending: PendingRequest[];
  /** The sidecar's last event seq when this snapshot was taken: apply only events after it. */
  lastSeq: number;
}
/** client → sidecar: one session with its turns and items. */
export const SessionsRead = new RequestType<SessionRef & { includeItems?: boolean }, SessionsReadResult, void>('sessions/read');
/** client → sidecar: the default controls for new sessions (persisted by the sidecar); `set` replaces them. */
export const SessionsDefaults = new RequestType<{ set?: TurnControls }, { defaults: TurnControls }, void>('sessions/defaults');
/** client → sidecar: load a stored session into the runtime. */
export const SessionsResume = new RequestType<SessionRef, { session: SessionSummary }, void>('sessions/resume');
/** client → sidecar: fork a session, optionally keeping turns up to and including `lastTurnId`. */
export const SessionsFork = new RequestType<SessionRef & { lastTurnId?: string; name?: string }, { session: SessionSummary }, void>('sessions/fork');
/** client → sidecar: archive (expires its pending requests). */
export const SessionsArchive = new RequestType<SessionRef, { session: SessionSummary }, void>('sessions/archive');
/** client → sidecar: unarchive. */
export const SessionsUnarchive = new RequestType<SessionRef, { session: SessionSummary }, void>('sessions/unarchive');
/** client → sidecar: rename. */
export const SessionsRename = new RequestType<SessionRef & { name: string }, { session: SessionSummary }, void>('sessions/rename');
/** client → sidecar: pin or unpin (sidecar-owned, persisted). */
export const SessionsPin = new RequestType<SessionRef & { pinned: boolean }, { session: SessionSummary }, void>('sessions/pin');
/** client → sidecar: compact the session's context. */
export const SessionsCompact = new RequestType<SessionRef, Record<string, never>, void>('sessions/compact');
/** client → sidecar: interrupt the turn in flight. */
export const SessionsInterrupt = new RequestType<SessionRef, { turnId: string }, void>('sessions/interrupt');

export interface MessageInput {
  text: string;
  /** Local image files attached to the message. */
  images?: string[];
}
export interface SessionsSendParams extends SessionRef, MessageInput {
  /** Per-turn overrides. */
  controls?: TurnControls;
  /** What to do when a turn is already running: `steer` it now, `queue` for when it ends, or fail (default). */
  whileRunning?: 'steer' | 'queue' | 'error';
}
export interface SessionsSendResult {
  delivery: 'started' | 'steered' | 'queued';
  turnId?: string;
  queued?: QueuedMessage;
}
/** client → sidecar: send a message, starting a turn (or steering / queueing per `whileRunning`). */
export const SessionsSend = new RequestType<SessionsSendParams, SessionsSendResult, void>('sessions/send');
/** client → sidecar: add input to the turn in flight now. */
export const SessionsSteer = new RequestType<SessionRef & MessageInput, { turnId: string }, void>('sessions/steer');
/** client → sidecar: deliver when the current turn ends (at once if idle); persisted until delivered. */
export const SessionsQueue = new RequestType<SessionRef & MessageInput & { controls?: TurnControls }, SessionsSendResult, void>('sessions/queue');
/** client → sidecar: remove a queued follow-up before delivery. */
export const SessionsQueueRemove = new RequestType<SessionRef & { queuedId: string }, { queue: QueuedMessage[] }, void>('sessions/queue/remove');

export interface SessionsWaitParams extends SessionRef {
  turnId: string;
  timeoutMs?: number;
}
export interface SessionsWaitResult {
  turnId: string;
  status: TurnOutcome;
  reply?: string;
  error?: string;
}
/** client → sidecar: resolve when the given turn ends (immediately if it already has). */
export const SessionsWaitTurn = new RequestType<SessionsWaitParams, SessionsWaitResult, void>('sessions/waitTurn');

// ------------------------------------------------------------------------------------------------
// Interactive requests

/** client → sidecar: pending requests, newest first. */
export const RequestsList = new RequestType<{ sessionId?: string }, { data: PendingRequest[] }, void>('requests/list');
/** client → sidecar: answer a pending request. The first answer wins; later ones get AlreadyResolved. */
export const RequestsAnswer = new RequestType<{ requestId: string; answer: RequestAnswer }, { requestId: string }, void>('requests/answer');
/** client → sidecar: the resolution audit, newest last. */
export const RequestsAudit = new RequestType<{ limit?: number }, { data: RequestAuditEntry[] }, void>('requests/audit');

// ------------------------------------------------------------------------------------------------
// Account

/** client → sidecar: account and auth readiness. */
export const AccountRead = new RequestType0<AuthReadiness, void>('account/read');
export type LoginParams =
  | { type: 'apiKey'; apiKey: string }
  | { type: 'chatgpt' }
  | { type: 'chatgptAuthTokens'; accessToken: string; chatgptAccountId: string; chatgptPlanType?: string | null };
export interface LoginResult {
  type: LoginParams['type'];
  loginId?: string;
  /** For `chatgpt`: open this URL in a browser to finish. */
  authUrl?: string;
}
/** client → sidecar: start a login. */
export const AccountLoginStart = new RequestType<LoginParams, LoginResult, void>('account/login/start');
/** client → sidecar: cancel a ChatGPT login in progress. */
export const AccountLoginCancel = new RequestType<{ loginId: string }, Record<string, never>, void>('account/login/cancel');
/** client → sidecar: sign out. */
export const AccountLogout = new RequestType0<Record<string, never>, void>('account/logout');
/** client → sidecar: rate limits as Codex last reported them. */
export const AccountRateLimits = new RequestType0<{ rateLimits?: RateLimits }, void>('account/rateLimits');

// ------------------------------------------------------------------------------------------------
// Agents (terminal agents)

export interface AgentsCreateParams extends TurnControls {
  name: string;
  kind?: AgentKind;
  worktree?: boolean;
  baseRef?: string;
  prompt?: string;
  /** For kind 'session': the session to show; otherwise one is started. */
  sessionId?: string;
  /** The user consented to folder trust / hook trust bypass. */
  consent?: boolean;
  /** Free-form Codex config overrides for the agent (dotted keys allowed), merged last into its config.toml. */
  configOverrides?: Record<string, unknown>;
}
/** client → sidecar: create (and start) a terminal agent. */
export const AgentsCreate = new RequestType<AgentsCreateParams, { agent: AgentSummary }, void>('agents/create');
/** client → sidecar: every agent with its state. */
export const AgentsList = new RequestType0<{ data: AgentSummary[] }, void>('agents/list');
export interface AgentsSendParams {
  name: string;
  text: string;
  /** Wait until the agent took the message (default true). A busy agent's message is queued either way. */
  wait?: boolean;
  timeoutMs?: number;
}
/**
 * client → sidecar: send a message to an agent. A busy agent's message is queued and typed when its
 * turn ends (never dropped): `{delivered:false, queued:true}` then.
 */
export const AgentsSend = new RequestType<AgentsSendParams, { delivered: boolean; queued?: boolean }, void>('agents/send');
/** client → sidecar: stop gracefully, then kill the process group. */
export const AgentsStop = new RequestType<{ name: string }, { agent: AgentSummary }, void>('agents/stop');
/** client → sidecar: start again, resuming the conversation. */
export const AgentsStart = new RequestType<{ name: string }, { agent: AgentSummary }, void>('agents/start');
/** client → sidecar: destroy; sessions kept unless `deleteSessions`; worktree kept if `keepWorktree`. */
export const AgentsDestroy = new RequestType<{ name: string; keepWorktree?: boolean; deleteSessions?: boolean }, { removed: true }, void>('agents/destroy');
/** client → sidecar: adopt an existing Codex session into a new TUI agent. */
export const AgentsAdopt = new RequestType<{ sessionId: string; name: string; consent?: boolean }, { agent: AgentSummary }, void>('agents/adopt');
/** client → sidecar: the agent's transcript in the common shape (or raw rollout lines), from entry `since`; `next` continues. */
export const AgentsTranscript = new RequestType<{ name: string; raw?: boolean; since?: number }, { entries: unknown[]; next: number }, void>('agents/transcript');
/** client → sidecar: attach to an agent's terminal. `screen` is output that restores it (reset, scrollback, colours, modes, cursor); output then arrives as `agents/output`. */
export const AgentsAttach = new RequestType<{ name: string; cols?: number; rows?: number }, { screen: string }, void>('agents/attach');
/** client → sidecar: stop receiving an agent's terminal output. */
export const AgentsDetach = new RequestType<{ name: string }, Record<string, never>, void>('agents/detach');
/** client → sidecar (notification): keystrokes for an attached agent's terminal. */
export const AgentsInput = new NotificationType<{ name: string; data: string }>('agents/input');
/** client → sidecar (notification): the attached terminal's size changed. */
export const AgentsResize = new NotificationType<{ name: string; cols: number; rows: number }>('agents/resize');
/** sidecar → client: terminal output of an attached agent. */
export const AgentsOutput = new NotificationType<{ name: string; data: string }>('agents/output');
