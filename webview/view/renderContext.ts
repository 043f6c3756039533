/**
 * What row renderers need besides the entry: the model (to look up attached requests), view-only
 * state that must survive re-renders and virtualization (expanded sections, half-filled forms),
 * and the session's cwd for shorter paths.
 */
import type { TranscriptModel } from '../model/transcriptModel';

export class UiState {
  private readonly expanded = new Map<string, boolean>();
  /** Form drafts per request id: field id → value. */
  readonly drafts = new Map<string, Map<string, string>>();

  isExpanded(key: string, part: string, fallback = false): boolean {
    return this.expanded.get(`${key}#${part}`) ?? fallback;
  }

  setExpanded(key: string, part: string, open: boolean): void {
    this.expanded.set(`${key}#${part}`, open);
  }

  draft(requestId: string, field: string): string {
    return this.drafts.get(requestId)?.get(field) ?? '';
  }

  setDraft(requestId: string, field: string, value: string): void {
    let d = this.drafts.get(requestId);
    if (!d) this.drafts.set(requestId, (d = new Map()));
    d.set(field, value);
  }

  clear(): void {
    this.expanded.clear();
    this.drafts.clear();
  }
}

export interface RenderContext {
  readonly model: TranscriptModel;
  readonly ui: UiState;
  /** Bump the entry's version and schedule a frame (for view-only changes such as expanding). */
  rerender(key: string): void;
}

/** Runs `callback` once on the next animation frame, however often it is requested before then. */
export class FrameScheduler {
  private handle = 0;

  constructor(private readonly callback: () => void) {}

  request(): void {
    if (this.handle) return;
    this.handle = requestAnimationFrame(() => {
      this.handle = 0;
      this.callback();
    });
  }

  /** Run now (e.g. right after a snapshot) and cancel the pending frame. */
  flush(): void {
    if (this.handle) cancelAnimationFrame(this.handle);
    this.handle = 0;
    this.callback();
  }
}
