/**
 * What a full-screen TUI (Codex's ratatui UI) currently shows: an xterm.js headless terminal (the
 * emulator VS Code's own pty host keeps for reconnecting terminals) with Unicode 11 widths, read as
 * text to see when the composer is ready or a dialog is up, and serialized (colours, modes,
 * scrollback, cursor) to restore a reattaching terminal.
 *
 * Writes are parsed asynchronously: read the screen in the write's callback or after `onParsed`.
 */
import { SerializeAddon } from '@xterm/addon-serialize';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { Terminal } from '@xterm/headless';
import { Emitter, type Disposable } from '../../sdk/emitter';

/**
 * Remove a terminal's answers to queries from keyboard input: the pty host already answered the
 * program, so an attached terminal's late answers (cursor position, device attributes, colours,
 * keyboard flags) must not reach it as keystrokes.
 */
export function stripTerminalReplies(data: string): string {
  // eslint-disable-next-line no-control-regex
  return data.replace(/\x1b\[\d+;\d+R|\x1b\[[?>][\d;]*c|\x1b\](?:10|11|12);[^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[\?\d*u|\x1b\[0n/g, '');
}

/** Lines kept above the visible screen (what a reattaching terminal can scroll back to). */
const SCROLLBACK_LINES = 1000;

/**
 * Default colours we report to OSC 10/11 queries (Codex picks its palette from the background). A
 * headless terminal has no theme, so it does not answer them by itself.
 */
const COLOUR_REPLIES: Record<number, string> = { 10: 'rgb:d0d0/d0d0/d0d0', 11: 'rgb:1e1e/1e1e/1e1e' };

/** DEC private modes the serializer leaves out, restored after its output (set = the mode is on). */
const EXTRA_MODES = { cursorHidden: 25, sgrMouse: 1006 } as const;
type ExtraMode = keyof typeof EXTRA_MODES;

export class Screen implements Disposable {
  private readonly term: Terminal;
  private readonly serializer = new SerializeAddon();
  private readonly parsedEmitter = new Emitter<void>();
  private disposed = false;
  private readonly extra: Record<ExtraMode, boolean> = { cursorHidden: false, sgrMouse: false };
  /** Callbacks of writes not parsed yet (run at dispose, so no waiter hangs). */
  private readonly unparsed = new Set<() => void>();
  /** A write was parsed: the screen shows it now. */
  readonly onParsed = this.parsedEmitter.event;

  /**
   * @param onReply answers to the program's terminal queries (device attributes, cursor position,
   * colours), as a terminal would send them. Kitty keyboard queries stay unanswered (legacy keys).
   */
  constructor(cols: number, rows: number, onReply?: (data: string) => void) {
    this.term = new Terminal({ cols, rows, scrollback: SCROLLBACK_LINES, allowProposedApi: true, logLevel: 'off' });
    this.term.loadAddon(this.serializer);
    this.term.loadAddon(new Unicode11Addon());
    this.term.unicode.activeVersion = '11';
    if (onReply) this.term.onData(onReply);
    // Watch (never handle: xterm still applies them) the modes the serializer does not restore.
    const track = (on: boolean) => (params: (number | number[])[]): boolean => {
      for (const p of params) {
        if (p === EXTRA_MODES.sgrMouse) this.extra.sgrMouse = on;
        else if (p === EXTRA_MODES.cursorHidden) this.extra.cursorHidden = !on;
      }
      return false;
    };
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'h' }, track(true));
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'l' }, track(false));
    this.term.parser.registerEscHandler({ final: 'c' }, () => {
      this.extra.cursorHidden = this.extra.sgrMouse = false; // RIS
      return false;
    });
    this.term.parser.registerCsiHandler({ intermediates: '!', final: 'p' }, () => {
      this.extra.cursorHidden = false; // DECSTR shows the cursor
      return false;
    });
    for (const [ident, colour] of Object.entries(COLOUR_REPLIES)) {
      this.term.parser.registerOscHandler(Number(ident), (data) => {
        if (data !== '?') return false;
        onReply?.(`\x1b]${ident};${colour}\x1b\\`);
        return true;
      });
    }
  }

  /** Feed program output; `parsed` runs once the screen shows it (writes are parsed in order). */
  write(data: string, parsed?: () => void): void {
    if (this.disposed) return parsed?.();
    const done = (): void => {
      if (!this.unparsed.delete(done)) return;
      parsed?.();
      this.parsedEmitter.fire();
    };
    this.unparsed.add(done);
    this.term.write(data, done);
  }

  /** Resolves once everything written so far is on the screen. */
  drained(): Promise<void> {
    return new Promise((resolve) => this.write('', resolve));
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed) this.term.resize(cols, rows);
  }

  get altScreen(): boolean {
    return this.term.buffer.active.type === 'alternate';
  }

  /** The program enabled bracketed paste (DECSET 2004). */
  get bracketedPaste(): boolean {
    return this.term.modes.bracketedPasteMode;
  }

  /** Cursor position on the visible screen (0-based). */
  get cursor(): { x: number; y: number } {
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.cursorY };
  }

  /** The visible lines, trailing blanks trimmed (a wide character appears once). */
  lines(): string[] {
    if (this.disposed) return [];
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.baseY + y)?.translateToString(true).trimEnd() ?? '');
    return out;
  }

  text(): string {
    return this.lines().join('\n');
  }

  /**
   * The screen as output for a terminal of this size: a reset, then scrollback, screen, colours,
   * modes (alternate screen, bracketed paste, focus and mouse reporting, cursor keys) and the cursor.
   */
  snapshot(): string {
    if (this.disposed) return '\x1bc';
    const sgrMouse = this.extra.sgrMouse && this.term.modes.mouseTrackingMode !== 'none' ? `\x1b[?${EXTRA_MODES.sgrMouse}h` : '';
    const hidden = this.extra.cursorHidden ? `\x1b[?${EXTRA_MODES.cursorHidden}l` : '';
    return `\x1bc${this.serializer.serialize()}${sgrMouse}${hidden}`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.term.dispose();
    for (const done of [...this.unparsed]) done();
    this.parsedEmitter.dispose();
  }
}
