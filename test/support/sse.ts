/**
 * Server-sent events for the scripted Responses API stand-in (`scriptedModel.ts`):
 * frame builders (each returns complete `event: <type>\ndata: <json>\n\n` frames in the shape
 * Codex 0.169 parses) and `writeSteps`, which renders a scripted `Reply` onto an `SseStream`.
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Reply, Step } from './scriptedModel';

/** A Responses API output item as it appears in `output_item.*` events and `response.output`. */
export type OutputItem = Record<string, unknown> & { readonly type: string; readonly id: string };

/** Token usage reported in `response.completed`. */
export interface Usage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

/** A fresh id such as `msg_3f9a…` (prefix + 24 hex chars from `crypto`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** One SSE frame; `data` carries `type` first, as the real API does. */
export function sseFrame(type: string, fields: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
}

/**
 * The constant parts of an `output_text.delta` frame, so a flood of deltas costs one
 * `JSON.stringify` of the delta text each: `prefix + JSON.stringify(delta) + suffix`.
 */
export function textDeltaFrameParts(itemId: string, outputIndex: number): { prefix: string; suffix: string } {
  const type = 'response.output_text.delta';
  const head = JSON.stringify({ type, item_id: itemId, output_index: outputIndex, content_index: 0 });
  return { prefix: `event: ${type}\ndata: ${head.slice(0, -1)},"delta":`, suffix: '}\n\n' };
}

export function textDeltaFrame(itemId: string, outputIndex: number, delta: string): string {
  const { prefix, suffix } = textDeltaFrameParts(itemId, outputIndex);
  return prefix + JSON.stringify(delta) + suffix;
}

export function responseCreated(responseId: string, model: string): string {
  return sseFrame('response.created', { response: responseObject(responseId, model, 'in_progress', [], undefined) });
}

export function outputItemAdded(outputIndex: number, item: OutputItem): string {
  return sseFrame('response.output_item.added', { output_index: outputIndex, item });
}

export function outputItemDone(outputIndex: number, item: OutputItem): string {
  return sseFrame('response.output_item.done', { output_index: outputIndex, item });
}

export function responseCompleted(responseId: string, model: string, output: OutputItem[], usage: Usage): string {
  return sseFrame('response.completed', { response: responseObject(responseId, model, 'completed', output, usage) });
}

/** Terminal failure event inside an already-started stream. */
export function responseFailed(responseId: string, model: string, message: string): string {
  const response = { ...responseObject(responseId, model, 'failed', [], undefined), error: { code: 'server_error', message } };
  return sseFrame('response.failed', { response });
}

function responseObject(
  id: string,
  model: string,
  status: string,
  output: OutputItem[],
  usage: Usage | undefined,
): Record<string, unknown> {
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model,
    output,
    usage: usage ?? null,
  };
}

// ---- assistant message --------------------------------------------------------------------

export function messageItem(id: string, text: string | undefined): OutputItem {
  const done = text !== undefined;
  return {
    type: 'message',
    id,
    role: 'assistant',
    status: done ? 'completed' : 'in_progress',
    content: done ? [{ type: 'output_text', text, annotations: [] }] : [],
  };
}

// Codex 0.169 ignores (logs "unhandled responses event" at trace level) content_part.added/done,
// output_text.done, reasoning_summary_part.done and function_call_arguments.delta/done, so these
// builders leave them out: fewer bytes, and no per-event work in Codex for nothing.

/** `output_item.added` for an assistant message about to stream text. */
export function messageStart(outputIndex: number, itemId: string): string {
  return outputItemAdded(outputIndex, messageItem(itemId, undefined));
}

/** `output_item.done` for a finished assistant message. */
export function messageEnd(outputIndex: number, itemId: string, text: string): string {
  return outputItemDone(outputIndex, messageItem(itemId, text));
}

// ---- reasoning ----------------------------------------------------------------------------

export function reasoningItem(id: string, summary: string | undefined): OutputItem {
  return {
    type: 'reasoning',
    id,
    summary: summary === undefined ? [] : [{ type: 'summary_text', text: summary }],
    content: null,
    encrypted_content: null,
  };
}

/** A whole reasoning item: added, one summary part streamed as deltas, done. */
export function reasoningFrames(outputIndex: number, itemId: string, summary: string, chunks: string[]): string {
  const base = { item_id: itemId, output_index: outputIndex, summary_index: 0 };
  let out = outputItemAdded(outputIndex, reasoningItem(itemId, undefined));
  out += sseFrame('response.reasoning_summary_part.added', { ...base, part: { type: 'summary_text', text: '' } });
  for (const delta of chunks) out += sseFrame('response.reasoning_summary_text.delta', { ...base, delta });
  out += sseFrame('response.reasoning_summary_text.done', { ...base, text: summary });
  return out + outputItemDone(outputIndex, reasoningItem(itemId, summary));
}

// ---- tool calls ---------------------------------------------------------------------------

/** A completed function call; `args` is the JSON text of the arguments. */
export function functionCallItem(id: string, callId: string, name: string, args: string): OutputItem {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status: 'completed' };
}

export function functionCallFrames(outputIndex: number, item: OutputItem): string {
  return outputItemAdded(outputIndex, { ...item, arguments: '', status: 'in_progress' }) + outputItemDone(outputIndex, item);
}

export function customToolCallItem(id: string, callId: string, name: string, input: string): OutputItem {
  return { type: 'custom_tool_call', id, call_id: callId, name, input, status: 'completed' };
}

export function customToolCallFrames(outputIndex: number, item: OutputItem): string {
  return outputItemAdded(outputIndex, { ...item, input: '', status: 'in_progress' }) + outputItemDone(outputIndex, item);
}

// ---- helpers ------------------------------------------------------------------------------

/** Split `text` into about `pieces` chunks (never empty chunks; at least one chunk). */
export function splitText(text: string, pieces = 3): string[] {
  const chars = Array.from(text); // code points: never split a surrogate pair
  if (chars.length <= 1) return [text];
  const size = Math.ceil(chars.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** Rough token estimate (4 chars per token), good enough for usage numbers. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

// ---- writing a scripted reply ---------------------------------------------------------------

const FLOOD_BATCH = 256;

/** One SSE response in progress, with backpressure and disconnect tracking. */
export class SseStream {
  closed = false;
  readonly whenClosed: Promise<void>;

  constructor(private readonly res: http.ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    this.whenClosed = new Promise((resolve) =>
      res.once('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  /** Write now; returns a promise only when the socket buffer is full (settles on drain or close). */
  send(chunk: string): Promise<void> | undefined {
    if (this.closed || this.res.write(chunk)) return undefined;
    return new Promise((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  /** End the response; later sends are dropped. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
  }
}

/** JSON error body for an HTTP-level failure. */
export function errorBody(message: string, type = 'server_error'): string {
  return JSON.stringify({ error: { message, type, code: null } });
}

/**
 * Render `reply` as one Responses API stream: `response.created`, each step's items, then
 * `response.completed` with usage (or `response.failed` for a `fail` step; nothing more after
 * `hang`, which waits until the stream is ended by `SseStream.end()` or the client).
 */
export async function writeSteps(stream: SseStream, reply: Reply, model: string, inputTokens: number): Promise<void> {
  const responseId = newId('resp');
  await stream.send(responseCreated(responseId, model));
  const output: OutputItem[] = [];
  let outChars = 0;
  let reasoningChars = 0;
  for (const step of reply) {
    if (stream.closed) return;
    const index = output.length;
    switch (step.type) {
      case 'message': {
        const id = newId('msg');
        let frames = messageStart(index, id);
        for (const c of step.chunks ?? splitText(step.text)) frames += textDeltaFrame(id, index, c);
        await stream.send(frames + messageEnd(index, id, step.text));
        output.push(messageItem(id, step.text));
        outChars += step.text.length;
        break;
      }
      case 'reasoning': {
        const id = newId('rs');
        await stream.send(reasoningFrames(index, id, step.summary, splitText(step.summary)));
        output.push(reasoningItem(id, step.summary));
        reasoningChars += step.summary.length;
        break;
      }
      case 'functionCall': {
        const args = typeof step.arguments === 'string' ? step.arguments : JSON.stringify(step.arguments);
        const item = functionCallItem(newId('fc'), step.callId ?? newId('call'), step.name, args);
        await stream.send(functionCallFrames(index, item));
        output.push(item);
        outChars += args.length;
        break;
      }
      case 'customToolCall': {
        const item = customToolCallItem(newId('ctc'), step.callId ?? newId('call'), step.name, step.input);
        await stream.send(customToolCallFrames(index, item));
        output.push(item);
        outChars += step.input.length;
        break;
      }
      case 'stream':
        output.push(await flood(stream, index, step));
        outChars += step.count;
        break;
      case 'hang':
        await stream.whenClosed;
        return;
      case 'fail':
        await stream.send(responseFailed(responseId, model, step.message ?? 'scripted failure'));
        return;
    }
  }
  const outputTokens = estimateTokens(outChars + reasoningChars);
  const usage: Usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoningChars > 0 ? estimateTokens(reasoningChars) : 0 },
    total_tokens: inputTokens + outputTokens,
  };
  await stream.send(responseCompleted(responseId, model, output, usage));
}

/**
 * The `stream` step: one assistant message of `count` deltas. Each delta is its own SSE frame;
 * with `intervalMs` 0 frames go out in batches of FLOOD_BATCH per write (honouring backpressure;
 * a stamp is then taken while its batch is built, well under a millisecond before the write),
 * otherwise one write per delta on a fixed schedule (start + i * intervalMs).
 */
async function flood(stream: SseStream, index: number, step: Extract<Step, { type: 'stream' }>): Promise<OutputItem> {
  const id = newId('msg');
  const { prefix, suffix } = textDeltaFrameParts(id, index);
  const plain = `${step.word ?? 'word'} `;
  const interval = step.intervalMs ?? 0;
  const stamps: string[] = [];
  const stamped = (): string => {
    const t = `${process.hrtime.bigint()} `;
    stamps.push(t);
    return prefix + JSON.stringify(t) + suffix;
  };
  await stream.send(messageStart(index, id));
  if (interval <= 0) {
    const plainFrame = prefix + JSON.stringify(plain) + suffix;
    for (let sent = 0; sent < step.count && !stream.closed; ) {
      const n = Math.min(FLOOD_BATCH, step.count - sent);
      let batch = '';
      if (step.stamp) for (let i = 0; i < n; i++) batch += stamped();
      else batch = plainFrame.repeat(n);
      sent += n;
      await stream.send(batch);
    }
  } else {
    const start = performance.now();
    for (let i = 0; i < step.count && !stream.closed; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await delay(wait);
      if (stream.closed) break;
      await stream.send(step.stamp ? stamped() : prefix + JSON.stringify(plain) + suffix);
    }
  }
  const text = step.stamp ? stamps.join('') : plain.repeat(step.count);
  await stream.send(messageEnd(index, id, text));
  return messageItem(id, text);
}
