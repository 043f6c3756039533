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
import * as sse from './sse';

/** Env var named by the mock provider's `env_key`; tests set it to any value. */
export const MOCK_ENV_KEY = 'CODEX_FLEET_MOCK_KEY';

const TITLE_PROMPT = 'Generate a concise, single-line task title';
const TITLE_TEXT = 'Scripted task';
const DEFAULT_WAIT_MS = 20_000;

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

  constructor(readonly body: Record<string, unknown>) {
    this.input = Array.isArray(body.input) ? body.input : [];
    this.toolNames = collectToolNames(body.tools);
    // 0.169's title request: no tools, text.format json_schema "codex_output_schema", and a last
    // user message "Generate a concise, single-line task title ...\n\nUser prompt:\n<prompt>".
    this.isTitleRequest = this.lastUserText()?.trimStart().startsWith(TITLE_PROMPT) === true;
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

/** A value satisfying a (simple) JSON schema; strings are `TITLE_TEXT` cut to `maxLength`. */
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
    default: {
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : TITLE_TEXT.length;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return TITLE_TEXT.slice(0, max).padEnd(min, '.');
    }
  }
}

/** Title reply text: JSON matching `text.format.schema` when present, else `{"title":"Scripted task"}`. */
function titleReplyText(body: Record<string, unknown>): string {
  const format = isRecord(body.text) && isRecord(body.text.format) ? body.text.format : undefined;
  const sample = format && isRecord(format.schema) ? sampleFor(format.schema) : undefined;
  return JSON.stringify(isRecord(sample) && Object.keys(sample).length > 0 ? sample : { title: TITLE_TEXT });
}

/** A JSON string is a valid TOML basic string. */
const tomlString = (s: string): string => JSON.stringify(s);

/**
 * Settings for a quiet, fast, offline run: [table, key, TOML value] ('' = top level).
 * - check_for_update_on_startup: no release check.
 * - analytics.enabled: no analytics events.
 * - features.plugins / remote_plugin: no curated-plugin sync (git ls-remote + GitHub HTTP to
 *   github.com at app-server start) and no remote plugin catalog.
 * - features.unbounded_connection_retries: an unreachable model fails the turn at once instead of
 *   "Reconnecting... waiting for network" forever (request_max_retries = 0 does not stop that).
 */
const QUIET_DEFAULTS: ReadonlyArray<readonly [string, string, string]> = [
  ['', 'check_for_update_on_startup', 'false'],
  ['analytics', 'enabled', 'false'],
  ['features', 'plugins', 'false'],
  ['features', 'remote_plugin', 'false'],
  ['features', 'unbounded_connection_retries', 'false'],
];

function configToml(baseUrl: string, model: string, extraToml = ''): string {
  const extra = extraToml.split(/\r?\n/);
  const defaults: Array<readonly [string, string, string]> = [
    ['', 'model', tomlString(model)],
    ['', 'model_provider', '"mock"'],
    ...QUIET_DEFAULTS,
  ];
  const top: string[] = [];
  for (const [table, key, value] of defaults) {
    if (tomlDefines(extra, table ? `${table}.${key}` : key)) continue;
    const header = table ? extra.findIndex((l) => l.trim() === `[${table}]`) : -1;
    if (header >= 0) extra.splice(header + 1, 0, `${key} = ${value}`);
    else top.push(`${table ? `${table}.` : ''}${key} = ${value}`);
  }
  const provider = [
    '[model_providers.mock]',
    'name = "Codex Fleet scripted model"',
    `base_url = ${tomlString(baseUrl)}`,
    'wire_api = "responses"',
    `env_key = ${tomlString(MOCK_ENV_KEY)}`,
    'request_max_retries = 0',
    'stream_max_retries = 0',
  ];
  return [...top, '', ...extra, '', ...provider, ''].join('\n');
}

/** Whether TOML `lines` assign the dotted key `full` (bare keys, `[table]` headers, dotted keys). */
function tomlDefines(lines: string[], full: string): boolean {
  let table = '';
  for (const raw of lines) {
    const line = raw.trim();
    const header = /^\[([^[\]]+)\]$/.exec(line);
    if (header?.[1] !== undefined) table = header[1].replace(/\s/g, '');
    const assign = /^([\w.-]+(?:\s*\.\s*[\w-]+)*)\s*=/.exec(line);
    if (!header && assign?.[1] !== undefined && `${table ? `${table}.` : ''}${assign[1].replace(/\s/g, '')}` === full) {
      return true;
    }
  }
  return false;
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
  private readonly streams = new Set<sse.SseStream>();
  private closed: Promise<void> | undefined;

  private constructor(private readonly server: http.Server) {
    this.port = (server.address() as AddressInfo).port;
    this.baseUrl = `http://127.0.0.1:${this.port}/v1`;
    server.on('request', (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`[scriptedModel] ${req.method} ${req.url}: ${message}\n`);
        if (res.headersSent) res.end();
        else res.writeHead(500, { 'content-type': 'application/json' }).end(sse.errorBody(message));
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
    if (this.closed) return Promise.reject(new Error('ScriptedModel.waitForRequest: model is closed'));
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

  /**
   * Create `dir` and write a config.toml pointing Codex at this model, quiet and offline (see
   * QUIET_DEFAULTS). `extraToml` is merged in: its keys win over the defaults, and a table it opens
   * (e.g. `[features]`) receives the defaults it does not set, so no key or table is defined twice.
   */
  writeCodexHome(dir: string, opts: { model?: string; extraToml?: string } = {}): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.toml'), configToml(this.baseUrl, opts.model ?? 'mock-model', opts.extraToml));
  }

  /** End open streams (hanging ones included), reject pending waits, close the server. Idempotent. */
  close(): Promise<void> {
    if (this.closed) return this.closed;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('ScriptedModel closed while waiting for a request'));
    }
    this.waiters.clear();
    for (const s of this.streams) s.end();
    this.closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return this.closed;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const pathname = url.split('?')[0] ?? url;
    if (req.method === 'POST' && (pathname === '/v1/responses' || pathname === '/responses')) {
      const raw = await readBody(req);
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (!isRecord(parsed)) throw new Error('request body is not a JSON object');
      await this.onResponses(new RecordedRequest(parsed), raw.length, res);
      return;
    }
    req.resume();
    this.otherRequests.push({ method: req.method ?? '', url });
    if (process.env.SCRIPTED_MODEL_LOG) process.stderr.write(`[scriptedModel] unhandled ${req.method} ${url}\n`);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(sse.errorBody(`not found: ${pathname}`, 'invalid_request_error'));
  }

  private async onResponses(r: RecordedRequest, bodyBytes: number, res: http.ServerResponse): Promise<void> {
    this.requests.push(r);
    for (const w of this.waiters) {
      let matched: boolean;
      try {
        matched = w.pred(r);
      } catch (err) {
        matched = true; // settle this wait with the predicate's error instead of timing out
        w.reject(err instanceof Error ? err : new Error(String(err)));
      }
      if (!matched) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve(r);
    }
    let reply: Reply;
    if (r.isTitleRequest) reply = [{ type: 'message', text: titleReplyText(r.body) }];
    else reply = this.queue.shift() ?? (this.handler ? await this.handler(r) : [{ type: 'message', text: 'ok' }]);
    const model = typeof r.body.model === 'string' ? r.body.model : 'mock-model';
    await this.respond(res, reply, model, sse.estimateTokens(bodyBytes));
  }

  private async respond(res: http.ServerResponse, reply: Reply, model: string, inputTokens: number): Promise<void> {
    const first = reply[0];
    if (first?.type === 'fail') {
      res.writeHead(first.status ?? 500, { 'content-type': 'application/json' });
      res.end(sse.errorBody(first.message ?? 'scripted failure'));
      return;
    }
    const stream = new sse.SseStream(res);
    this.streams.add(stream);
    try {
      await sse.writeSteps(stream, reply, model, inputTokens);
    } finally {
      stream.end();
      this.streams.delete(stream);
    }
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
