/**
 * A small TOML reader/writer, enough to regenerate a Codex `config.toml`: every TOML 1.0 value
 * (strings of all four kinds, integers, floats, booleans, date-times kept verbatim, arrays, inline
 * tables), dotted keys, `[tables]` and `[[arrays of tables]]`. Comments and layout are not kept.
 * Keys that would reach an object's prototype (`__proto__`, `constructor`, `prototype`) are refused
 * wherever they come from (files, clients).
 */
import { FORBIDDEN_KEYS } from '../../protocol/limits';

export type TomlValue = string | number | boolean | TomlDateTime | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

/** A date/time literal, re-emitted exactly as read. */
export class TomlDateTime {
  constructor(readonly text: string) {}
}

export class TomlError extends Error {
  constructor(message: string, line: number) {
    super(`TOML line ${line}: ${message}`);
    this.name = 'TomlError';
  }
}

export function isTable(v: TomlValue | undefined): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof TomlDateTime);
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([Zz]|[+-]\d{2}:\d{2})?|^\d{2}:\d{2}:\d{2}(\.\d+)?/;

class Parser {
  private pos = 0;
  readonly root: TomlTable = {};
  private current: TomlTable = this.root;
  /** Tables created implicitly (by a dotted header) may still be defined explicitly once. */
  private readonly defined = new Set<TomlTable>();
  private readonly arrayTables = new Set<TomlValue[]>();

  constructor(private readonly src: string) {}

  private get line(): number {
    return this.src.slice(0, this.pos).split('\n').length;
  }

  private fail(msg: string): never {
    throw new TomlError(msg, this.line);
  }

  private peek(n = 0): string {
    return this.src[this.pos + n] ?? '';
  }

  private skipWs(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** Whitespace, newlines and comments. */
  private skipAll(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.pos++;
      else if (c === '#') while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
      else return;
    }
  }

  private endOfLine(): void {
    this.skipWs();
    if (this.peek() === '#') while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
    if (this.peek() === '\r') this.pos++;
    if (this.pos < this.src.length && this.peek() !== '\n') this.fail(`unexpected '${this.peek()}'`);
    this.pos++;
  }

  parse(): TomlTable {
    for (;;) {
      this.skipAll();
      if (this.pos >= this.src.length) return this.root;
      if (this.peek() === '[') this.header();
      else {
        this.keyValue(this.current);
        this.endOfLine();
      }
    }
  }

  private header(): void {
    const isArray = this.peek(1) === '[';
    this.pos += isArray ? 2 : 1;
    this.skipWs();
    const keys = this.key();
    this.skipWs();
    if (isArray ? !this.src.startsWith(']]', this.pos) : this.peek() !== ']') this.fail('unterminated table header');
    this.pos += isArray ? 2 : 1;
    this.endOfLine();
    let t = this.root;
    for (let i = 0; i < keys.length - 1; i++) t = this.descend(t, keys[i]!);
    const last = keys[keys.length - 1]!;
    const existing = t[last];
    const table: TomlTable = {};
    if (isArray) {
      const arr = existing ?? [];
      if (existing === undefined) this.arrayTables.add((t[last] = arr as TomlValue[]));
      else if (!Array.isArray(arr) || !this.arrayTables.has(arr)) this.fail(`'${last}' is not an array of tables`);
      (arr as TomlValue[]).push(table);
      this.current = table;
    } else if (existing === undefined || (isTable(existing) && !this.defined.has(existing))) {
      this.current = isTable(existing) ? existing : (t[last] = table);
      this.defined.add(this.current);
    } else this.fail(`table '${keys.join('.')}' defined twice`);
  }

  /** Into (creating) sub-table `k`; the last element of an array of tables. */
  private descend(t: TomlTable, k: string): TomlTable {
    const v = t[k];
    if (v === undefined) {
      const table: TomlTable = {};
      t[k] = table;
      return table;
    }
    if (isTable(v)) return v;
    if (Array.isArray(v) && this.arrayTables.has(v)) {
      const last = v[v.length - 1];
      if (isTable(last)) return last;
    }
    return this.fail(`'${k}' is not a table`);
  }

  private key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (c === '"') parts.push(this.basicString());
      else if (c === "'") parts.push(this.literalString());
      else {
        const start = this.pos;
        while (/[A-Za-z0-9_-]/.test(this.peek())) this.pos++;
        if (start === this.pos) this.fail('expected a key');
        parts.push(this.src.slice(start, this.pos));
      }
      if (FORBIDDEN_KEYS.has(parts[parts.length - 1]!)) this.fail(`the key '${parts[parts.length - 1]}' is not allowed`);
      this.skipWs();
      if (this.peek() !== '.') return parts;
      this.pos++;
    }
  }

  /** The source is one dotted key and nothing else: its parts (no table is built). */
  keyOnly(): string[] {
    const parts = this.key();
    this.skipWs();
    if (this.pos < this.src.length) this.fail(`unexpected '${this.peek()}' in a key`);
    return parts;
  }

  private keyValue(target: TomlTable): void {
    const keys = this.key();
    this.skipWs();
    if (this.peek() !== '=') this.fail("expected '='");
    this.pos++;
    this.skipWs();
    const value = this.value();
    let t = target;
    for (let i = 0; i < keys.length - 1; i++) t = this.descend(t, keys[i]!);
    const last = keys[keys.length - 1]!;
    if (last in t) this.fail(`key '${keys.join('.')}' defined twice`);
    t[last] = value;
  }

  private value(): TomlValue {
    const c = this.peek();
    if (c === '"') return this.src.startsWith('"""', this.pos) ? this.multilineBasic() : this.basicString();
    if (c === "'") return this.src.startsWith("'''", this.pos) ? this.multilineLiteral() : this.literalString();
    if (c === '[') return this.array();
    if (c === '{') return this.inlineTable();
    if (this.src.startsWith('true', this.pos)) return (this.pos += 4), true;
    if (this.src.startsWith('false', this.pos)) return (this.pos += 5), false;
    const rest = this.src.slice(this.pos);
    const dt = DATETIME.exec(rest);
    if (dt && dt[0].length >= 8) {
      this.pos += dt[0].length;
      return new TomlDateTime(dt[0]);
    }
    const num = /^[+-]?(inf|nan|0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|[0-9_]+(\.[0-9_]+)?([eE][+-]?[0-9_]+)?)/.exec(rest);
    if (!num) return this.fail('expected a value');
    this.pos += num[0].length;
    const text = num[0].replace(/_/g, '');
    if (/inf$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/nan$/.test(text)) return NaN;
    if (/^[+-]?0[xob]/.test(text)) return Number(text.replace(/^\+/, ''));
    return Number(text);
  }

  private array(): TomlValue[] {
    this.pos++;
    const out: TomlValue[] = [];
    for (;;) {
      this.skipAll();
      if (this.peek() === ']') return this.pos++, out;
      out.push(this.value());
      this.skipAll();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') this.fail("expected ',' or ']'");
    }
  }

  private inlineTable(): TomlTable {
    this.pos++;
    const t: TomlTable = {};
    this.skipWs();
    if (this.peek() === '}') return this.pos++, t;
    for (;;) {
      this.skipWs();
      this.keyValue(t);
      this.skipWs();
      if (this.peek() === '}') return this.pos++, t;
      if (this.peek() !== ',') this.fail("expected ',' or '}'");
      this.pos++;
    }
  }

  private escape(): string {
    const c = this.src[this.pos++] ?? '';
    const simple = ESCAPES[c];
    if (simple !== undefined) return simple;
    if (c !== 'u' && c !== 'U') return this.fail(`bad escape '\\${c}'`);
    const n = c === 'u' ? 4 : 8;
    const hex = this.src.slice(this.pos, this.pos + n);
    if (hex.length !== n || !/^[0-9A-Fa-f]+$/.test(hex)) this.fail('bad unicode escape');
    this.pos += n;
    return String.fromCodePoint(parseInt(hex, 16));
  }

  private basicString(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === '"') return out;
      out += c === '\\' ? this.escape() : c;
    }
  }

  private literalString(): string {
    this.pos++;
    const end = this.src.indexOf("'", this.pos);
    const nl = this.src.indexOf('\n', this.pos);
    if (end < 0 || (nl >= 0 && nl < end)) this.fail('unterminated string');
    const s = this.src.slice(this.pos, end);
    this.pos = end + 1;
    return s;
  }

  private multilineBasic(): string {
    this.pos += 3;
    if (this.peek() === '\r' && this.peek(1) === '\n') this.pos += 2;
    else if (this.peek() === '\n') this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail('unterminated string');
      if (this.src.startsWith('"""', this.pos)) {
        let n = 3;
        while (this.peek(n) === '"' && n < 5) n++;
        out += '"'.repeat(n - 3);
        this.pos += n;
        return out;
      }
      const c = this.src[this.pos++]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (/^[ \t]*\r?\n/.test(this.src.slice(this.pos))) {
        while (/[ \t\r\n]/.test(this.peek())) this.pos++;
        continue;
      }
      out += this.escape();
    }
  }

  private multilineLiteral(): string {
    this.pos += 3;
    if (this.peek() === '\r' && this.peek(1) === '\n') this.pos += 2;
    else if (this.peek() === '\n') this.pos++;
    const end = this.src.indexOf("'''", this.pos);
    if (end < 0) this.fail('unterminated string');
    let stop = end;
    while (this.src[stop + 3] === "'" && stop - end < 2) stop++;
    const s = this.src.slice(this.pos, stop);
    this.pos = stop + 3;
    return s;
  }
}

export function parseToml(src: string): TomlTable {
  return new Parser(src.replace(/^\uFEFF/, '')).parse();
}

// ------------------------------------------------------------------------------------------------

export function tomlKey(k: string): string {
  return BARE_KEY.test(k) ? k : JSON.stringify(k);
}

/** A JSON string literal is a valid TOML basic string (TOML has no `\/`, JSON.stringify never emits it). */
function inlineValue(v: TomlValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return String(v);
  }
  if (v instanceof TomlDateTime) return v.text;
  if (Array.isArray(v)) return `[${v.map(inlineValue).join(', ')}]`;
  const entries = Object.entries(v).map(([k, x]) => `${tomlKey(k)} = ${inlineValue(x)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

function isArrayOfTables(v: TomlValue): v is TomlTable[] {
  return Array.isArray(v) && v.length > 0 && v.every(isTable);
}

type HeaderKind = 'root' | 'table' | 'arrayItem';

function emitTable(t: TomlTable, path: string[], kind: HeaderKind, out: string[]): void {
  const subs: Array<[string, TomlTable | TomlTable[]]> = [];
  const lines: string[] = [];
  for (const [k, v] of Object.entries(t)) {
    if (isTable(v) || isArrayOfTables(v)) subs.push([k, v]);
    else lines.push(`${tomlKey(k)} = ${inlineValue(v)}`);
  }
  const header = path.map(tomlKey).join('.');
  if (kind === 'arrayItem') out.push('', `[[${header}]]`);
  else if (kind === 'table' && (lines.length > 0 || subs.length === 0)) out.push('', `[${header}]`);
  out.push(...lines);
  for (const [k, v] of subs) {
    if (Array.isArray(v)) for (const item of v) emitTable(item, [...path, k], 'arrayItem', out);
    else emitTable(v, [...path, k], 'table', out);
  }
}

export function stringifyToml(t: TomlTable): string {
  const out: string[] = [];
  emitTable(t, [], 'root', out);
  return out.join('\n').replace(/^\n+/, '') + '\n';
}

/** Throw unless `k` is a key that cannot reach an object's prototype (`__proto__`, `constructor`, `prototype`). */
export function assertSafeKey(k: string): void {
  if (FORBIDDEN_KEYS.has(k)) throw new TomlError(`the key '${k}' is not allowed`, 0);
}

/** Set `value` at a dotted path (given as parts), creating tables on the way. */
export function setPath(t: TomlTable, parts: string[], value: TomlValue): void {
  if (parts.length === 0) throw new TomlError('an empty key path', 0);
  parts.forEach(assertSafeKey);
  let cur = t;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (isTable(next)) cur = next;
    else {
      const fresh: TomlTable = {};
      cur[p] = fresh;
      cur = fresh;
    }
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Deep merge: tables merge key by key, anything else in `over` replaces. */
export function mergeToml(base: TomlTable, over: TomlTable): TomlTable {
  const out: TomlTable = { ...base };
  for (const [k, v] of Object.entries(over)) {
    assertSafeKey(k);
    const b = out[k];
    out[k] = isTable(b) && isTable(v) ? mergeToml(b, v) : v;
  }
  return out;
}

/**
 * Split a dotted key (`a."b.c".d`) into its parts with the TOML key tokenizer; throws TomlError for
 * anything that is not exactly one key, and for `__proto__`, `constructor` and `prototype` parts.
 */
export function splitDottedKey(key: string): string[] {
  return new Parser(key).keyOnly();
}

export function cloneToml<T extends TomlValue>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneToml) as T;
  if (isTable(v)) {
    const t: TomlTable = {};
    for (const [k, x] of Object.entries(v)) {
      assertSafeKey(k);
      t[k] = cloneToml(x);
    }
    return t as T;
  }
  return v;
}
