/**
 * Server-sent-event builders for the scripted Responses API stand-in
 * (see `scriptedModel.ts`). Each builder returns one complete SSE frame
 * (`event: <type>\ndata: <json>\n\n`) in the shape Codex 0.169 parses.
 */
import { randomBytes } from 'node:crypto';

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

/** `output_item.added` + `content_part.added` for an assistant message about to stream text. */
export function messageStart(outputIndex: number, itemId: string): string {
  return (
    outputItemAdded(outputIndex, messageItem(itemId, undefined)) +
    sseFrame('response.content_part.added', {
      item_id: itemId,
      output_index: outputIndex,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    })
  );
}

/** `output_text.done` + `content_part.done` + `output_item.done` for a finished assistant message. */
export function messageEnd(outputIndex: number, itemId: string, text: string): string {
  const base = { item_id: itemId, output_index: outputIndex, content_index: 0 };
  return (
    sseFrame('response.output_text.done', { ...base, text }) +
    sseFrame('response.content_part.done', { ...base, part: { type: 'output_text', text, annotations: [] } }) +
    outputItemDone(outputIndex, messageItem(itemId, text))
  );
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
  out += sseFrame('response.reasoning_summary_part.done', { ...base, part: { type: 'summary_text', text: summary } });
  return out + outputItemDone(outputIndex, reasoningItem(itemId, summary));
}

// ---- tool calls ---------------------------------------------------------------------------

export function functionCallItem(id: string, callId: string, name: string, args: string, done: boolean): OutputItem {
  return {
    type: 'function_call',
    id,
    call_id: callId,
    name,
    arguments: done ? args : '',
    status: done ? 'completed' : 'in_progress',
  };
}

export function functionCallFrames(outputIndex: number, item: OutputItem & { arguments: string }): string {
  const pending = { ...item, arguments: '', status: 'in_progress' };
  return (
    outputItemAdded(outputIndex, pending) +
    sseFrame('response.function_call_arguments.delta', {
      item_id: item.id,
      output_index: outputIndex,
      delta: item.arguments,
    }) +
    sseFrame('response.function_call_arguments.done', {
      item_id: item.id,
      output_index: outputIndex,
      arguments: item.arguments,
    }) +
    outputItemDone(outputIndex, item)
  );
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
