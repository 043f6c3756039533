/**
 * Find in transcript (Ctrl/Cmd+F): searches the model, so rows that are not rendered are found too;
 * Enter / Shift+Enter (or F3 / Shift+F3) move between matching rows, which are scrolled into view.
 * Occurrences in rendered rows are painted with the CSS Custom Highlight API (no DOM changes).
 */
import type { Entry } from '../model/entries';
import { TranscriptSearch, totalOccurrences, type SearchMatch } from '../model/search';
import { actionButton, h, hc } from './dom';

export interface FindHost {
  entries(): readonly Entry[];
  /** Scroll the row into view (rendering it). */
  reveal(index: number): void;
  /** Rendered row elements (key → element). */
  renderedRows(): Iterable<[string, HTMLElement]>;
  /** Top visible row index (for choosing the first match). */
  firstVisibleIndex(): number;
  restoreFocus(): void;
}

type InputEl = HTMLElement & { value: string };

export class FindBar {
  readonly el: HTMLElement;
  private readonly input: InputEl;
  private readonly count: HTMLElement;
  private readonly search = new TranscriptSearch();
  private matches: SearchMatch[] = [];
  private current = -1;
  private query = '';

  constructor(private readonly host: FindHost) {
    this.input = hc('vscode-textfield', { class: 'find-input', aria: { label: 'Find in transcript' }, attrs: { placeholder: 'Find' } }) as InputEl;
    this.count = h('span', { class: 'find-count', role: 'status', aria: { live: 'polite' } }, 'No results');
    this.el = h(
      'div',
      { class: 'find-bar', role: 'search', attrs: { hidden: true } },
      this.input,
      this.count,
      actionButton('find-prev', 'Previous match (Shift+Enter)', 'arrow-up'),
      actionButton('find-next', 'Next match (Enter)', 'arrow-down'),
      actionButton('find-close', 'Close (Escape)', 'close'),
    );
    this.input.addEventListener('input', () => this.run(this.input.value, true));
    this.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === 'F3') {
        ev.preventDefault();
        this.step(ev.shiftKey ? -1 : 1);
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        this.close();
      }
    });
    this.el.addEventListener('click', (ev) => {
      const action = (ev.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset.action;
      if (action === 'find-prev') this.step(-1);
      else if (action === 'find-next') this.step(1);
      else if (action === 'find-close') this.close();
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(): void {
    this.el.hidden = false;
    this.input.focus();
    const inner = (this.input as InputEl & { wrappedElement?: HTMLInputElement }).wrappedElement;
    inner?.select();
    if (this.query) this.run(this.query, false);
  }

  close(): void {
    this.el.hidden = true;
    this.matches = [];
    this.current = -1;
    CSS.highlights?.delete('fleet-find');
    CSS.highlights?.delete('fleet-find-current');
    this.host.restoreFocus();
  }

  step(dir: 1 | -1): void {
    if (!this.matches.length) return;
    this.current = (this.current + dir + this.matches.length) % this.matches.length;
    this.host.reveal(this.matches[this.current].index);
    this.updateCount();
  }

  /** Re-run the search after the transcript changed (keeps the current match when it still exists). */
  refresh(): void {
    if (!this.isOpen || !this.query) return;
    const key = this.matches[this.current]?.key;
    this.matches = this.search.find(this.host.entries(), this.query);
    const at = key ? this.matches.findIndex((m) => m.key === key) : -1;
    this.current = at >= 0 ? at : this.matches.length ? 0 : -1;
    this.updateCount();
  }

  private run(query: string, jump: boolean): void {
    this.query = query;
    this.matches = this.search.find(this.host.entries(), query);
    const top = this.host.firstVisibleIndex();
    const next = this.matches.findIndex((m) => m.index >= top);
    this.current = this.matches.length ? (next >= 0 ? next : 0) : -1;
    if (jump && this.current >= 0) this.host.reveal(this.matches[this.current].index);
    this.updateCount();
  }

  private updateCount(): void {
    const total = totalOccurrences(this.matches);
    this.count.textContent = this.matches.length ? `${this.current + 1} of ${this.matches.length} rows (${total} matches)` : this.query ? 'No results' : '';
  }

  /** Paint occurrences in the rendered rows. Called after each frame while open. */
  paint(): void {
    if (!this.isOpen || !this.query || typeof Highlight === 'undefined' || !CSS.highlights) return;
    const q = this.query.toLowerCase();
    const all: Range[] = [];
    const cur: Range[] = [];
    const currentKey = this.matches[this.current]?.key;
    for (const [key, row] of this.host.renderedRows()) {
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = (n.nodeValue ?? '').toLowerCase();
        for (let at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + q.length)) {
          const r = new Range();
          r.setStart(n, at);
          r.setEnd(n, at + q.length);
          (key === currentKey ? cur : all).push(r);
        }
      }
    }
    CSS.highlights.set('fleet-find', new Highlight(...all));
    CSS.highlights.set('fleet-find-current', new Highlight(...cur));
  }
}
