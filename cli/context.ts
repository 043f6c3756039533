/**
 * What a CLI command gets to work with: the connection to the sidecar (behind {@link FleetApi}, so unit
 * tests pass a fake), stdout/stderr writers, the global options, and cancellation (Ctrl-C).
 */
import type { RequestType, RequestType0 } from 'vscode-jsonrpc';
import { ErrorCodes } from '../protocol/errors';
import type { SubscribeParams, SubscribeResult } from '../protocol/sidecarProtocol';
import type { FleetEvent, FleetStatus } from '../protocol/types';
import type { StatePaths } from '../sdk/stateDir';
import { escapeControls } from './format';

import type { Disposable } from '../shared/disposable';
export type { Disposable };

/** The part of {@link import('../sdk/fleetClient').FleetClient} the CLI uses. */
export interface FleetApi {
  readonly paths: StatePaths;
  /** True when this connection started the sidecar. */
  readonly started: boolean;
  /** The status the sidecar reported when this connection was initialized. */
  readonly status: FleetStatus;
  readonly isClosed: boolean;
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  request<R>(type: RequestType0<R, void>): Promise<R>;
  subscribe(params?: SubscribeParams): Promise<SubscribeResult>;
  onEvent(listener: (e: FleetEvent) => void): Disposable;
  onClose(listener: () => void): Disposable;
  close(): void;
}

export interface Writer {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Terminal width, when a terminal. */
  readonly columns?: number;
}

export interface CommandContext {
  out: Writer;
  err: Writer;
  /** `--json` was given. */
  json: boolean;
  /** Absolute workspace folder. */
  workspace: string;
  env: NodeJS.ProcessEnv;
  /** The connection to the workspace's sidecar, started if none runs (memoized). */
  client(): Promise<FleetApi>;
  /** Connect only if a sidecar already runs; undefined when none does. */
  existingClient(): Promise<FleetApi | undefined>;
  /** All of standard input (for `--api-key-stdin`, message text `-`). */
  readStdin(): Promise<string>;
  /** Aborted on Ctrl-C (SIGINT/SIGTERM): long-running commands stop waiting and exit. */
  signal: AbortSignal;
  now(): number;
}

export const ExitCode = {
  Ok: 0,
  Error: 1,
  Usage: 2,
  /** `sessions send --wait`: the turn failed or was interrupted. */
  TurnFailed: 3,
  /** No sidecar could be reached, or it went away. */
  SidecarUnavailable: 4,
  /** Stopped by Ctrl-C. */
  Interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Codes of the `--json` error document (`{"error": {code, name, message}}`): the protocol's
 * {@link ErrorCodes}, plus `Interrupted` for a command stopped by Ctrl-C (LSP's RequestCancelled code),
 * the one failure no protocol code describes. See docs/cli.md.
 */
export const CliErrorCodes = { ...ErrorCodes, Interrupted: -32800 } as const;
export type CliErrorCode = (typeof CliErrorCodes)[keyof typeof CliErrorCodes];

/** The error code a CLI-side failure has unless it says otherwise: what its exit code means. */
function defaultCode(exitCode: number): CliErrorCode {
  switch (exitCode) {
    case ExitCode.Usage:
      return CliErrorCodes.InvalidParams;
    case ExitCode.SidecarUnavailable:
      return CliErrorCodes.RuntimeUnavailable;
    case ExitCode.Interrupted:
      return CliErrorCodes.Interrupted;
    default:
      return CliErrorCodes.Internal;
  }
}

/** A failure with a human message (one stderr line, or the `--json` error document) and an exit code. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.Error,
    code?: CliErrorCode,
  ) {
    super(message);
    this.name = 'CliError';
    this.code = code ?? defaultCode(exitCode);
  }
}

/** Print a value under `--json` (one document) or a human rendering otherwise. */
export function emit(ctx: CommandContext, value: unknown, human: () => string | string[]): void {
  if (ctx.json) {
    ctx.out.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const text = human();
  // One-line messages escape newlines too; rendered lines may span lines of their own (a reply).
  const lines = Array.isArray(text) ? text.map((l) => escapeControls(l, { keepStyles: true, keepNewlines: true })) : [escapeControls(text, { keepStyles: true })];
  if (lines.length === 0) return;
  ctx.out.write(lines.map((l) => `${l}\n`).join(''));
}
