/**
 * The sidecar protocol's limits: what a client may send (frames, nesting, strings, counts) and what
 * the sidecar keeps. Part of the public contract, documented in docs/protocol.md ("Limits and
 * validation"); the schemas (protocol/schemas.ts) and the frame reader enforce them.
 */
export const Limits = {
  /** Largest `Content-Length` of one message (bytes). */
  maxMessageBytes: 32 * 1024 * 1024,
  /** Largest header block of one frame (bytes, up to and including the blank line). */
  maxHeaderBytes: 8 * 1024,
  /** A frame that stays half-written this long closes its connection (ms). */
  partialFrameTimeoutMs: 30_000,
  /** Open connections at once. The socket is 0600, so this is the cap for its one user. */
  maxConnections: 128,
  /** Deepest nesting of objects and arrays in a message's params. */
  maxDepth: 64,
  /** Any string anywhere in params (characters), unless a field says less. */
  maxString: 1024 * 1024,
  /** Message text (sessions, agents), characters. */
  maxText: 1024 * 1024,
  /** Ids that are not Codex thread ids (turn, request, queued, login ids), characters. */
  maxId: 128,
  /** Session, agent and client names, model names, characters. */
  maxName: 256,
  /** File system paths (cwd, images, codex path), characters. */
  maxPath: 4096,
  /** Images attached to one message. */
  maxImages: 32,
  /** Queued follow-ups per session. */
  maxQueuePerSession: 100,
  /** Client name and version in `initialize`, characters. */
  maxClientName: 128,
  maxClientVersion: 64,
  /** Secrets and tokens (API key, access token), characters. */
  maxSecret: 64 * 1024,
  /** Longest line the sidecar writes to its log (longer ones are cut, saying how much was cut). */
  maxLogLine: 8 * 1024,
  /** How much of an offending input an error message may quote (characters). */
  maxQuoted: 80,
} as const;

/** Keys no client- or file-supplied object may carry (they reach the prototype chain). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `text` cut to `max` characters, saying how much was cut: for logs and error messages. */
export function truncate(text: string, max: number = Limits.maxQuoted): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
