/**
 * The SDK's typed errors, all in one place. Errors the sidecar returns stay {@link FleetError}s with a
 * code from {@link ErrorCodes} (e.g. `AlreadyResolved` when another client answered first); errors the
 * SDK itself raises extend {@link SdkError}.
 *
 *   try {
 *     await session.sendAndWait('fix the build');
 *   } catch (e) {
 *     if (e instanceof TurnFailedError) console.error('Codex failed:', e.message);
 *     else if (e instanceof TurnInterruptedError) console.error('interrupted');
 *     else throw e;
 *   }
 */
import { ErrorCodes, FleetError, type ErrorCode } from '../protocol/errors';
import type { TurnOutcome } from '../protocol/types';

export { ErrorCodes, FleetError, type ErrorCode };

/** Base class of every error the SDK raises itself (as opposed to the sidecar's {@link FleetError}s). */
export class SdkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A turn did not complete: base of {@link TurnFailedError} and {@link TurnInterruptedError}. */
export class TurnError extends SdkError {
  constructor(
    message: string,
    readonly sessionId: string,
    readonly turnId: string,
    readonly status: Exclude<TurnOutcome, 'completed'>,
    /** What the model had said before the turn ended, if anything. */
    readonly reply?: string,
  ) {
    super(message);
  }
}

/** The turn failed (the model or Codex reported an error); the message is Codex's. */
export class TurnFailedError extends TurnError {
  constructor(sessionId: string, turnId: string, error: string | undefined, reply?: string) {
    super(error ? `turn ${turnId} failed: ${error}` : `turn ${turnId} failed`, sessionId, turnId, 'failed', reply);
  }
}

/** The turn was interrupted (by a client, by declining with cancel, or because the runtime restarted). */
export class TurnInterruptedError extends TurnError {
  constructor(sessionId: string, turnId: string, reply?: string) {
    super(`turn ${turnId} was interrupted`, sessionId, turnId, 'interrupted', reply);
  }
}

/** `sendAndWait` gave up waiting; the turn is still running (interrupt it or wait again). */
export class TurnTimeoutError extends SdkError {
  constructor(
    readonly sessionId: string,
    readonly turnId: string,
    readonly timeoutMs: number,
  ) {
    super(`turn ${turnId} did not finish within ${timeoutMs} ms (it is still running)`);
  }
}

/** The connection to the sidecar went away while a request was in flight (the fleet reconnects). */
export class ConnectionLostError extends SdkError {}

/** The fleet was closed with {@link CodexFleet.close}, or the sidecar was stopped on purpose. */
export class FleetClosedError extends SdkError {}

/** A skill definition was refused (bad name, a duplicate, a schema that is not an object). */
export class SkillDefinitionError extends SdkError {}

/** Why a skill call was answered with `success:false`; its message is what the model sees. */
export class SkillCallError extends SdkError {
  constructor(
    message: string,
    readonly reason: 'invalidArguments' | 'threw' | 'timedOut' | 'invalidResult',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The code of a sidecar error, if `e` is one (`FleetError.is(e, ErrorCodes.AlreadyResolved)` works too). */
export function fleetErrorCode(e: unknown): ErrorCode | undefined {
  return e instanceof FleetError ? e.code : undefined;
}

/** The human message of any thrown value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
