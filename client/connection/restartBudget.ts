/**
 * How often a lost sidecar connection is retried: at most `max` attempts within `windowMs`
 * (vscode-languageclient's DefaultErrorHandler rule: 5 in 3 minutes), with exponential backoff
 * between attempts. Pure; the clock is injectable for tests.
 */
export class RestartBudget {
  private attempts: number[] = [];

  constructor(
    private readonly max = 5,
    private readonly windowMs = 3 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly baseDelayMs = 250,
    private readonly maxDelayMs = 8000,
  ) {}

  private prune(): void {
    const cutoff = this.now() - this.windowMs;
    this.attempts = this.attempts.filter((t) => t > cutoff);
  }

  /** Count an attempt; false when the budget is already spent (then nothing is counted). */
  record(): boolean {
    this.prune();
    if (this.attempts.length >= this.max) return false;
    this.attempts.push(this.now());
    return true;
  }

  exhausted(): boolean {
    this.prune();
    return this.attempts.length >= this.max;
  }

  /** Delay before the next attempt: base × 2^(attempts−1), capped. */
  nextDelayMs(): number {
    this.prune();
    const n = Math.max(0, this.attempts.length - 1);
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** n);
  }

  reset(): void {
    this.attempts = [];
  }
}
