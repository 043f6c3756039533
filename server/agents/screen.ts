/**
 * A minimal terminal screen model: enough VT100/xterm to know what a full-screen TUI (Codex's
 * ratatui UI) currently shows — cursor addressing, erase, scroll regions, insert/delete, the
 * alternate screen, wide characters. Colours and other attributes are parsed and dropped.
 * Used to see when the composer is ready, spot dialogs, and restore a reattaching terminal.
 */

/**
 * Remove a terminal's answers to queries from keyboard input: the pty host already answered the
 * program, so an attached terminal's late answers (cursor position, device attributes, colours,
 * keyboard flags) must not reach it as keystrokes.
 */
export function stripTerminalReplies(data: string): string {
  // eslint-disable-next-line no-control-regex
  return data.replace(/\x1b\[\d+;\d+R|\x1b\[[?>][\d;]*c|\x1b\](?:10|11|12);[^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[\?\d*u|\x1b\[0n/g, '');
}

type Mode = 'ground' | 'esc' | 'csi' | 'osc' | 'str' | 'charset';

/** Display width of one code point (0 for combining marks, 2 for East Asian wide / emoji). */
export function charWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x20e3) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

class Buffer {
  lines: string[][];
  constructor(
    public cols: number,
    public rows: number,
  ) {
    this.lines = Array.from({ length: rows }, () => this.blank());
  }
  blank(): string[] {
    return new Array<string>(this.cols).fill(' ');
  }
  resize(cols: number, rows: number): void {
    this.lines = this.lines.slice(Math.max(0, this.lines.length - rows));
    while (this.lines.length < rows) this.lines.push(new Array<string>(cols).fill(' '));
    this.lines = this.lines.map((l) => (l.length >= cols ? l.slice(0, cols) : l.concat(new Array<string>(cols - l.length).fill(' '))));
    this.cols = cols;
    this.rows = rows;
  }
}

export class Screen {
  private main: Buffer;
  private alt: Buffer;
  private buf: Buffer;
  private x = 0;
  private y = 0;
  private saved = { x: 0, y: 0 };
  private top = 0;
  private bottom: number;
  private wrapPending = false;
  private mode: Mode = 'ground';
  private params = '';
  private strEsc = false;
  /** Bumped on every change; lets waiters re-check cheaply. */
  version = 0;
  /** The program enabled bracketed paste (DECSET 2004). */
  bracketedPaste = false;
  /**
   * Answers to the program's terminal queries (device attributes, cursor position, colours), as a
   * terminal would; unset = no answers. Kitty keyboard queries stay unanswered (legacy keys).
   */
  onReply: ((data: string) => void) | undefined;
  private osc = '';

  constructor(
    private cols: number,
    private rows: number,
  ) {
    this.main = new Buffer(cols, rows);
    this.alt = new Buffer(cols, rows);
    this.buf = this.main;
    this.bottom = rows - 1;
  }

  get altScreen(): boolean {
    return this.buf === this.alt;
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.main.resize(cols, rows);
    this.alt.resize(cols, rows);
    this.top = 0;
    this.bottom = rows - 1;
    this.x = Math.min(this.x, cols - 1);
    this.y = Math.min(this.y, rows - 1);
    this.version++;
  }

  /** The visible lines, trailing blanks trimmed. */
  lines(): string[] {
    return this.buf.lines.map((l) => l.join('').replace(/\u0000/g, '').trimEnd());
  }

  text(): string {
    return this.lines().join('\n');
  }

  /** Plain-text repaint of the current screen for a terminal of any size (no colours). */
  render(): string {
    const out = [this.altScreen ? '\x1b[?1049h' : '', '\x1b[0m\x1b[H\x1b[2J'];
    this.lines().forEach((l, i) => {
      if (l) out.push(`\x1b[${i + 1};1H${l}`);
    });
    out.push(`\x1b[${this.y + 1};${this.x + 1}H`);
    return out.join('');
  }

  write(data: string): void {
    for (const ch of data) this.feed(ch);
    this.version++;
  }

  private feed(ch: string): void {
    const c = ch.codePointAt(0)!;
    switch (this.mode) {
      case 'ground':
        if (c === 0x1b) this.mode = 'esc';
        else if (c < 0x20 || c === 0x7f) this.control(c);
        else this.print(ch, c);
        return;
      case 'esc':
        this.escape(ch);
        return;
      case 'csi':
        if (c >= 0x40 && c <= 0x7e) {
          this.mode = 'ground';
          this.csi(ch, this.params);
        } else this.params += ch;
        return;
      case 'osc':
      case 'str':
        if ((c === 0x07 && this.mode === 'osc') || (this.strEsc && ch === '\\')) {
          if (this.mode === 'osc') this.oscDone(this.osc);
          this.mode = 'ground';
        } else if (this.mode === 'osc' && c !== 0x1b && this.osc.length < 256) this.osc += ch;
        this.strEsc = c === 0x1b;
        return;
      case 'charset':
        this.mode = 'ground';
        return;
    }
  }

  private control(c: number): void {
    if (c === 0x0d || c === 0x08) {
      this.x = c === 0x0d ? 0 : Math.max(0, this.x - 1);
      this.wrapPending = false;
    } else if (c >= 0x0a && c <= 0x0c) this.lineFeed();
    else if (c === 0x09) this.x = Math.min(this.cols - 1, (Math.floor(this.x / 8) + 1) * 8);
  }

  private escape(ch: string): void {
    this.mode = 'ground';
    this.strEsc = false;
    if (ch === '[') {
      this.mode = 'csi';
      this.params = '';
    } else if (ch === ']') {
      this.mode = 'osc';
      this.osc = '';
    } else if ('P_^X'.includes(ch)) this.mode = 'str';
    else if ('()*+#'.includes(ch)) this.mode = 'charset';
    else if (ch === '7') this.saved = { x: this.x, y: this.y };
    else if (ch === '8') ({ x: this.x, y: this.y } = this.saved);
    else if (ch === 'D' || ch === 'E') {
      if (ch === 'E') this.x = 0;
      this.lineFeed();
    } else if (ch === 'M') {
      if (this.y === this.top) this.scrollDown(1);
      else if (this.y > 0) this.y--;
    } else if (ch === 'c') {
      this.main = new Buffer(this.cols, this.rows);
      this.alt = new Buffer(this.cols, this.rows);
      this.buf = this.main;
      this.x = this.y = this.top = 0;
      this.bottom = this.rows - 1;
    }
  }

  private print(ch: string, c: number): void {
    const w = charWidth(c);
    if (w === 0) return;
    if (this.wrapPending) {
      this.x = 0;
      this.lineFeed();
      this.wrapPending = false;
    }
    if (w === 2 && this.x === this.cols - 1) {
      this.x = 0;
      this.lineFeed();
    }
    const line = this.buf.lines[this.y]!;
    line[this.x] = ch;
    if (w === 2 && this.x + 1 < this.cols) line[this.x + 1] = '\u0000';
    this.x += w;
    if (this.x >= this.cols) {
      this.x = this.cols - 1;
      this.wrapPending = true;
    }
  }

  private lineFeed(): void {
    if (this.y === this.bottom) this.scrollUp(1);
    else if (this.y < this.rows - 1) this.y++;
  }

  private scrollUp(n: number): void {
    const l = this.buf.lines;
    for (let i = 0; i < n; i++) {
      l.splice(this.top, 1);
      l.splice(this.bottom, 0, this.buf.blank());
    }
  }

  private scrollDown(n: number): void {
    const l = this.buf.lines;
    for (let i = 0; i < n; i++) {
      l.splice(this.bottom, 1);
      l.splice(this.top, 0, this.buf.blank());
    }
  }

  private erase(line: string[], from: number, to: number): void {
    for (let i = Math.max(0, from); i < Math.min(this.cols, to); i++) line[i] = ' ';
  }

  private reply(data: string): void {
    this.onReply?.(data);
  }

  private oscDone(payload: string): void {
    if (payload === '10;?') this.reply('\x1b]10;rgb:d0d0/d0d0/d0d0\x1b\\');
    else if (payload === '11;?') this.reply('\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\');
  }

  private csi(final: string, raw: string): void {
    if (final === 'n' && raw === '6') return this.reply(`\x1b[${this.y + 1};${this.x + 1}R`);
    if (final === 'n' && raw === '5') return this.reply('\x1b[0n');
    if (final === 'c' && (raw === '' || raw === '0')) return this.reply('\x1b[?62;22c');
    if (final === 'c' && (raw === '>' || raw === '>0')) return this.reply('\x1b[>0;10;1c');
    const priv = raw.startsWith('?') || raw.startsWith('>') || raw.startsWith('=');
    const nums = (priv ? raw.slice(1) : raw).split(/[;:]/).map((s) => (s === '' ? NaN : parseInt(s, 10)));
    const n = (i: number, d = 1): number => (Number.isFinite(nums[i]) && nums[i]! > 0 ? nums[i]! : d);
    const line = this.buf.lines[this.y]!;
    this.wrapPending = false;
    if (priv) {
      if (raw.startsWith('?') && (final === 'h' || final === 'l')) {
        for (const m of nums) {
          if (m === 1049 || m === 47 || m === 1047) this.setAlt(final === 'h');
          else if (m === 2004) this.bracketedPaste = final === 'h';
        }
      }
      return;
    }
    switch (final) {
      case 'A':
        this.y = Math.max(this.y < this.top ? 0 : this.top, this.y - n(0));
        break;
      case 'B':
      case 'e':
        this.y = Math.min(this.y > this.bottom ? this.rows - 1 : this.bottom, this.y + n(0));
        break;
      case 'C':
      case 'a':
        this.x = Math.min(this.cols - 1, this.x + n(0));
        break;
      case 'D':
        this.x = Math.max(0, this.x - n(0));
        break;
      case 'E':
        this.y = Math.min(this.rows - 1, this.y + n(0));
        this.x = 0;
        break;
      case 'F':
        this.y = Math.max(0, this.y - n(0));
        this.x = 0;
        break;
      case 'G':
      case '`':
        this.x = Math.min(this.cols - 1, n(0) - 1);
        break;
      case 'd':
        this.y = Math.min(this.rows - 1, n(0) - 1);
        break;
      case 'H':
      case 'f':
        this.y = Math.min(this.rows - 1, n(0) - 1);
        this.x = Math.min(this.cols - 1, n(1) - 1);
        break;
      case 'J': {
        const mode = Number.isFinite(nums[0]) ? nums[0] : 0;
        const l = this.buf.lines;
        if (mode === 0) {
          this.erase(line, this.x, this.cols);
          for (let i = this.y + 1; i < this.rows; i++) l[i] = this.buf.blank();
        } else if (mode === 1) {
          this.erase(line, 0, this.x + 1);
          for (let i = 0; i < this.y; i++) l[i] = this.buf.blank();
        } else for (let i = 0; i < this.rows; i++) l[i] = this.buf.blank();
        break;
      }
      case 'K': {
        const mode = Number.isFinite(nums[0]) ? nums[0] : 0;
        if (mode === 0) this.erase(line, this.x, this.cols);
        else if (mode === 1) this.erase(line, 0, this.x + 1);
        else this.erase(line, 0, this.cols);
        break;
      }
      case 'X':
        this.erase(line, this.x, this.x + n(0));
        break;
      case '@':
        line.splice(this.x, 0, ...new Array<string>(n(0)).fill(' '));
        line.length = this.cols;
        break;
      case 'P':
        line.splice(this.x, n(0));
        while (line.length < this.cols) line.push(' ');
        break;
      case 'L':
      case 'M':
        if (this.y >= this.top && this.y <= this.bottom) {
          const saveTop = this.top;
          this.top = this.y;
          if (final === 'L') this.scrollDown(n(0));
          else this.scrollUp(n(0));
          this.top = saveTop;
        }
        break;
      case 'S':
        this.scrollUp(n(0));
        break;
      case 'T':
        this.scrollDown(n(0));
        break;
      case 'r':
        this.top = Math.min(this.rows - 1, n(0) - 1);
        this.bottom = Math.min(this.rows - 1, n(1, this.rows) - 1);
        if (this.top >= this.bottom) {
          this.top = 0;
          this.bottom = this.rows - 1;
        }
        this.x = 0;
        this.y = 0;
        break;
      case 's':
        this.saved = { x: this.x, y: this.y };
        break;
      case 'u':
        this.x = this.saved.x;
        this.y = this.saved.y;
        break;
    }
  }

  private setAlt(on: boolean): void {
    if (on === this.altScreen) return;
    if (on) {
      this.saved = { x: this.x, y: this.y };
      this.alt = new Buffer(this.cols, this.rows);
      this.buf = this.alt;
    } else {
      this.buf = this.main;
      this.x = this.saved.x;
      this.y = this.saved.y;
    }
  }
}
