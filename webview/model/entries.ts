/**
 * The transcript's rows: what the reducer produces and the view renders, one entry per visual block.
 * Entries are ordered turn by turn; inside a turn, in arrival order, with the turn's footer last.
 * Every entry has a stable `key` and a `version` bumped on each change (the view re-renders a row
 * only when its version moved).
 */
import type {
  PendingRequest,
  RequestAnswer,
  RequestEndReason,
  ThreadItem,
  TokenUsage,
  TurnInfo,
} from '../../protocol/types';

export type TurnStatus = TurnInfo['status'];
export type TurnError = NonNullable<TurnInfo['error']>;

interface EntryBase {
  readonly key: string;
  version: number;
  /** Turn the entry belongs to (undefined for session-level notices). */
  turnId?: string;
}

/** A Codex ThreadItem (user message, agent message, command, file change, tool call, ...). */
export interface ItemEntry extends EntryBase {
  kind: 'item';
  turnId: string;
  item: ThreadItem;
  /** Started and not completed yet (deltas still arriving). */
  streaming: boolean;
  /** Streamed output for items whose type has no output field (fileChange). */
  extraOutput?: string;
  /** The approval request attached to this item, if one was seen. */
  requestId?: string;
}

/** The turn's structured plan (`turn/plan`): a checklist updated in place. */
export interface PlanEntry extends EntryBase {
  kind: 'plan';
  turnId: string;
  explanation?: string | null;
  steps: Array<{ step: string; status: string }>;
}

export type RequestCardState =
  | { phase: 'pending' }
  /** The user answered here; waiting for the host's result. */
  | { phase: 'answering'; answer: RequestAnswer }
  /** Answering failed for a reason other than "already resolved": the card stays usable. */
  | { phase: 'failed'; message: string }
  | { phase: 'ended'; reason: RequestEndReason; by?: string; answer?: RequestAnswer; alreadyAnswered?: boolean };

/** An approval / user-input / elicitation / tool-call request, shown inline as a card. */
export interface RequestEntry extends EntryBase {
  kind: 'request';
  request: PendingRequest;
  state: RequestCardState;
}

/** An error or warning about the session (`session/error`), shown in place. */
export interface NoticeEntry extends EntryBase {
  kind: 'notice';
  level: 'error' | 'warning' | 'info';
  message: string;
  time: number;
}

/** The turn's footer: status, error, duration, token usage and the turn's diff. */
export interface TurnEndEntry extends EntryBase {
  kind: 'turnEnd';
  turnId: string;
  status: TurnStatus;
  error?: TurnError | null;
  startedAt?: number | null;
  completedAt?: number | null;
  durationMs?: number | null;
  usage?: TokenUsage;
  /** Tokens this turn used (difference of the session totals), when the previous total is known. */
  turnTokens?: number;
  /** The turn's aggregated unified diff (`turn/diff`). */
  diff?: string;
}

export type Entry = ItemEntry | PlanEntry | RequestEntry | NoticeEntry | TurnEndEntry;

export function itemKey(turnId: string, itemId: string): string {
  return `i:${turnId}:${itemId}`;
}
export function turnEndKey(turnId: string): string {
  return `t:${turnId}`;
}
export function planKey(turnId: string): string {
  return `p:${turnId}`;
}
export function requestKey(requestId: string): string {
  return `r:${requestId}`;
}

/** Id of a ThreadItem (every variant has one). */
export function threadItemId(item: ThreadItem): string {
  return (item as { id: string }).id;
}

/** The item's own status when it has one (commands, file changes, tool calls). */
export function threadItemStatus(item: ThreadItem): string | undefined {
  const s = (item as { status?: unknown }).status;
  return typeof s === 'string' ? s : undefined;
}

export function isRequestOpen(state: RequestCardState): boolean {
  return state.phase === 'pending' || state.phase === 'answering' || state.phase === 'failed';
}
