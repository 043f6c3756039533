/**
 * A virtualized list: only rows near the viewport exist in the DOM, absolutely positioned from a
 * prefix sum of heights (measured ones cached per key, estimates per size class otherwise).
 * Heights are measured by a ResizeObserver (same frame, before paint); the list keeps the first
 * visible row still while heights above it change, and sticks to the bottom while the user is there.
 * With `virtualize: false` every row is rendered in normal flow (the bench's baseline and the XSS
 * test's full render).
 */

export interface RowSource {
  readonly length: number;
  key(i: number): string;
  indexOf(key: string): number;
  version(i: number): number;
  /** Rows of one class have similar heights (estimates use the class's running average). */
  sizeClass(i: number): string;
  label(i: number): string;
  /**
   * Content of row `i` (the row element is passed for its class). Nodes that are already children
   * of the row (e.g. a cached Markdown element) stay in place untouched, so the browser does not
   * lay them out again.
   */
  render(i: number, row: HTMLElement): Node[];
}

/** Make `parent`'s children exactly `nodes`, leaving nodes already in place where they are. */
export function patchChildren(parent: HTMLElement, nodes: Node[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const cur = parent.childNodes[i];
    if (cur !== nodes[i]) parent.insertBefore(nodes[i], cur ?? null);
  }
  while (parent.childNodes.length > nodes.length) parent.lastChild?.remove();
}

interface Row {
  el: HTMLElement;
  version: number;
  top: number;
}

const DEFAULT_ESTIMATE = 64;

export class VirtualList {
  readonly feed: HTMLElement;
  private readonly rows = new Map<string, Row>();
  private readonly heights = new Map<string, number>();
  private readonly classAvg = new Map<string, { sum: number; n: number }>();
  private offsets = new Float64Array(1);
  private layoutValid = false;
  private stick = true;
  private readonly ro: ResizeObserver;
  private lastScrollTop = 0;
  /** The scroller's height, kept by the ResizeObserver (reading it would force a layout). */
  private viewport = 0;
  /** Called when a row's measured height moved the layout, so the owner schedules a frame. */
  onLayoutChanged: () => void = () => {};

  constructor(
    private readonly scroller: HTMLElement,
    private readonly source: RowSource,
    private readonly virtualize: boolean,
    private readonly overscanPx = 800,
  ) {
    this.feed = document.createElement('div');
    this.feed.className = virtualize ? 'feed virtual' : 'feed';
    this.feed.setAttribute('role', 'feed');
    this.feed.setAttribute('aria-label', 'Transcript');
    scroller.appendChild(this.feed);
    this.ro = new ResizeObserver((entries) => this.onResize(entries));
    this.ro.observe(scroller);
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  get atBottom(): boolean {
    return this.stick;
  }

  get renderedCount(): number {
    return this.rows.size;
  }

  /** Rows were inserted or removed. */
  invalidate(): void {
    this.layoutValid = false;
  }

  /** Drop every row and measurement (a new snapshot). */
  reset(): void {
    for (const r of this.rows.values()) this.ro.unobserve(r.el);
    this.rows.clear();
    this.heights.clear();
    this.feed.replaceChildren();
    this.layoutValid = false;
    this.stick = true;
  }

  /** Re-render this row on the next `render()` even if its version did not move (view-only change). */
  forget(key: string): void {
    const row = this.rows.get(key);
    if (row) row.version = -1;
  }

  rowElement(key: string): HTMLElement | undefined {
    return this.rows.get(key)?.el;
  }

  /** Bring row `i` into view now (renders synchronously) and optionally focus it. */
  scrollToIndex(i: number, align: 'start' | 'center' | 'end' = 'center', focus = false): HTMLElement | undefined {
    if (i < 0 || i >= this.source.length) return undefined;
    this.stick = i === this.source.length - 1 && align === 'end';
    this.ensureLayout();
    const vh = this.scroller.clientHeight;
    const h = this.offsets[i + 1] - this.offsets[i];
    const top = this.virtualize ? this.offsets[i] : (this.rowElement(this.source.key(i))?.offsetTop ?? this.offsets[i]);
    const target = align === 'start' ? top : align === 'end' ? top + h - vh : top - Math.max(0, (vh - h) / 2);
    this.scroller.scrollTop = Math.max(0, target);
    this.lastScrollTop = this.scroller.scrollTop;
    this.render();
    const el = this.rowElement(this.source.key(i));
    if (el && focus) el.focus({ preventScroll: true });
    return el;
  }

  scrollToBottom(): void {
    this.stick = true;
    this.render();
  }

  /** Create, update, position and remove rows for the current scroll position. Call once per frame. */
  render(): void {
    if (!this.virtualize) {
      this.ensureLayout();
      return this.renderAll();
    }
    // Read scroll metrics before any write, so the frame forces at most one layout (the scroll).
    const vh = this.viewportHeight();
    let top = this.scroller.scrollTop;
    this.ensureLayout();
    const n = this.source.length;
    const total = this.offsets[n];
    if (this.stick) top = this.setScrollTop(Math.max(0, total - vh), top);
    const first = this.indexAt(top - this.overscanPx);
    const last = Math.min(n - 1, this.indexAt(top + vh + this.overscanPx));
    const keep = new Set<string>();
    for (let i = first; i <= last && n > 0; i++) {
      const key = this.source.key(i);
      keep.add(key);
      this.place(i, key);
    }
    for (const [key, row] of this.rows) {
      if (keep.has(key)) continue;
      if (row.el.contains(document.activeElement)) continue; // never yank the focused row
      this.ro.unobserve(row.el);
      row.el.remove();
      this.rows.delete(key);
    }
  }

  private renderAll(): void {
    const n = this.source.length;
    let prev: HTMLElement | null = null;
    for (let i = 0; i < n; i++) {
      const key = this.source.key(i);
      const row = this.place(i, key);
      const expected: ChildNode | null = prev ? prev.nextSibling : this.feed.firstChild;
      if (expected !== row.el) this.feed.insertBefore(row.el, expected);
      prev = row.el;
    }
    if (this.stick) this.setScrollTop(this.scroller.scrollHeight);
  }

  private place(i: number, key: string): Row {
    let row = this.rows.get(key);
    const version = this.source.version(i);
    if (!row) {
      const el = document.createElement('div');
      el.className = 'row';
      el.dataset.key = key;
      el.tabIndex = -1;
      el.setAttribute('role', 'article');
      row = { el, version: -1, top: -1 };
      this.rows.set(key, row);
      if (this.virtualize) this.feed.appendChild(el);
      this.ro.observe(el);
    }
    if (row.version !== version) {
      const focusId = row.el.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.focusId : undefined;
      patchChildren(row.el, this.source.render(i, row.el));
      row.el.setAttribute('aria-label', this.source.label(i));
      row.version = version;
      if (focusId) row.el.querySelector<HTMLElement>(`[data-focus-id="${CSS.escape(focusId)}"]`)?.focus({ preventScroll: true });
    }
    row.el.setAttribute('aria-posinset', String(i + 1));
    row.el.setAttribute('aria-setsize', String(this.source.length));
    if (this.virtualize && row.top !== this.offsets[i]) {
      row.top = this.offsets[i];
      row.el.style.transform = `translateY(${row.top}px)`;
    }
    return row;
  }

  private ensureLayout(): void {
    if (this.layoutValid) return;
    const n = this.source.length;
    if (this.offsets.length !== n + 1) this.offsets = new Float64Array(n + 1);
    let y = 0;
    for (let i = 0; i < n; i++) {
      this.offsets[i] = y;
      y += this.heightOf(i);
    }
    this.offsets[n] = y;
    if (this.virtualize) this.feed.style.height = `${y}px`;
    this.layoutValid = true;
  }

  private heightOf(i: number): number {
    const h = this.heights.get(this.source.key(i));
    if (h !== undefined) return h;
    const avg = this.classAvg.get(this.source.sizeClass(i));
    return avg ? avg.sum / avg.n : DEFAULT_ESTIMATE;
  }

  /** First row whose bottom is below `y`. */
  private indexAt(y: number): number {
    const n = this.source.length;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo);
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    const n = this.source.length;
    let minChanged = n;
    // Layout is clean here (observers run after it): read everything before writing anything.
    const scrollTop = this.scroller.scrollTop;
    let vh = this.viewportHeight();
    const anchor = this.stick || !this.virtualize ? -1 : this.indexAt(scrollTop);
    const anchorDelta = anchor >= 0 ? this.offsets[anchor] - scrollTop : 0;
    for (const e of entries) {
      const el = e.target as HTMLElement;
      if (el === this.scroller) {
        vh = this.viewport = e.contentBoxSize?.[0]?.blockSize ?? el.clientHeight;
        if (n > 0) minChanged = Math.min(minChanged, n - 1); // re-run the stick / anchor logic below
        continue;
      }
      const key = el.dataset.key;
      if (!key || !el.isConnected) continue;
      const h = e.borderBoxSize?.[0]?.blockSize ?? el.getBoundingClientRect().height;
      const old = this.heights.get(key);
      if (old === h) continue;
      this.heights.set(key, h);
      const i = this.source.indexOf(key);
      if (i < 0) continue;
      const cls = this.source.sizeClass(i);
      const avg = this.classAvg.get(cls) ?? { sum: 0, n: 0 };
      if (old === undefined) {
        avg.sum += h;
        avg.n++;
      } else {
        avg.sum += h - old;
      }
      this.classAvg.set(cls, avg);
      minChanged = Math.min(minChanged, i);
    }
    if (minChanged >= n || !this.layoutValid) {
      if (this.stick) this.onLayoutChanged();
      return;
    }
    let y = this.offsets[minChanged];
    for (let i = minChanged; i < n; i++) {
      this.offsets[i] = y;
      y += this.heightOf(i);
    }
    this.offsets[n] = y;
    if (!this.virtualize) return;
    this.feed.style.height = `${y}px`;
    for (const [key, row] of this.rows) {
      const i = this.source.indexOf(key);
      if (i >= 0 && row.top !== this.offsets[i]) {
        row.top = this.offsets[i];
        row.el.style.transform = `translateY(${row.top}px)`;
      }
    }
    if (this.stick) this.setScrollTop(Math.max(0, y - vh), scrollTop);
    else if (anchor >= 0) this.setScrollTop(this.offsets[anchor] - anchorDelta, scrollTop);
    this.onLayoutChanged();
  }

  /** Scroll to `y` unless already there (`current`, when the caller just read it). Returns the new top. */
  private setScrollTop(y: number, current = this.scroller.scrollTop): number {
    if (Math.abs(current - y) < 0.5) return current;
    this.scroller.scrollTop = y;
    this.lastScrollTop = y;
    return y;
  }

  private viewportHeight(): number {
    if (!this.viewport) this.viewport = this.scroller.clientHeight;
    return this.viewport;
  }

  private onScroll(): void {
    const s = this.scroller;
    const top = s.scrollTop;
    const contentHeight = this.virtualize && this.layoutValid ? this.offsets[this.source.length] : s.scrollHeight;
    const nearBottom = top + this.viewportHeight() >= contentHeight - 24;
    if (top < this.lastScrollTop - 1 && !nearBottom) this.stick = false;
    else if (nearBottom) this.stick = true;
    this.lastScrollTop = top;
    this.onLayoutChanged();
  }
}
