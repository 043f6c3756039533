/**
 * Emitter, Event and Disposable shaped like VS Code's, for code that must not import `vscode`: the
 * sidecar, the SDK, and the client's pure (unit-tested) modules.
 */
import type { Disposable } from '../shared/disposable';
export type { Disposable };

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> {
  private listeners = new Set<(e: T) => void>();
  /** The listeners as of the last change: what a fire calls (kept, so firing allocates nothing). */
  private snapshot: Array<(e: T) => void> | undefined;

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    this.snapshot = undefined;
    return {
      dispose: () => {
        if (this.listeners.delete(listener)) this.snapshot = undefined;
      },
    };
  };

  fire(e: T): void {
    // Listeners added or removed while firing take effect from the next fire.
    this.snapshot ??= [...this.listeners];
    for (const l of this.snapshot) {
      try {
        l(e);
      } catch (err) {
        // A listener's failure must not break the emitter or other listeners.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
    this.snapshot = undefined;
  }
}

/** Resolves once `event` fires with a value matching `pred`, or rejects after `timeoutMs`. */
export function once<T>(event: Event<T>, pred: (e: T) => boolean = () => true, timeoutMs?: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const sub = event((e) => {
      if (!pred(e)) return;
      if (timer) clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    }
  });
}
