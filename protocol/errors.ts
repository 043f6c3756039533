/**
 * Error codes of the sidecar protocol (JSON-RPC `error.code`), with the typed error class
 * both sides use. Every error on the wire carries a human message saying what to do.
 */
export const ErrorCodes = {
  /** Standard JSON-RPC: params failed validation (unknown enum value, missing field). */
  InvalidParams: -32602,
  /** Standard JSON-RPC: the method does not exist. */
  MethodNotFound: -32601,
  /** No session with that id (stored or loaded). */
  SessionNotFound: -32001,
  /** No pending request with that id. */
  RequestNotFound: -32002,
  /** The request was already answered or expired; the first answer won. */
  AlreadyResolved: -32003,
  /** `codex app-server` is not running (starting, restarting or failed). */
  RuntimeUnavailable: -32004,
  /** app-server rejected the call; the message is Codex's. */
  CodexError: -32005,
  /** The session has no turn in flight (interrupt/steer) or one is already running. */
  TurnState: -32006,
  /** No agent with that name. */
  AgentNotFound: -32007,
  /** The operation conflicts with current state (name taken, limit reached). */
  Conflict: -32008,
  /** The sidecar is shutting down. */
  ShuttingDown: -32009,
  /** An operation did not finish in time. */
  Timeout: -32010,
  /** A request other than `initialize` arrived before `initialize` on this connection. */
  NotInitialized: -32011,
  /**
   * The state directory or a socket in it is not private to this user (another owner, a symlink,
   * or writable by group/others): nothing connects to it or listens in it.
   */
  UnsafeStateDir: -32012,
  /** Standard JSON-RPC: the message was not valid JSON. */
  ParseError: -32700,
  /** Standard JSON-RPC: not a request object (batches are not supported). */
  InvalidRequest: -32600,
  /** Something unexpected failed inside the sidecar; see its log. */
  Internal: -32603,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const NAMES = new Map<number, string>(Object.entries(ErrorCodes).map(([k, v]) => [v, k]));

export function errorCodeName(code: number): string {
  return NAMES.get(code) ?? `E${code}`;
}

/** A protocol error with a code from {@link ErrorCodes}. Thrown in the sidecar, rebuilt in clients. */
export class FleetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'FleetError';
  }

  static is(e: unknown, code?: ErrorCode): e is FleetError {
    return e instanceof FleetError && (code === undefined || e.code === code);
  }

  /** Rebuild from a JSON-RPC error object (vscode-jsonrpc's ResponseError or a plain {code,message}). */
  static from(e: unknown): FleetError {
    if (e instanceof FleetError) return e;
    if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
      const { code, message, data } = e as { code: unknown; message: unknown; data?: unknown };
      if (typeof code === 'number' && typeof message === 'string') return new FleetError(code as ErrorCode, message, data);
    }
    return new FleetError(ErrorCodes.Internal, e instanceof Error ? e.message : String(e));
  }
}
