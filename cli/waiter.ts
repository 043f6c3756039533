/**
 * Waiting on conditions that events make true, with one place that ends every wait: a deadline,
 * the sidecar connection closing, or Ctrl-C. Event handlers call {@link Waiter.wake}; nothing polls.
 */
import { CliError, CliErrorCodes, ExitCode, type FleetApi } from './context';

interface Pending {
  check(): boolean;
  resolve(): void;
  reject(e: Error): void;
}

export interface WaiterOptions {
  client: FleetApi;
  signal: AbortSignal;
  /** Absolute deadline (ms since epoch, per `now`); undefined waits forever. */
  deadline?: number;
  now: () => number;
  /** The error for a missed deadline. */
  timeoutError?: () => Error;
  /** The error when the connection closes (default: sidecar unavailable). */
  closedError?: () => Error;
  /** The error on Ctrl-C (default: exit 130 "interrupted"). */
  abortError?: () => Error;
}

export class Waiter {
  private readonly pending = new Set<Pending>();
  private failure: Error | undefined;
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly opts: WaiterOptions) {
    const close = opts.client.onClose(() =>
      this.fail(opts.closedError?.() ?? new CliError('the sidecar went away (connection closed)', ExitCode.SidecarUnavailable)),
    );
    this.cleanups.push(() => close.dispose());
    const onAbort = () => this.fail(opts.abortError?.() ?? new CliError('interrupted', ExitCode.Interrupted));
    if (opts.signal.aborted) onAbort();
    else {
      opts.signal.addEventListener('abort', onAbort, { once: true });
      this.cleanups.push(() => opts.signal.removeEventListener('abort', onAbort));
    }
    if (opts.deadline !== undefined) {
      const timer = setTimeout(
        () => this.fail(opts.timeoutError?.() ?? new CliError('timed out', ExitCode.Error, CliErrorCodes.Timeout)),
        Math.max(0, opts.deadline - opts.now()),
      );
      this.cleanups.push(() => clearTimeout(timer));
    }
    if (opts.client.isClosed && !this.failure) this.fail(new CliError('the sidecar connection is closed', ExitCode.SidecarUnavailable));
  }

  /** Milliseconds left before the deadline (undefined without one). */
  remaining(): number | undefined {
    return this.opts.deadline === undefined ? undefined : Math.max(0, this.opts.deadline - this.opts.now());
  }

  /** Resolves once `check()` is true (checked now and on every {@link wake}). */
  until(check: () => boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => this.pending.add({ check, resolve, reject }));
  }

  /** Resolves or rejects with `work`, unless the waiter fails first. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.failure) {
      work.catch(() => undefined);
      return Promise.reject(this.failure);
    }
    let settled = false;
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { check: () => false, resolve: () => undefined, reject: (e) => !settled && reject(e) };
      this.pending.add(entry);
      work.then(
        (v) => {
          settled = true;
          this.pending.delete(entry);
          resolve(v);
        },
        (e: unknown) => {
          settled = true;
          this.pending.delete(entry);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  /** Something changed: re-check the waiting conditions. */
  wake(): void {
    for (const p of [...this.pending]) {
      if (!p.check()) continue;
      this.pending.delete(p);
      p.resolve();
    }
  }

  /** End every wait with `e` (first failure wins). */
  fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const p of [...this.pending]) p.reject(e);
    this.pending.clear();
  }

  /** A promise that only ends when the waiter fails (deadline, close, Ctrl-C). */
  untilFailure(): Promise<never> {
    return this.until(() => false) as Promise<never>;
  }

  dispose(): void {
    for (const c of this.cleanups.splice(0)) c();
    // Waits still pending are abandoned (never settled), so nothing rejects unobserved.
    this.pending.clear();
  }
}
