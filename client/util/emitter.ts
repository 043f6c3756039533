/**
 * Emitter, Event and Disposable shaped like VS Code's, for the client's pure modules (the store,
 * grouping, status text) that must not import `vscode` so they can be unit-tested in plain Node.
 */
import type { Disposable } from '../../sdk/emitter';

export { Emitter, type Event, type Disposable } from '../../sdk/emitter';

/**
 * A bag of disposables disposed together. Adding to a disposed store disposes the item at once, so a
 * late async registration cannot leak past its owner (vscode-pull-request-github's `_register`).
 */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.items.add(d);
    return d;
  }

  delete(d: Disposable): void {
    if (this.items.delete(d)) d.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items].reverse();
    this.items.clear();
    for (const d of items) {
      try {
        d.dispose();
      } catch {
        // Keep disposing the rest; a failing dispose must not leak the others.
      }
    }
  }
}
