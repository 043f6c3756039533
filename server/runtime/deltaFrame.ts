/**
 * The hot path of app-server's stream: its delta notifications, read straight from the frame's
 * text without JSON.parse building an object tree. A frame is taken only when it has exactly the
 * compact shape app-server writes, `{"method":"<delta method>","params":{"<key>":"<string>",…},"emittedAtMs":<integer>}`
 * (params flat, every value a string, emittedAtMs optional, no whitespace); anything else returns false and takes the
 * generic JSON.parse path, so what is accepted reads exactly as JSON.parse would read it.
 */
import type { ServerNotification } from '../../protocol/codex';
import type { DeltaStream } from '../../protocol/types';

/** app-server's streaming notifications and the delta stream each becomes. */
export const DELTA_STREAMS: Partial<Record<ServerNotification['method'], DeltaStream>> = {
  'item/agentMessage/delta': 'agentMessage',
  'item/reasoning/summaryTextDelta': 'reasoningSummary',
  'item/reasoning/textDelta': 'reasoning',
  'item/commandExecution/outputDelta': 'commandOutput',
  'item/fileChange/outputDelta': 'fileChangeOutput',
  'item/plan/delta': 'plan',
};

const STREAM_BY_METHOD = new Map<string, DeltaStream>(Object.entries(DELTA_STREAMS) as Array<[string, DeltaStream]>);

const HEAD = '{"method":"';
const PARAMS = '","params":{';
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const CLOSE = 125;
const AGENT_MESSAGE = 'item/agentMessage/delta"';
/** Bits of DeltaFrameParser.plainIds. */
const THREAD = 1;
const TURN = 2;
const ITEM = 4;

/** One parser per connection; its fields hold the last frame parsed (no object per delta). */
export class DeltaFrameParser {
  stream: DeltaStream = 'agentMessage';
  threadId = '';
  turnId = '';
  itemId = '';
  delta = '';
  /** Each id was read from a body without escapes (so an equal body needs no decoding either). */
  private plainIds = 0;

  /** True when `text` is a delta notification with all four fields, now in this parser's fields. */
  parse(text: string): boolean {
    if (!text.startsWith(HEAD)) return false;
    const methodEnd = text.indexOf('"', HEAD.length);
    if (methodEnd < 0) return false;
    // The common case without slicing the method out.
    const stream = text.startsWith(AGENT_MESSAGE, HEAD.length) ? 'agentMessage' : STREAM_BY_METHOD.get(text.slice(HEAD.length, methodEnd));
    if (!stream || !text.startsWith(PARAMS, methodEnd)) return false;
    let threadId: string | undefined;
    let turnId: string | undefined;
    let itemId: string | undefined;
    let delta: string | undefined;
    this.nextPlainIds = 0;
    let i = methodEnd + PARAMS.length;
    if (text.charCodeAt(i) !== CLOSE) {
      for (;;) {
        // "key":"value"
        if (text.charCodeAt(i) !== QUOTE) return false;
        const keyEnd = text.indexOf('"', i + 1);
        if (keyEnd < 0 || needsDecoding(text, i + 1, keyEnd)) return false; // (an escaped key: leave it to JSON.parse)
        if (text.charCodeAt(keyEnd + 1) !== COLON || text.charCodeAt(keyEnd + 2) !== QUOTE) return false;
        const valueStart = keyEnd + 3;
        const valueEnd = closingQuote(text, valueStart);
        if (valueEnd < 0) return false;
        const keyLength = keyEnd - i - 1;
        // Ids repeat from delta to delta: the previous frame's string is reused when equal, so
        // events share one copy instead of each holding a slice of (and so all of) its frame's text.
        let value: string | undefined;
        if (keyLength === 8 && text.startsWith('threadId', i + 1)) value = threadId = this.same(THREAD, this.threadId, text, valueStart, valueEnd);
        else if (keyLength === 6 && text.startsWith('turnId', i + 1)) value = turnId = this.same(TURN, this.turnId, text, valueStart, valueEnd);
        else if (keyLength === 6 && text.startsWith('itemId', i + 1)) value = itemId = this.same(ITEM, this.itemId, text, valueStart, valueEnd);
        else if (keyLength === 5 && text.startsWith('delta', i + 1)) value = delta = decode(text, valueStart, valueEnd);
        else value = needsDecoding(text, valueStart, valueEnd) ? decode(text, valueStart, valueEnd) : ''; // (only checked)
        if (value === undefined) return false;
        i = valueEnd + 1;
        const c = text.charCodeAt(i);
        if (c === CLOSE) break;
        if (c !== COMMA) return false;
        i++;
      }
    }
    // params' "}", then the message's "}" (after app-server's `"emittedAtMs":<ms>`, when there), and nothing after.
    if (!endsMessage(text, i + 1)) return false;
    if (threadId === undefined || turnId === undefined || itemId === undefined || delta === undefined) return false;
    this.plainIds = this.nextPlainIds;
    this.stream = stream;
    this.threadId = threadId;
    this.turnId = turnId;
    this.itemId = itemId;
    this.delta = delta;
    return true;
  }

  private nextPlainIds = 0;

  /** `prev` when text[from, to) is exactly it and it was read without escapes, else that body's value (undefined when not valid JSON). */
  private same(bit: number, prev: string, text: string, from: number, to: number): string | undefined {
    this.nextPlainIds &= ~bit; // (a repeated key: the last one counts)
    if (this.plainIds & bit && prev.length === to - from && text.startsWith(prev, from)) {
      this.nextPlainIds |= bit;
      return prev;
    }
    if (needsDecoding(text, from, to)) return decode(text, from, to);
    this.nextPlainIds |= bit;
    return text.slice(from, to);
  }
}

const EMITTED_AT = ',"emittedAtMs":';
const ZERO = 48;
const NINE = 57;

/** `}` at `at` and nothing after, or `,"emittedAtMs":<integer>}` (JSON's integer: no leading zero). */
function endsMessage(text: string, at: number): boolean {
  if (text.charCodeAt(at) === CLOSE) return text.length === at + 1;
  if (!text.startsWith(EMITTED_AT, at)) return false;
  const start = at + EMITTED_AT.length;
  let j = start;
  while (j < text.length && text.charCodeAt(j) >= ZERO && text.charCodeAt(j) <= NINE) j++;
  const digits = j - start;
  if (digits === 0 || (digits > 1 && text.charCodeAt(start) === ZERO)) return false;
  return text.charCodeAt(j) === CLOSE && text.length === j + 1;
}

/** Index of the quote closing a JSON string whose body starts at `from` (one preceded by an even number of backslashes), or -1. */
function closingQuote(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q >= 0) {
    let slashes = 0;
    for (let b = q - 1; b >= from && text.charCodeAt(b) === BACKSLASH; b--) slashes++;
    if (slashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}

/** True when text[from, to) has an escape or a raw control character (not valid in a JSON string). */
function needsDecoding(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === BACKSLASH) return true;
  }
  return false;
}

/** The value of the JSON string body text[from, to), or undefined when it is not valid JSON. */
function decode(text: string, from: number, to: number): string | undefined {
  if (!needsDecoding(text, from, to)) return text.slice(from, to);
  try {
    return JSON.parse(text.slice(from - 1, to + 1)) as string;
  } catch {
    return undefined;
  }
}
