/**
 * Turns any failure into the CLI's one stderr line (or, under `--json`, one error document) and exit
 * code. Sidecar errors (FleetError) are already human; a hint on what to do next is appended where one helps.
 */
import { ErrorCodes, FleetError } from '../protocol/errors';
import { SidecarLaunchError } from '../sdk/launcher';
import { UsageError } from './args';
import { CliError, CliErrorCodes, ExitCode } from './context';

export interface Failure {
  message: string;
  exitCode: number;
  /** The protocol's error code (or {@link CliErrorCodes}' own) for the `--json` error document. */
  code: number;
}

/** `{"error": {code, name, message}}`: what `--json` prints (on stdout) instead of a result. */
export interface ErrorDocument {
  error: { code: number; name: string; message: string };
}

const CODE_NAMES = new Map<number, string>(Object.entries(CliErrorCodes).map(([k, v]) => [v, k]));

export function errorDocument(f: Failure): ErrorDocument {
  return { error: { code: f.code, name: CODE_NAMES.get(f.code) ?? `E${f.code}`, message: f.message } };
}

const HINTS: Partial<Record<number, string>> = {
  [ErrorCodes.SessionNotFound]: "see `codex-fleet sessions list` (add --archived for archived sessions)",
  [ErrorCodes.RequestNotFound]: "see `codex-fleet approvals list` and `codex-fleet input list` for pending requests",
  [ErrorCodes.RuntimeUnavailable]: "see `codex-fleet status` for the runtime's state and last error",
  [ErrorCodes.ShuttingDown]: 'try again in a moment; a new sidecar starts on demand',
  [ErrorCodes.AgentNotFound]: "see `codex-fleet agents list`",
  [ErrorCodes.Internal]: "the sidecar's log has details (its path is in `codex-fleet status`)",
};

/** `message; hint` unless the message already mentions the hint's command. */
export function withHint(message: string, hint: string | undefined): string {
  if (!hint) return message;
  const command = /`(codex-fleet [^`]+)`/.exec(hint)?.[1];
  if (command && message.includes(command)) return message;
  return `${message.replace(/[.\s]+$/, '')}; ${hint}`;
}

/**
 * Describe a failure. `connectionClosed` tells whether the sidecar connection had gone away by then
 * (a request failing because of that is "sidecar unavailable", whatever error it carried).
 */
export function describeFailure(e: unknown, opts: { connectionClosed?: boolean; usageHint?: string } = {}): Failure {
  if (e instanceof UsageError) {
    const helpPath = ['codex-fleet', ...e.path].join(' ');
    return { message: withHint(e.message, opts.usageHint ?? `see \`${helpPath} --help\``), exitCode: ExitCode.Usage, code: ErrorCodes.InvalidParams };
  }
  if (e instanceof CliError) return { message: e.message, exitCode: e.exitCode, code: e.code };
  if (e instanceof SidecarLaunchError) {
    const last = e.stderr ? lastLine(e.stderr) : '';
    let message = oneLineMessage(e.message);
    if (last && !message.includes(last)) message = `${message}: ${last}`;
    if (!message.startsWith('could not start the sidecar')) message = `could not start the sidecar: ${message}`;
    return { message, exitCode: ExitCode.SidecarUnavailable, code: ErrorCodes.RuntimeUnavailable };
  }
  if (opts.connectionClosed) {
    return {
      message: "the sidecar went away (connection closed); run `codex-fleet status` to check it, a new one starts on the next command",
      exitCode: ExitCode.SidecarUnavailable,
      code: ErrorCodes.RuntimeUnavailable,
    };
  }
  if (e instanceof FleetError) {
    const exitCode =
      e.code === ErrorCodes.RuntimeUnavailable || e.code === ErrorCodes.ShuttingDown
        ? ExitCode.SidecarUnavailable
        : e.code === ErrorCodes.InvalidParams
          ? ExitCode.Usage
          : ExitCode.Error;
    return { message: withHint(oneLineMessage(e.message), HINTS[e.code]), exitCode, code: e.code };
  }
  if (isErrno(e) && (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' || e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
    return { message: `cannot reach the sidecar (${e.code}); run \`codex-fleet status\``, exitCode: ExitCode.SidecarUnavailable, code: ErrorCodes.RuntimeUnavailable };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { message: oneLineMessage(message) || 'unexpected error', exitCode: ExitCode.Error, code: ErrorCodes.Internal };
}

function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1]?.trim() ?? '';
}

/** Errors must stay on one line: join multi-line messages with ' | '. */
export function oneLineMessage(message: string): string {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' | ');
}
