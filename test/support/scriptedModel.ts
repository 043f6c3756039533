/**
 * ScriptedModel: a loopback stand-in for the OpenAI Responses API that drives the REAL
 * `codex` binary in integration tests and benchmarks. Replies are scripted per request
 * (FIFO queue, then a handler, then a default "ok"); the TUI's title-generation requests are
 * answered automatically and never consume the queue. SSE frames are built in `./sse`.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as sse from './sse';

/** Env var named by the mock provider's `env_key`; tests set it to any value. */
export const MOCK_ENV_KEY = 'CODEX_FLEET_MOCK_KEY';

const TITLE_PROMPT = 'Generate a concise, single-line task title';
const TITLE_TEXT = 'Scripted task';
const DEFAULT_WAIT_MS = 20_000;
const FLOOD_BATCH = 256;

/** One POST /v1/responses request as Codex sent it. */
export interface ModelRequest {
  /** Parsed JSON body. */
  readonly body: Record<string, unknown>;
  /** `body.input` ([] if absent). */
  readonly input: unknown[];
  /** Names of offered tools; namespace members appear both as the namespace name and as "ns.member". */
  readonly toolNames: string[];
  /** The TUI's title-generation request (answered automatically, never consumes the queue). */
  readonly isTitleRequest: boolean;
  /** Text of the last user message in `input`. */
  lastUserText(): string | undefined;
  /** `function_call_output` / `custom_tool_call_output` items in `input`, output flattened to text. */
  functionOutputs(): Array<{ callId: string; output: string }>;
  /** `JSON.stringify(input)` contains `s`. */
  hasText(s: string): boolean;
}

export type Step =
  /** Assistant message streamed as `output_text` deltas (`chunks` default: the text in ~3 pieces). */
  | { type: 'message'; text: string; chunks?: string[] }
  /** Function call; `arguments` is JSON-encoded unless it is already a string (sent verbatim). */
  | { type: 'functionCall'; name: string; arguments: unknown; callId?: string }
  /** Custom (freeform) tool call, e.g. apply_patch. */
  | { type: 'customToolCall'; name: string; input: string; callId?: string }
  /** Reasoning item whose summary is streamed as `reasoning_summary_text` deltas. */
  | { type: 'reasoning'; summary: string }
  /**
   * Benchmark: one assistant message of `count` deltas, each `"${word} "` (word default "word"),
   * or with `stamp` each `"${process.hrtime.bigint()} "` taken just before the write.
   * `intervalMs` 0 (default) = as fast as the socket takes them.
   */
  | { type: 'stream'; count: number; intervalMs?: number; stamp?: boolean; word?: string }
  /** Keep the SSE open without completing (ended by close() or the client disconnecting). */
  | { type: 'hang' }
  /** As first step: HTTP error `status` (default 500). After other steps: a `response.failed` event. */
  | { type: 'fail'; status?: number; message?: string };
export type Reply = Step[];
export type Handler = (req: ModelRequest) => Reply | Promise<Reply>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a message `content` (string, or parts with `text`) or of a tool output. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? '' : JSON.stringify(content);
  return content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('');
}

function collectToolNames(tools: unknown): string[] {
  const names: string[] = [];
  if (!Array.isArray(tools)) return names;
  for (const t of tools) {
    if (!isRecord(t)) continue;
    const name = typeof t.name === 'string' ? t.name : typeof t.type === 'string' ? t.type : undefined;
    if (name === undefined) continue;
    names.push(name);
    if (t.type === 'namespace' && Array.isArray(t.tools)) {
      for (const member of t.tools) {
        if (isRecord(member) && typeof member.name === 'string') names.push(`${name}.${member.name}`);
      }
    }
  }
  return names;
}

class RecordedRequest implements ModelRequest {
  readonly input: unknown[];
  readonly toolNames: string[];
  readonly isTitleRequest: boolean;
  private inputJson: string | undefined;

  constructor(
    readonly body: Record<string, unknown>,
    /** Request headers (extra to the shared interface; e.g. `session_id`). */
    readonly headers: http.IncomingHttpHeaders,
  ) {
    this.input = Array.isArray(body.input) ? body.input : [];
    this.toolNames = collectToolNames(body.tools);
    const instructions = typeof body.instructions === 'string' ? body.instructions : '';
    this.isTitleRequest = instructions.includes(TITLE_PROMPT) || this.hasText(TITLE_PROMPT);
  }

  lastUserText(): string | undefined {
    for (let i = this.input.length - 1; i >= 0; i--) {
      const item = this.input[i];
      if (isRecord(item) && item.role === 'user' && (item.type === undefined || item.type === 'message')) {
        return contentText(item.content);
      }
    }
    return undefined;
  }

  functionOutputs(): Array<{ callId: string; output: string }> {
    const out: Array<{ callId: string; output: string }> = [];
    for (const item of this.input) {
      if (!isRecord(item)) continue;
      if (item.type !== 'function_call_output' && item.type !== 'custom_tool_call_output') continue;
      out.push({ callId: typeof item.call_id === 'string' ? item.call_id : '', output: contentText(item.output) });
    }
    return out;
  }

  hasText(s: string): boolean {
    this.inputJson ??= JSON.stringify(this.input);
    return this.inputJson.includes(s);
  }
}

/** A value satisfying a (simple) JSON schema; string fields become `TITLE_TEXT`. */
function sampleFor(schema: unknown): unknown {
  if (!isRecord(schema)) return TITLE_TEXT;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = isRecord(schema.properties) ? schema.properties : {};
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(props)) out[k] = sampleFor(v);
      return out;
    }
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return TITLE_TEXT;
  }
}

/** Title reply text: JSON matching `text.format.schema` when present, else `{"title":"Scripted task"}`. */
function titleReplyText(body: Record<string, unknown>): string {
  const format = isRecord(body.text) && isRecord(body.text.format) ? body.text.format : undefined;
  const sample = format && isRecord(format.schema) ? sampleFor(format.schema) : undefined;
  return JSON.stringify(isRecord(sample) && Object.keys(sample).length > 0 ? sample : { title: TITLE_TEXT });
}

/** One SSE response in progress, with backpressure and disconnect tracking. */
class SseStream {
  closed = false;
  readonly whenClosed: Promise<void>;

  constructor(readonly res: http.ServerResponse) {
    this.whenClosed = new Promise((resolve) =>
      res.once('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  /** Write now; resolves at once unless the socket buffer is full (then on drain or close). */
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

  end(): void {
    if (!this.closed && !this.res.writableEnded) this.res.end();
  }
}

interface Waiter {
  readonly pred: (r: ModelRequest) => boolean;
  readonly resolve: (r: ModelRequest) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class ScriptedModel {
  readonly requests: ModelRequest[] = [];
  /** Requests to any other path (method + url), in order; answered 404. */
  readonly otherRequests: Array<{ method: string; url: string }> = [];
  readonly port: number;
  readonly baseUrl: string;
  private readonly queue: Reply[] = [];
  private handler: Handler | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly streams = new Set<SseStream>();
  private closing = false;

  private constructor(private readonly server: http.Server) {
    this.port = (server.address() as AddressInfo).port;
    this.baseUrl = `http://127.0.0.1:${this.port}/v1`;
    server.on('request', (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`[scriptedModel] ${req.method} ${req.url}: ${message}\n`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        if (!res.writableEnded) res.end(JSON.stringify({ error: { message, type: 'server_error', code: null } }));
      });
    });
  }

  /** Listen on 127.0.0.1 with an ephemeral port. */
  static async start(): Promise<ScriptedModel> {
    const server = http.createServer({ noDelay: true, keepAliveTimeout: 60_000 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new ScriptedModel(server);
  }

  /** Replies for the next non-title requests, first in first out. */
  enqueue(...replies: Reply[]): void {
    this.queue.push(...replies);
  }

  /** Used when the queue is empty; `undefined` restores the default `[{type:'message', text:'ok'}]`. */
  setHandler(h: Handler | undefined): void {
    this.handler = h;
  }

  /** First request (already received or arriving later) matching `pred`; rejects after `timeoutMs`. */
  waitForRequest(pred: (r: ModelRequest) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<ModelRequest> {
    const found = this.requests.find(pred);
    if (found) return Promise.resolve(found);
    if (this.closing) return Promise.reject(new Error('ScriptedModel.waitForRequest: model is closed'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.requests.map((r) => JSON.stringify(r.lastUserText() ?? '').slice(0, 60)).join(', ');
          reject(
            new Error(
              `ScriptedModel.waitForRequest: no matching request within ${timeoutMs} ms ` +
                `(${this.requests.length} received; last user texts: [${seen}])`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Create `dir` and write a config.toml pointing Codex at this model, quiet and offline. */
  writeCodexHome(dir: string, opts: { model?: string; extraToml?: string } = {}): void {
    fs.mkdirSync(dir, { recursive: true });
    const q = (s: string): string => JSON.stringify(s); // a JSON string is a valid TOML basic string
    const lines = [
      `model = ${q(opts.model ?? 'mock-model')}`,
      'model_provider = "mock"',
      'check_for_update_on_startup = false',
      '',
      // extraToml goes here so its top-level keys stay top-level; it must not redefine keys below.
      opts.extraToml ?? '',
      '',
      '[analytics]',
      'enabled = false',
      '',
      '[model_providers.mock]',
      'name = "Codex Fleet scripted model"',
      `base_url = ${q(this.baseUrl)}`,
      'wire_api = "responses"',
      `env_key = ${q(MOCK_ENV_KEY)}`,
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ];
    fs.writeFileSync(path.join(dir, 'config.toml'), lines.join('\n'));
  }

  /** End open streams (hanging ones included), reject pending waits, close the server. */
  async close(): Promise<void> {
    this.closing = true;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('ScriptedModel closed while waiting for a request'));
    }
    this.waiters.clear();
    for (const s of this.streams) s.end();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0] ?? url;
    if (req.method === 'POST' && (pathname === '/v1/responses' || pathname === '/responses')) {
      const raw = await readBody(req);
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (!isRecord(parsed)) throw new Error('request body is not a JSON object');
      await this.onResponses(new RecordedRequest(parsed, req.headers), raw.length, res);
      return;
    }
    req.resume();
    this.otherRequests.push({ method: req.method ?? '', url });
    if (process.env.SCRIPTED_MODEL_LOG) process.stderr.write(`[scriptedModel] unhandled ${req.method} ${url}\n`);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `not found: ${pathname}`, type: 'invalid_request_error', code: null } }));
  }

  private async onResponses(r: RecordedRequest, bodyBytes: number, res: http.ServerResponse): Promise<void> {
    this.requests.push(r);
    for (const w of this.waiters) {
      if (!w.pred(r)) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve(r);
    }
    let reply: Reply;
    if (r.isTitleRequest) reply = [{ type: 'message', text: titleReplyText(r.body) }];
    else reply = this.queue.shift() ?? (this.handler ? await this.handler(r) : [{ type: 'message', text: 'ok' }]);
    const model = typeof r.body.model === 'string' ? r.body.model : 'mock-model';
    await this.respond(res, reply, model, bodyBytes);
  }

  private async respond(res: http.ServerResponse, reply: Reply, model: string, bodyBytes: number): Promise<void> {
    const first = reply[0];
    if (first?.type === 'fail') {
      const message = first.message ?? 'scripted failure';
      res.writeHead(first.status ?? 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type: 'server_error', code: null } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const stream = new SseStream(res);
    this.streams.add(stream);
    try {
      const responseId = sse.newId('resp');
      await stream.send(sse.responseCreated(responseId, model));
      const output: sse.OutputItem[] = [];
      let outChars = 0;
      let reasoningChars = 0;
      for (const step of reply) {
        if (stream.closed || this.closing) return;
        const index = output.length;
        switch (step.type) {
          case 'message': {
            const id = sse.newId('msg');
            const chunks = step.chunks ?? sse.splitText(step.text);
            let frames = sse.messageStart(index, id);
            for (const c of chunks) frames += sse.textDeltaFrame(id, index, c);
            await stream.send(frames + sse.messageEnd(index, id, step.text));
            output.push(sse.messageItem(id, step.text));
            outChars += step.text.length;
            break;
          }
          case 'reasoning': {
            const id = sse.newId('rs');
            await stream.send(sse.reasoningFrames(index, id, step.summary, sse.splitText(step.summary)));
            output.push(sse.reasoningItem(id, step.summary));
            reasoningChars += step.summary.length;
            break;
          }
          case 'functionCall': {
            const args = typeof step.arguments === 'string' ? step.arguments : JSON.stringify(step.arguments);
            const item = sse.functionCallItem(sse.newId('fc'), step.callId ?? sse.newId('call'), step.name, args, true);
            await stream.send(sse.functionCallFrames(index, { ...item, arguments: args }));
            output.push(item);
            outChars += args.length;
            break;
          }
          case 'customToolCall': {
            const item = sse.customToolCallItem(sse.newId('ctc'), step.callId ?? sse.newId('call'), step.name, step.input);
            await stream.send(sse.customToolCallFrames(index, item));
            output.push(item);
            outChars += step.input.length;
            break;
          }
          case 'stream': {
            const item = await this.flood(stream, index, step);
            output.push(item);
            outChars += step.count;
            break;
          }
          case 'hang':
            await stream.whenClosed; // close() or the client ends it
            return;
          case 'fail':
            await stream.send(sse.responseFailed(responseId, model, step.message ?? 'scripted failure'));
            return;
        }
      }
      const outTokens = sse.estimateTokens(outChars + reasoningChars);
      const reasoningTokens = reasoningChars > 0 ? sse.estimateTokens(reasoningChars) : 0;
      const inTokens = sse.estimateTokens(bodyBytes);
      const usage: sse.Usage = {
        input_tokens: inTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: outTokens,
        output_tokens_details: { reasoning_tokens: reasoningTokens },
        total_tokens: inTokens + outTokens,
      };
      await stream.send(sse.responseCompleted(responseId, model, output, usage));
    } finally {
      stream.end();
      this.streams.delete(stream);
    }
  }

  /** The `stream` step: one assistant message of `count` deltas, written cheaply. */
  private async flood(stream: SseStream, index: number, step: Extract<Step, { type: 'stream' }>): Promise<sse.OutputItem> {
    const id = sse.newId('msg');
    const { prefix, suffix } = sse.textDeltaFrameParts(id, index);
    const plain = `${step.word ?? 'word'} `;
    const interval = step.intervalMs ?? 0;
    const stamped: string[] = [];
    const deltaText = (): string => {
      if (!step.stamp) return plain;
      const t = `${process.hrtime.bigint()} `;
      stamped.push(t);
      return t;
    };
    await stream.send(sse.messageStart(index, id));
    if (interval <= 0) {
      const plainFrame = prefix + JSON.stringify(plain) + suffix;
      for (let sent = 0; sent < step.count && !stream.closed; ) {
        const n = Math.min(FLOOD_BATCH, step.count - sent);
        let batch = '';
        if (step.stamp) for (let i = 0; i < n; i++) batch += prefix + JSON.stringify(deltaText()) + suffix;
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
        await stream.send(prefix + JSON.stringify(deltaText()) + suffix);
      }
    }
    const text = step.stamp ? stamped.join('') : plain.repeat(step.count);
    await stream.send(sse.messageEnd(index, id, text));
    return sse.messageItem(id, text);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
