/**
 * Codex Fleet's domain types: what the sidecar, its clients (CLI, SDK, VS Code, webview) and scripts
 * exchange. Part of the public sidecar contract (see docs/protocol.md); change deliberately.
 */
import type {
  DynamicToolCallOutputContentItem,
  DynamicToolSpec,
  ReasoningEffort,
  ThreadItem,
  TurnError,
} from './codex';

export type { ThreadItem, ReasoningEffort, DynamicToolSpec };

/** Bumped on any incompatible change of the sidecar protocol. */
export const PROTOCOL_VERSION = 1;

export const APPROVAL_POLICIES = ['untrusted', 'on-request', 'on-failure', 'never'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];
export const SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type SandboxModeName = (typeof SANDBOX_MODES)[number];
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

/** Per-session or per-turn controls. Every field optional: unset means "Codex's configured default". */
export interface TurnControls {
  model?: string;
  effort?: ReasoningEffort;
  approvalPolicy?: ApprovalPolicy;
  sandbox?: SandboxModeName;
  /** Network access inside the workspace-write sandbox. */
  networkAccess?: boolean;
  /** Codex collaboration mode for the turn; `plan` lets the model ask the user questions (request_user_input). */
  collaborationMode?: 'default' | 'plan';
}

// ---------------------------------------------------------------------------------------------
// Runtime (the supervised `codex app-server`)

export type RuntimeState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface RuntimeInfo {
  state: RuntimeState;
  codexPath: string;
  /** How the binary was found: env CODEX_FLEET_CODEX, PATH, or the pinned npm dependency. */
  codexSource: 'env' | 'setting' | 'path' | 'pinned';
  codexVersion?: string;
  /** Whether codexVersion is inside codexTestedRange (false when the version could not be read). */
  codexInRange?: boolean;
  /** The Codex versions Codex Fleet is tested against (protocol/codexRange.ts), inclusive. */
  codexTestedRange?: { min: string; max: string };
  /**
   * Why the codex in use is not the one the user may expect: a codex on PATH outside the tested
   * range was passed over for the bundled one, or a forced path (setting / CODEX_FLEET_CODEX) is
   * outside the range. Absent when all is as expected.
   */
  codexWarning?: string;
  /** Socket other Codex clients (e.g. `codex --remote unix://...`) can attach to. */
  listenSocket?: string;
  pid?: number;
  restarts: number;
  /** Set when state is 'failed' or after a crash: a human message with the last stderr lines. */
  lastError?: string;
}

export interface AuthReadiness {
  /** OPENAI_API_KEY (or CODEX_API_KEY) is present in the sidecar's environment. */
  apiKeyEnv: boolean;
  /** `CODEX_HOME/auth.json` exists. */
  authFile: boolean;
  codexHome: string;
  /** What Codex reports once the runtime is up (account/read). */
  account?: AccountInfo;
  /** Whether the configured model provider needs an OpenAI login at all. */
  requiresOpenaiAuth?: boolean;
}

/** Who changed the login, and how: every session of the sidecar uses the new one from now on. */
export interface AccountChange {
  action: 'login' | 'logout';
  /** For a login: apiKey, chatgpt or chatgptAuthTokens. */
  method?: 'apiKey' | 'chatgpt' | 'chatgptAuthTokens';
  /** The client's name (clientInfo.name), e.g. `cli`, `vscode`. */
  by: string;
}

export interface AccountInfo {
  type: 'apiKey' | 'chatgpt' | 'other' | 'none';
  email?: string;
  planType?: string;
}

export interface SidecarInfo {
  pid: number;
  version: string;
  protocolVersion: number;
  workspace: string;
  stateDir: string;
  socketPath: string;
  startedAt: number;
  clients: ClientInfo[];
  idleTimeoutMs: number;
}

export interface ClientInfo {
  id: number;
  name: string;
  version?: string;
  connectedAt: number;
}

export interface FleetStatus {
  sidecar: SidecarInfo;
  runtime: RuntimeInfo;
  auth: AuthReadiness;
  counts: { sessionsLoaded: number; running: number; pendingRequests: number; queued: number; agents: number };
  lastSeq: number;
  rateLimits?: RateLimits;
}

// ---------------------------------------------------------------------------------------------
// Sessions (Codex threads)

/** What a session is doing now, from the user's point of view. */
export type SessionActivity =
  | 'notLoaded'
  | 'idle'
  | 'running'
  | 'waitingOnApproval'
  | 'waitingOnUserInput'
  | 'systemError';

export interface SessionSummary {
  id: string;
  /** Name set by the user (Codex's thread name), else undefined. */
  name?: string;
  /** First user message, as Codex reports it. */
  preview: string;
  cwd: string;
  model?: string;
  modelProvider?: string;
  activity: SessionActivity;
  archived: boolean;
  loaded: boolean;
  pinned: boolean;
  /** Turn in flight, if any. */
  activeTurnId?: string;
  forkedFromId?: string;
  createdAt: number; // unix ms
  updatedAt: number; // unix ms
  /** Number of follow-ups queued for delivery when the current turn ends. */
  queued: number;
  /** Rollout file (for transcripts and terminal viewers). */
  path?: string;
}

export type TurnOutcome = 'completed' | 'interrupted' | 'failed';

export interface TurnInfo {
  id: string;
  status: 'inProgress' | TurnOutcome;
  items: ThreadItem[];
  error?: TurnError | null;
  /** Unix ms. */
  startedAt?: number | null;
  /** Unix ms. */
  completedAt?: number | null;
  durationMs?: number | null;
}

export interface QueuedMessage {
  id: string;
  sessionId: string;
  text: string;
  images: string[];
  controls?: TurnControls;
  queuedAt: number;
  /** Client that queued it. */
  by: string;
}

// ---------------------------------------------------------------------------------------------
// Interactive requests (approvals, user input, tool calls, elicitations)

export type PendingRequestKind =
  | 'commandApproval'
  | 'fileChangeApproval'
  | 'permissionsApproval'
  | 'userInput'
  | 'elicitation'
  | 'toolCall';

export type ApprovalDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

export interface FileChangeSummary {
  path: string;
  kind: 'add' | 'delete' | 'update';
  movePath?: string | null;
  diff?: string;
}

export interface UserInputQuestion {
  id: string;
  header: string;
  question: string;
  options: Array<{ label: string; description?: string }>;
  allowOther: boolean;
  secret: boolean;
}

interface PendingRequestBase {
  /** Our id (`req-` + 10 hex digits derived from the Codex session, turn and item): unique, and the same when Codex re-sends the request to a new sidecar. */
  id: string;
  sessionId: string;
  turnId?: string;
  itemId?: string;
  createdAt: number;
  /** Wire method app-server used, e.g. `item/commandExecution/requestApproval`. */
  method: string;
}

export interface CommandApprovalRequest extends PendingRequestBase {
  kind: 'commandApproval';
  command: string;
  cwd?: string;
  reason?: string;
  /** Decisions this request accepts (ours, normalized). */
  decisions: ApprovalDecision[];
  /** A proposed exec-policy amendment (command prefix) the user may accept permanently. */
  execPolicyAmendment?: string[];
}

export interface FileChangeApprovalRequest extends PendingRequestBase {
  kind: 'fileChangeApproval';
  reason?: string;
  grantRoot?: string;
  changes: FileChangeSummary[];
  decisions: ApprovalDecision[];
}

export interface PermissionsApprovalRequest extends PendingRequestBase {
  kind: 'permissionsApproval';
  reason?: string;
  cwd?: string;
  /** The requested permission profile, as Codex sent it. */
  permissions: unknown;
  decisions: ApprovalDecision[];
}

export interface UserInputRequest extends PendingRequestBase {
  kind: 'userInput';
  questions: UserInputQuestion[];
}

export interface ElicitationRequest extends PendingRequestBase {
  kind: 'elicitation';
  serverName: string;
  message: string;
  mode: string;
  url?: string;
  requestedSchema?: unknown;
}

export interface ToolCallRequest extends PendingRequestBase {
  kind: 'toolCall';
  callId: string;
  namespace?: string | null;
  tool: string;
  arguments: unknown;
}

export type PendingRequest =
  | CommandApprovalRequest
  | FileChangeApprovalRequest
  | PermissionsApprovalRequest
  | UserInputRequest
  | ElicitationRequest
  | ToolCallRequest;

/** How a client answers a pending request. The variant must match the request's kind. */
export type RequestAnswer =
  | { type: 'decision'; decision: ApprovalDecision }
  | { type: 'execPolicyAmendment' }
  | { type: 'userInput'; answers: Record<string, string[]> }
  | { type: 'toolResult'; success: boolean; contentItems: DynamicToolCallOutputContentItem[] }
  | { type: 'elicitation'; action: 'accept' | 'decline' | 'cancel'; content?: unknown };

export type RequestEndReason = 'answered' | 'turnEnded' | 'runtimeDied' | 'archived' | 'resolvedByCodex';

export interface RequestAuditEntry {
  requestId: string;
  sessionId: string;
  kind: PendingRequestKind;
  at: number;
  /** Client that answered, or "sidecar" for expiries. */
  by: string;
  outcome: RequestEndReason;
  answer?: RequestAnswer;
}

// ---------------------------------------------------------------------------------------------
// Account

export interface RateLimitWindow {
  usedPercent: number;
  windowMinutes?: number | null;
  resetsAt?: number | null;
}

export interface RateLimits {
  primary?: RateLimitWindow | null;
  secondary?: RateLimitWindow | null;
}

export interface TokenUsage {
  total: { inputTokens: number; cachedInputTokens: number; outputTokens: number; reasoningOutputTokens: number; totalTokens: number };
  last?: { inputTokens: number; cachedInputTokens: number; outputTokens: number; reasoningOutputTokens: number; totalTokens: number };
  modelContextWindow?: number | null;
}

// ---------------------------------------------------------------------------------------------
// Terminal agents (issue: terminal agents). Declared here so every client shares one model.

export type AgentKind = 'tui' | 'session';
export type AgentState = 'RUNNING' | 'WAITING' | 'STOPPED' | 'DONE';
export type AgentWaitReason = 'endOfTurn' | 'approval' | 'userInput' | 'starting';

export interface AgentSummary {
  name: string;
  kind: AgentKind;
  state: AgentState;
  waitReason?: AgentWaitReason;
  sessionId?: string;
  cwd: string;
  branch?: string;
  worktree?: string;
  baseRef?: string;
  pid?: number;
  createdAt: number;
  updatedAt: number;
  controls?: TurnControls;
}

// ---------------------------------------------------------------------------------------------
// Events: the stream every client can subscribe to. Discriminated on `kind`.

interface EventBase {
  /** Per-sidecar, strictly increasing. */
  seq: number;
  /** Unix ms when the sidecar emitted it. */
  time: number;
}

export type DeltaStream = 'agentMessage' | 'reasoningSummary' | 'reasoning' | 'commandOutput' | 'fileChangeOutput' | 'plan';

export type FleetEventBody =
  | { kind: 'runtime/state'; runtime: RuntimeInfo }
  | { kind: 'session/updated'; session: SessionSummary }
  | { kind: 'turn/started'; sessionId: string; turnId: string }
  | { kind: 'turn/completed'; sessionId: string; turnId: string; status: TurnOutcome; error?: TurnError | null; reply?: string }
  | { kind: 'item/started'; sessionId: string; turnId: string; item: ThreadItem }
  | { kind: 'item/delta'; sessionId: string; turnId: string; itemId: string; stream: DeltaStream; delta: string }
  | { kind: 'item/completed'; sessionId: string; turnId: string; item: ThreadItem }
  | { kind: 'turn/diff'; sessionId: string; turnId: string; diff: string }
  | { kind: 'turn/plan'; sessionId: string; turnId: string; explanation?: string | null; plan: Array<{ step: string; status: string }> }
  | { kind: 'tokenUsage/updated'; sessionId: string; turnId: string; usage: TokenUsage }
  | { kind: 'rateLimits/updated'; rateLimits: RateLimits }
  | { kind: 'request/pending'; request: PendingRequest }
  | { kind: 'request/ended'; requestId: string; sessionId: string; reason: RequestEndReason; by?: string; answer?: RequestAnswer }
  /** `delivered`: set when a queued message was just started as a turn. */
  | { kind: 'queue/updated'; sessionId: string; queue: QueuedMessage[]; delivered?: { queuedId: string; turnId: string } }
  | { kind: 'session/error'; sessionId: string; turnId?: string; message: string; willRetry: boolean }
  /** `change`: set when a client signed in or out (it affects every session of the sidecar). */
  | { kind: 'account/updated'; auth: AuthReadiness; change?: AccountChange }
  | { kind: 'agent/updated'; agent: AgentSummary }
  | { kind: 'agent/removed'; name: string }
  | { kind: 'sidecar/warning'; message: string };

export type FleetEvent = EventBase & FleetEventBody;
export type FleetEventKind = FleetEventBody['kind'];
export type FleetEventOf<K extends FleetEventKind> = Extract<FleetEvent, { kind: K }>;

export const FLEET_EVENT_KINDS: readonly FleetEventKind[] = [
  'runtime/state',
  'session/updated',
  'turn/started',
  'turn/completed',
  'item/started',
  'item/delta',
  'item/completed',
  'turn/diff',
  'turn/plan',
  'tokenUsage/updated',
  'rateLimits/updated',
  'request/pending',
  'request/ended',
  'queue/updated',
  'session/error',
  'account/updated',
  'agent/updated',
  'agent/removed',
  'sidecar/warning',
];

/** The session an event concerns, if any (used for filtering). */
export function eventSessionId(e: FleetEventBody): string | undefined {
  switch (e.kind) {
    case 'session/updated':
      return e.session.id;
    case 'request/pending':
      return e.request.sessionId;
    case 'agent/updated':
      return e.agent.sessionId;
    case 'runtime/state':
    case 'rateLimits/updated':
    case 'account/updated':
    case 'agent/removed':
    case 'sidecar/warning':
      return undefined;
    default:
      return e.sessionId;
  }
}
