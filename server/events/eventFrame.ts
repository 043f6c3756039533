/**
 * The bytes of a `fleet/event` notification, built once per event however many clients get it:
 * exactly what vscode-jsonrpc would write (`{"jsonrpc":"2.0","method":"fleet/event","params":…}`
 * with an LSP header), so clients see no difference. Streaming deltas, the hot path, skip the
 * generic JSON.stringify of the whole message: their fields are spliced into a fixed envelope, each
 * string escaped by JSON.stringify itself (same bytes, same key order as the event object).
 */
import { EventNotification } from '../../protocol/sidecarProtocol';
import type { FleetEvent, FleetEventOf } from '../../protocol/types';

const ENVELOPE = `{"jsonrpc":"2.0","method":${JSON.stringify(EventNotification.method)},"params":`;

/** The JSON-RPC message text of an event (no header). */
export function eventMessageJson(e: FleetEvent): string {
  if (e.kind === 'item/delta' && isPlainDelta(e)) return `${deltaHead(e)}${JSON.stringify(e.delta)},"seq":${e.seq},"time":${e.time}}}`;
  return `${ENVELOPE}${JSON.stringify(e)}}`;
}

/** The text up to the delta's value, kept for the last item seen (consecutive deltas share it). */
const head = { sessionId: '', turnId: '', itemId: '', stream: '', text: '' };

function deltaHead(e: FleetEventOf<'item/delta'>): string {
  if (e.itemId !== head.itemId || e.turnId !== head.turnId || e.sessionId !== head.sessionId || e.stream !== head.stream || !head.text) {
    head.text =
      `${ENVELOPE}{"kind":"item/delta","sessionId":${JSON.stringify(e.sessionId)},"turnId":${JSON.stringify(e.turnId)}` +
      `,"itemId":${JSON.stringify(e.itemId)},"stream":${JSON.stringify(e.stream)},"delta":`;
    head.sessionId = e.sessionId;
    head.turnId = e.turnId;
    head.itemId = e.itemId;
    head.stream = e.stream;
  }
  return head.text;
}

/**
 * A delta whose own keys are exactly those the splice writes, in that order, with string and
 * integer values (what the event bus builds). Anything else takes the generic path.
 */
function isPlainDelta(e: FleetEventOf<'item/delta'>): boolean {
  return (
    typeof e.sessionId === 'string' &&
    typeof e.turnId === 'string' &&
    typeof e.itemId === 'string' &&
    typeof e.stream === 'string' &&
    typeof e.delta === 'string' &&
    Number.isSafeInteger(e.seq) &&
    Number.isSafeInteger(e.time) &&
    sameKeys(e)
  );
}

const DELTA_KEYS = ['kind', 'sessionId', 'turnId', 'itemId', 'stream', 'delta', 'seq', 'time'];

function sameKeys(e: object): boolean {
  let i = 0;
  for (const k in e) {
    if (k !== DELTA_KEYS[i++]) return false;
  }
  return i === DELTA_KEYS.length;
}

/** An LSP frame (header + body) for a JSON message. */
export function lspFrame(json: string): string {
  return `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
}

/**
 * The frame of an event, remembered for the last event asked: the bus hands one event to every
 * client stream in turn, so each event is serialised once.
 */
export class EventFrames {
  private lastEvent: FleetEvent | undefined;
  private lastFrame = '';

  frame(e: FleetEvent): string {
    if (e !== this.lastEvent) {
      this.lastFrame = lspFrame(eventMessageJson(e));
      this.lastEvent = e;
    }
    return this.lastFrame;
  }
}
