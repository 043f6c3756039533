/**
 * Keyboard: Ctrl/Cmd+F find; Escape closes find; in the transcript, ↑/↓ (or k/j) move between rows,
 * Home/End jump to the first/last row, Enter goes into a row's controls; Enter or Space activates
 * links; Ctrl/Cmd+Shift+C copies the transcript as Markdown; Alt+End (or Escape in a row) returns
 * to the composer.
 */
import type { TranscriptModel } from '../model/transcriptModel';
import type { FindBar } from './findBar';
import type { VirtualList } from './virtualList';

/** What the keyboard handling uses of the transcript app. */
export interface KeyboardHost {
  readonly model: Pick<TranscriptModel, 'indexOf' | 'entries'>;
  readonly find: Pick<FindBar, 'isOpen' | 'close'>;
  readonly list: Pick<VirtualList, 'scrollToIndex'>;
  readonly scrollerEl: HTMLElement;
  openFind(): void;
  copyOrExport(what: 'copy'): void;
  focusComposer(): void;
  firstVisibleIndex(): number;
}

export function installKeyboard(app: KeyboardHost): void {
  document.addEventListener('keydown', (ev) => {
    const mod = ev.ctrlKey || ev.metaKey;
    if (mod && !ev.shiftKey && !ev.altKey && ev.key.toLowerCase() === 'f') {
      ev.preventDefault();
      app.openFind();
    } else if (mod && ev.shiftKey && ev.key.toLowerCase() === 'c') {
      ev.preventDefault();
      app.copyOrExport('copy');
    } else if (ev.key === 'Escape' && app.find.isOpen) {
      ev.preventDefault();
      app.find.close();
    } else if (ev.altKey && ev.key === 'End') {
      ev.preventDefault();
      app.focusComposer();
    }
  });

  const scroller = app.scrollerEl;
  scroller.addEventListener('keydown', (ev) => {
    const target = ev.target as HTMLElement;
    if ((ev.key === 'Enter' || ev.key === ' ') && target.getAttribute('role') === 'link' && target.dataset.action) {
      ev.preventDefault();
      target.click();
      return;
    }
    if (!target.classList.contains('row')) {
      if (ev.key === 'Escape') target.closest<HTMLElement>('.row')?.focus();
      return;
    }
    const index = app.model.indexOf(target.dataset.key ?? '');
    const last = app.model.entries.length - 1;
    let next: number;
    switch (ev.key) {
      case 'ArrowDown':
      case 'j':
        next = Math.min(last, index + 1);
        break;
      case 'ArrowUp':
      case 'k':
        next = Math.max(0, index - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case 'Enter': {
        const inner = target.querySelector<HTMLElement>('[tabindex="0"], button, vscode-button, vscode-textfield, vscode-collapsible, [role="link"]');
        if (inner) {
          ev.preventDefault();
          inner.focus();
        }
        return;
      }
      case 'Escape':
        ev.preventDefault();
        app.focusComposer();
        return;
      default:
        return;
    }
    ev.preventDefault();
    app.list.scrollToIndex(next, next === last ? 'end' : 'center', true);
  });

  // The scroller itself is focusable: the first arrow key moves focus onto the first visible row.
  scroller.addEventListener('keydown', (ev) => {
    if (ev.target !== scroller || (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp')) return;
    ev.preventDefault();
    app.list.scrollToIndex(app.firstVisibleIndex(), 'start', true);
  });
}
