/**
 * The transcript webview protocol: every message between the extension host (`client/transcript/`)
 * and the transcript webview (`webview/`), declared once, discriminated on `type`, with type guards
 * both sides use. Browser-safe: type-only imports, no Node or VS Code APIs.
 *
 * Handshake: the webview posts `ready` first; the host posts nothing before it, then answers with
 * `init` (a snapshot) followed by `events` batches. Each batch names the seq it follows (`prevSeq`),
 * so the webview can tell a duplicate (seq ≤ last applied: ignored) from a gap (prevSeq > last
 * applied: it posts `requestSnapshot` and the host answers with a fresh `init`).
 *
 * Webview commands that expect an outcome carry a numeric `id`; the host answers each with exactly
 * one `result` (or `imagesPicked`) naming it in `replyTo`.
 */
import type {
  FileChangeSummary,
  FleetEvent,
  PendingRequest,
  QueuedMessage,
  RequestAnswer,
  SessionSummary,
  TurnControls,
  TurnInfo,
} from './types';

/** Bumped on any incompatible change of this protocol (the bundle and the host ship together). */
export const WEBVIEW_PROTOCOL_VERSION = 1;

/** `viewType` of transcript panels (also the serializer's key: `onWebviewPanel:codexFleet.transcript`). */
export const TRANSCRIPT_VIEW_TYPE = 'codexFleet.transcript';

/** What the webview persists with `setState` and the panel serializer gets back after a reload. */
export interface TranscriptWebviewState {
  sessionId: string;
  /** Seq of the last event the webview applied. */
  lastSeq: number;
}

export interface TranscriptSnapshot {
  session: SessionSummary;
  turns: TurnInfo[];
  queue: QueuedMessage[];
  pending: PendingRequest[];
  /** Seq the snapshot reflects: only events after it are applied on top. */
  lastSeq: number;
}

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

/** An image the user picked for the next message (host-side file; the preview is a small data: URI). */
export interface AttachedImage {
  path: string;
  name: string;
  /** `data:image/...` preview, omitted for large files. */
  preview?: string;
}

/** What "Open Diff" shows: explicit file changes (an item or an approval) or a turn's unified diff. */
export type DiffTarget =
  | { kind: 'files'; title: string; changes: FileChangeSummary[] }
  | { kind: 'unified'; title: string; diff: string };

export type ExportFormat = 'markdown' | 'json';

// ------------------------------------------------------------------------------------------------
// host → webview

export type HostToWebviewMessage =
  /** The whole state to (re)start from: sent after `ready`, after `requestSnapshot` and after a reconnect gap. */
  | { type: 'init'; snapshot: TranscriptSnapshot; defaults?: TurnControls; theme?: ThemeKind; focusRequestId?: string }
  /** Events about this session in seq order; `prevSeq` is the seq of the last event (or snapshot) the host sent before. */
  | { type: 'events'; prevSeq: number; events: FleetEvent[] }
  /** Scroll to a pending request's card and focus it (notification "Details"). */
  | { type: 'focusRequest'; requestId: string }
  /** The VS Code color theme kind changed. */
  | { type: 'theme'; theme: ThemeKind }
  /** Something failed that the user should see in the panel (e.g. the snapshot could not be read). */
  | { type: 'error'; message: string }
  /** Outcome of a webview command that carried `id`. `code` is the sidecar's error code when known. */
  | { type: 'result'; replyTo: number; ok: true }
  | { type: 'result'; replyTo: number; ok: false; message: string; code?: number; alreadyResolved?: boolean }
  /** Answer to `attachImages` (empty when the dialog was cancelled). */
  | { type: 'imagesPicked'; replyTo: number; images: AttachedImage[] };

export type HostToWebviewType = HostToWebviewMessage['type'];
export type HostMessageOf<T extends HostToWebviewType> = Extract<HostToWebviewMessage, { type: T }>;

// ------------------------------------------------------------------------------------------------
// webview → host

export interface MessageDraft {
  text: string;
  /** Paths of attached images (from `imagesPicked`). */
  images: string[];
}

export type WebviewToHostMessage =
  /** The webview's script runs and listens; `state` is what it had persisted (if anything). */
  | { type: 'ready'; protocolVersion: number; state?: TranscriptWebviewState }
  /** Start a turn (fails if one is running). */
  | ({ type: 'send'; id: number; controls?: TurnControls } & MessageDraft)
  /** Add input to the running turn. */
  | ({ type: 'steer'; id: number } & MessageDraft)
  /** Deliver when the running turn ends. */
  | ({ type: 'queue'; id: number; controls?: TurnControls } & MessageDraft)
  /** Drop a queued follow-up. */
  | { type: 'removeQueued'; id: number; queuedId: string }
  /** Interrupt the running turn. */
  | { type: 'interrupt'; id: number }
  /** Answer an inline approval / user-input / tool-call / elicitation card. */
  | { type: 'answerRequest'; id: number; requestId: string; answer: RequestAnswer }
  /** Show changes in VS Code's diff editor. */
  | { type: 'openDiff'; target: DiffTarget }
  /** A link in model output was activated: the host decides (openExternal / open file / refuse). */
  | { type: 'openLink'; url: string }
  /** Open a local file (e.g. an attached or viewed image). */
  | { type: 'openFile'; path: string }
  /** Put text on the clipboard. */
  | { type: 'copy'; text: string; what: string }
  /** Save the transcript (content built by the webview from its model). */
  | { type: 'export'; format: ExportFormat; content: string }
  /** Ask the host to pick images for the next message; answered by `imagesPicked`. */
  | { type: 'attachImages'; id: number }
  /** The webview saw a gap (or lost its state): send a fresh `init`. */
  | { type: 'requestSnapshot'; reason: 'gap' | 'reload' | 'error' };

export type WebviewToHostType = WebviewToHostMessage['type'];

// ------------------------------------------------------------------------------------------------
// Type guards

const HOST_TYPES: ReadonlySet<string> = new Set<HostToWebviewType>([
  'init',
  'events',
  'focusRequest',
  'theme',
  'error',
  'result',
  'imagesPicked',
]);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

/** A message the host may send (checked on the webview side before anything else reads it). */
export function isHostToWebviewMessage(x: unknown): x is HostToWebviewMessage {
  return isRecord(x) && typeof x.type === 'string' && HOST_TYPES.has(x.type);
}

export function isInitMessage(m: HostToWebviewMessage): m is HostMessageOf<'init'> {
  return m.type === 'init' && isRecord(m.snapshot) && Array.isArray(m.snapshot.turns);
}
export function isEventsMessage(m: HostToWebviewMessage): m is HostMessageOf<'events'> {
  return m.type === 'events' && typeof m.prevSeq === 'number' && Array.isArray(m.events);
}
export function isFocusRequestMessage(m: HostToWebviewMessage): m is HostMessageOf<'focusRequest'> {
  return m.type === 'focusRequest' && typeof m.requestId === 'string';
}
export function isThemeMessage(m: HostToWebviewMessage): m is HostMessageOf<'theme'> {
  return m.type === 'theme';
}
export function isErrorMessage(m: HostToWebviewMessage): m is HostMessageOf<'error'> {
  return m.type === 'error' && typeof m.message === 'string';
}
export function isResultMessage(m: HostToWebviewMessage): m is HostMessageOf<'result'> {
  return m.type === 'result' && typeof m.replyTo === 'number';
}
export function isImagesPickedMessage(m: HostToWebviewMessage): m is HostMessageOf<'imagesPicked'> {
  return m.type === 'imagesPicked' && typeof m.replyTo === 'number' && Array.isArray(m.images);
}

function isDraft(m: Record<string, unknown>): boolean {
  return typeof m.id === 'number' && typeof m.text === 'string' && isStringArray(m.images);
}

function isControls(x: unknown): boolean {
  return x === undefined || isRecord(x);
}

function isAnswer(x: unknown): x is RequestAnswer {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'decision':
      return typeof x.decision === 'string';
    case 'execPolicyAmendment':
      return true;
    case 'userInput':
      return isRecord(x.answers) && Object.values(x.answers).every(isStringArray);
    case 'toolResult':
      return typeof x.success === 'boolean' && Array.isArray(x.contentItems);
    case 'elicitation':
      return x.action === 'accept' || x.action === 'decline' || x.action === 'cancel';
    default:
      return false;
  }
}

function isFileChangeSummary(x: unknown): x is FileChangeSummary {
  return isRecord(x) && typeof x.path === 'string' && (x.kind === 'add' || x.kind === 'delete' || x.kind === 'update');
}

function isDiffTarget(x: unknown): x is DiffTarget {
  if (!isRecord(x) || typeof x.title !== 'string') return false;
  if (x.kind === 'unified') return typeof x.diff === 'string';
  return x.kind === 'files' && Array.isArray(x.changes) && x.changes.every(isFileChangeSummary);
}

function isState(x: unknown): x is TranscriptWebviewState {
  return isRecord(x) && typeof x.sessionId === 'string' && typeof x.lastSeq === 'number';
}

/**
 * A well-formed message from the webview. The host treats the webview as untrusted input (it renders
 * model output), so every field it acts on is checked here, not just `type`.
 */
export function isWebviewToHostMessage(x: unknown): x is WebviewToHostMessage {
  if (!isRecord(x) || typeof x.type !== 'string') return false;
  switch (x.type as WebviewToHostType) {
    case 'ready':
      return typeof x.protocolVersion === 'number' && (x.state === undefined || isState(x.state));
    case 'send':
    case 'queue':
      return isDraft(x) && isControls(x.controls);
    case 'steer':
      return isDraft(x);
    case 'removeQueued':
      return typeof x.id === 'number' && typeof x.queuedId === 'string';
    case 'interrupt':
    case 'attachImages':
      return typeof x.id === 'number';
    case 'answerRequest':
      return typeof x.id === 'number' && typeof x.requestId === 'string' && isAnswer(x.answer);
    case 'openDiff':
      return isDiffTarget(x.target);
    case 'openLink':
      return typeof x.url === 'string';
    case 'openFile':
      return typeof x.path === 'string';
    case 'copy':
      return typeof x.text === 'string' && typeof x.what === 'string';
    case 'export':
      return (x.format === 'markdown' || x.format === 'json') && typeof x.content === 'string';
    case 'requestSnapshot':
      return x.reason === 'gap' || x.reason === 'reload' || x.reason === 'error';
    default:
      return false;
  }
}
