/**
 * The API the Codex Fleet extension returns from `activate` — copy this file into your extension:
 *
 *   const ext = vscode.extensions.getExtension<CodexFleetApi>('codex-fleet.codex-fleet');
 *   const fleet = await ext?.activate();
 *   if (fleet?.version === 1) {
 *     const session = await fleet.startSession({ text: 'Run the tests and fix what fails' });
 *     fleet.subscribe({ sessionIds: [session.id] }, (e) => { if (e.kind === 'turn/completed') ... });
 *   }
 *
 * Self-contained on purpose (no imports): the shapes are the sidecar protocol's, trimmed to what a
 * caller needs; the extension checks at compile time that its own types still fit these.
 * Versioned: `version` changes only on incompatible changes; additions keep it.
 */

export interface FleetDisposable {
  dispose(): void;
}

export type FleetSessionActivity = 'notLoaded' | 'idle' | 'running' | 'waitingOnApproval' | 'waitingOnUserInput' | 'systemError';

export interface FleetSession {
  id: string;
  name?: string;
  /** First user message. */
  preview: string;
  cwd: string;
  model?: string;
  activity: FleetSessionActivity;
  archived: boolean;
  pinned: boolean;
  activeTurnId?: string;
  createdAt: number;
  updatedAt: number;
  queued: number;
}

export interface FleetTurnControls {
  model?: string;
  effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';
  approvalPolicy?: 'untrusted' | 'on-request' | 'on-failure' | 'never';
  sandbox?: 'read-only' | 'workspace-write' | 'danger-full-access';
  networkAccess?: boolean;
}

export interface FleetStartOptions extends FleetTurnControls {
  /** Workspace folder path (default: the first folder). */
  folder?: string;
  cwd?: string;
  name?: string;
  /** A first message to send right away. */
  text?: string;
}

export interface FleetSendOptions {
  images?: string[];
  controls?: FleetTurnControls;
  /** When a turn is running: steer it, queue the message for when it ends, or fail (default queue). */
  whileRunning?: 'steer' | 'queue' | 'error';
}

export interface FleetSendResult {
  delivery: 'started' | 'steered' | 'queued';
  turnId?: string;
}

export type FleetApprovalDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

export interface FleetPendingRequest {
  /** Stable id (`req-<n>`). */
  id: string;
  sessionId: string;
  kind: 'commandApproval' | 'fileChangeApproval' | 'permissionsApproval' | 'userInput' | 'elicitation' | 'toolCall';
  turnId?: string;
  createdAt: number;
  /** Command approvals. */
  command?: string;
  cwd?: string;
  reason?: string;
  decisions?: FleetApprovalDecision[];
  /** File-change approvals. */
  changes?: Array<{ path: string; kind: 'add' | 'delete' | 'update'; diff?: string }>;
  /** User input. */
  questions?: Array<{ id: string; header: string; question: string; options: Array<{ label: string; description?: string }> }>;
}

export type FleetRequestAnswer =
  | { type: 'decision'; decision: FleetApprovalDecision }
  | { type: 'userInput'; answers: Record<string, string[]> }
  | { type: 'toolResult'; success: boolean; contentItems: Array<{ type: 'inputText'; text: string }> }
  | { type: 'elicitation'; action: 'accept' | 'decline' | 'cancel'; content?: unknown };

interface FleetEventBase {
  /** Workspace folder path of the sidecar the event came from. */
  folder: string;
  /** Per-sidecar, strictly increasing. */
  seq: number;
  time: number;
}

/** The event stream; the common kinds are typed, the rest carry their fields untyped. */
export type FleetApiEvent = FleetEventBase &
  (
    | { kind: 'session/updated'; session: FleetSession }
    | { kind: 'turn/started'; sessionId: string; turnId: string }
    | { kind: 'turn/completed'; sessionId: string; turnId: string; status: 'completed' | 'interrupted' | 'failed'; reply?: string }
    | { kind: 'item/started' | 'item/completed'; sessionId: string; turnId: string; item: { type: string; id: string } }
    | { kind: 'item/delta'; sessionId: string; turnId: string; itemId: string; stream: string; delta: string }
    | { kind: 'request/pending'; request: FleetPendingRequest }
    | { kind: 'request/ended'; requestId: string; sessionId: string; reason: string; by?: string }
    | {
        kind:
          | 'runtime/state'
          | 'turn/diff'
          | 'turn/plan'
          | 'tokenUsage/updated'
          | 'rateLimits/updated'
          | 'queue/updated'
          | 'session/error'
          | 'account/updated'
          | 'agent/updated'
          | 'agent/removed'
          | 'sidecar/warning';
        sessionId?: string;
      }
  );

export interface FleetEventFilter {
  sessionIds?: string[];
  kinds?: Array<FleetApiEvent['kind']>;
}

export interface CodexFleetApi {
  readonly version: 1;
  /** Sessions of one folder (default: all folders), newest first. */
  listSessions(options?: { folder?: string; archived?: boolean }): Promise<FleetSession[]>;
  startSession(options?: FleetStartOptions): Promise<FleetSession>;
  send(sessionId: string, text: string, options?: FleetSendOptions): Promise<FleetSendResult>;
  /** Pending requests (approvals, questions, tool calls), newest first. */
  listRequests(options?: { sessionId?: string }): Promise<FleetPendingRequest[]>;
  /** Answer a pending request; rejects with code -32003 if it was already answered. */
  answerRequest(requestId: string, answer: FleetRequestAnswer): Promise<void>;
  /** Every event of every folder's sidecar. */
  onEvent(listener: (e: FleetApiEvent) => void): FleetDisposable;
  /** Events matching a filter. */
  subscribe(filter: FleetEventFilter, listener: (e: FleetApiEvent) => void): FleetDisposable;
}
