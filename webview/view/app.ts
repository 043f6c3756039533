/**
 * The transcript app: host messages go into the model at once (cheap); all DOM work happens in one
 * animation frame per batch of changes (header, composer, the virtual list's visible rows, find
 * highlights). After each frame it dispatches `fleet-rendered` on `document` (used by the bench).
 */
import type { RequestAnswer } from '../../protocol/types';
import {
  WEBVIEW_PROTOCOL_VERSION,
  isErrorMessage,
  isEventsMessage,
  isFocusRequestMessage,
  isInitMessage,
  isThemeMessage,
  type HostToWebviewMessage,
  type WebviewToHostMessage,
} from '../../protocol/webviewProtocol';
import type { HostChannel } from '../host';
import { requestKey } from '../model/entries';
import { transcriptJson, transcriptMarkdown } from '../model/transcriptText';
import { TranscriptModel } from '../model/transcriptModel';
import { Composer } from './composer';
import { actionButton, h } from './dom';
import { FindBar } from './findBar';
import { Header } from './header';
import { FrameScheduler, UiState, type RenderContext } from './renderContext';
import { runRowAction, type RowActionHost } from './rowActions';
import { markdownCache } from './rows/messageRows';
import { entryLabel, renderEntry, rowClass, sizeClass } from './rows/rowRenderer';
import { VirtualList, type RowSource } from './virtualList';
import { installKeyboard, type KeyboardHost } from './keyboard';

export interface AppOptions {
  virtualize: boolean;
}

export class TranscriptApp implements RowActionHost, KeyboardHost {
  readonly model = new TranscriptModel();
  readonly ui = new UiState();
  readonly list: VirtualList;
  readonly find: FindBar;
  private readonly header = new Header();
  private readonly composer: Composer;
  private readonly scroller: HTMLElement;
  private readonly jump: HTMLElement;
  private readonly scheduler = new FrameScheduler(() => this.frame());
  private readonly ctx: RenderContext;
  private seen = { snapshot: -1, structure: -1, session: -1 };
  private pendingFocus: string | undefined;
  private askedForSnapshot = false;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: HostChannel,
    opts: AppOptions,
  ) {
    this.ctx = { model: this.model, ui: this.ui, rerender: (key) => this.rerender(key) };
    const m = this.model;
    const source: RowSource = {
      get length() {
        return m.entries.length;
      },
      key: (i) => m.entries[i].key,
      indexOf: (k) => m.indexOf(k),
      version: (i) => m.entries[i].version,
      sizeClass: (i) => sizeClass(m.entries[i]),
      label: (i) => entryLabel(m.entries[i]),
      render: (i, row) => {
        const e = m.entries[i];
        row.className = rowClass(e);
        return renderEntry(e, this.ctx);
      },
    };
    this.scroller = h('main', { class: 'scroller', tabindex: -1 });
    this.list = new VirtualList(this.scroller, source, opts.virtualize);
    this.list.onLayoutChanged = () => this.scheduler.request();
    this.find = new FindBar({
      entries: () => m.entries,
      reveal: (i) => this.list.scrollToIndex(i, 'center'),
      renderedRows: () => this.renderedRows(),
      firstVisibleIndex: () => this.firstVisibleIndex(),
      restoreFocus: () => this.scroller.focus({ preventScroll: true }),
    });
    this.composer = new Composer({
      submit: async (kind, draft, controls) => {
        const reply = await this.host.command(kind === 'steer' ? { type: 'steer', ...draft } : { type: kind, ...draft, controls });
        if (reply.type === 'result' && !reply.ok) this.composer.setStatus(reply.message, true);
        return reply.type === 'result' && reply.ok;
      },
      interrupt: async () => {
        const reply = await this.host.command({ type: 'interrupt' });
        if (reply.type === 'result' && !reply.ok) this.composer.setStatus(reply.message, true);
      },
      removeQueued: (queuedId) => void this.host.command({ type: 'removeQueued', queuedId }),
      attachImages: async () => {
        const reply = await this.host.command({ type: 'attachImages' });
        return reply.type === 'imagesPicked' ? reply.images : [];
      },
    });
    this.jump = actionButton('jump-latest', 'Jump to the latest message', 'arrow-down', undefined, 'Latest');
    this.jump.classList.add('jump');
    this.jump.hidden = true;
    root.replaceChildren(this.header.el, this.header.banner, this.find.el, h('div', { class: 'scroll-wrap' }, this.scroller, this.jump), this.composer.el);
    root.addEventListener('click', (ev) => this.onClick(ev));
    installKeyboard(this);
  }

  start(): void {
    this.host.listen((m) => this.onMessage(m));
    this.host.post({ type: 'ready', protocolVersion: WEBVIEW_PROTOCOL_VERSION, state: this.host.getState() });
  }

  post(m: WebviewToHostMessage): void {
    this.host.post(m);
  }

  onMessage(m: HostToWebviewMessage): void {
    if (isInitMessage(m)) {
      this.model.applySnapshot(m.snapshot);
      this.askedForSnapshot = false;
      this.composer.setDefaults(m.defaults);
      if (m.theme) document.body.dataset.theme = m.theme;
      if (m.focusRequestId) this.pendingFocus = m.focusRequestId;
      this.header.showBanner('');
    } else if (isEventsMessage(m)) {
      const r = this.model.applyBatch(m.prevSeq, m.events);
      if (r.gap && !this.askedForSnapshot) {
        this.askedForSnapshot = true;
        this.host.post({ type: 'requestSnapshot', reason: 'gap' });
      }
    } else if (isFocusRequestMessage(m)) {
      this.pendingFocus = m.requestId;
    } else if (isThemeMessage(m)) {
      document.body.dataset.theme = m.theme;
    } else if (isErrorMessage(m)) {
      this.header.showBanner(m.message);
    }
    this.scheduler.request();
  }

  answer(requestId: string, answer: RequestAnswer): void {
    this.model.markAnswering(requestId, answer);
    this.scheduler.request();
    void this.host.command({ type: 'answerRequest', requestId, answer }).then((reply) => {
      if (reply.type === 'result' && !reply.ok) {
        this.model.markAnswerFailed(requestId, reply.message, reply.alreadyResolved === true);
        this.scheduler.request();
      }
    });
  }

  rerender(key: string): void {
    this.list.forget(key);
    this.scheduler.request();
  }

  focusRequest(requestId: string): void {
    this.pendingFocus = requestId;
    this.scheduler.request();
  }

  openFind(): void {
    this.find.open();
  }

  copyOrExport(what: 'copy' | 'markdown' | 'json'): void {
    if (!this.model.hasSnapshot) return;
    if (what === 'copy') this.host.post({ type: 'copy', text: transcriptMarkdown(this.model), what: 'Transcript' });
    else this.host.post({ type: 'export', format: what, content: what === 'json' ? transcriptJson(this.model) : transcriptMarkdown(this.model) });
  }

  private onClick(ev: MouseEvent): void {
    const el = (ev.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!el) return;
    const action = el.dataset.action;
    if (el.closest('a')) ev.preventDefault();
    switch (action) {
      case 'find':
        return this.openFind();
      case 'copy-markdown':
        return this.copyOrExport('copy');
      case 'export-markdown':
        return this.copyOrExport('markdown');
      case 'export-json':
        return this.copyOrExport('json');
      case 'jump-latest':
        this.list.scrollToBottom();
        this.scheduler.request();
        return;
    }
    if (!this.scroller.contains(el)) return;
    const key = el.closest<HTMLElement>('.row')?.dataset.key;
    if (runRowAction(this, el, key)) ev.preventDefault();
  }

  private frame(): void {
    const t0 = performance.now();
    const m = this.model;
    if (m.snapshotVersion !== this.seen.snapshot) {
      this.seen.snapshot = m.snapshotVersion;
      this.list.reset();
      markdownCache.clear();
      this.ui.clear();
    }
    if (m.structureVersion !== this.seen.structure) {
      this.seen.structure = m.structureVersion;
      this.list.invalidate();
      this.find.refresh();
    }
    if (m.sessionVersion !== this.seen.session) {
      this.seen.session = m.sessionVersion;
      this.header.update(m);
      this.composer.update(m);
    }
    m.dirty.clear();
    this.list.render();
    if (this.pendingFocus && m.request(this.pendingFocus)) this.revealRequest(this.pendingFocus);
    this.find.paint();
    this.jump.hidden = this.list.atBottom;
    this.saveStateSoon();
    document.dispatchEvent(new CustomEvent('fleet-rendered', { detail: { ms: performance.now() - t0, rows: this.list.renderedCount, entries: m.entries.length } }));
  }

  private revealRequest(requestId: string): void {
    this.pendingFocus = undefined;
    const row = this.list.scrollToIndex(this.model.indexOf(requestKey(requestId)), 'center');
    if (!row) return;
    row.classList.add('flash');
    setTimeout(() => row.classList.remove('flash'), 1500);
    const target = row.querySelector<HTMLElement>('vscode-button:not([disabled]), vscode-textfield, vscode-radio') ?? row;
    requestAnimationFrame(() => target.focus());
  }

  private saveStateSoon(): void {
    if (this.stateTimer || !this.model.session) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      if (this.model.session) this.host.setState({ sessionId: this.model.session.id, lastSeq: this.model.lastSeq });
    }, 1000);
  }

  renderedRows(): Iterable<[string, HTMLElement]> {
    return Array.from(this.scroller.querySelectorAll<HTMLElement>('.row')).map((el) => [el.dataset.key ?? '', el] as [string, HTMLElement]);
  }

  /** Index of the first row at least partly visible. */
  firstVisibleIndex(): number {
    const top = this.scroller.getBoundingClientRect().top;
    let best = Number.POSITIVE_INFINITY;
    for (const [key, el] of this.renderedRows()) if (el.getBoundingClientRect().bottom > top) best = Math.min(best, this.model.indexOf(key));
    return Number.isFinite(best) ? best : 0;
  }

  get scrollerEl(): HTMLElement {
    return this.scroller;
  }

  focusComposer(): void {
    this.composer.focus();
  }
}
