/**
 * Restart policy (after vscode-languageclient's DefaultErrorHandler): exponential backoff between
 * restarts, and give up at the `maxCrashes`-th crash within `windowMs`. Used by the sidecar for
 * app-server restarts and by the extension for sidecar reconnects. Pure: the caller passes the clock.
 */
export interface CrashBudgetOptions {
  maxCrashes: number;
  windowMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CRASH_BUDGET: CrashBudgetOptions = { maxCrashes: 5, windowMs: 3 * 60_000, initialDelayMs: 250, maxDelayMs: 8000 };

export type CrashVerdict = { action: 'restart'; delayMs: number; crashesInWindow: number } | { action: 'fail'; crashesInWindow: number };

export class CrashBudget {
  private crashes: number[] = [];

  constructor(private readonly opts: CrashBudgetOptions = DEFAULT_CRASH_BUDGET) {}

  /** Record a crash at `now` and decide what to do. */
  recordCrash(now: number): CrashVerdict {
    this.crashes = this.crashes.filter((t) => now - t < this.opts.windowMs);
    this.crashes.push(now);
    const n = this.crashes.length;
    if (n >= this.opts.maxCrashes) return { action: 'fail', crashesInWindow: n };
    const delayMs = Math.min(this.opts.maxDelayMs, this.opts.initialDelayMs * 2 ** (n - 1));
    return { action: 'restart', delayMs, crashesInWindow: n };
  }

  /** Forget history (after a manual restart). */
  reset(): void {
    this.crashes = [];
  }
}
