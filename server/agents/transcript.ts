/**
 * Agent transcripts. The source is the agent's rollout JSONL (path from the hooks' `transcript_path`).
 * We follow it as it grows and keep two files in the agent's directory:
 * - `transcript/raw.jsonl`: the rollout lines verbatim (survives the session being moved or deleted);
 * - `transcript/common.jsonl`: the common, agent-agnostic shape (as mngr uses): `user_message`,
 *   `assistant_message` (text and/or tool calls in `parts`), `tool_result` paired to its call by call id.
 * Codex's own context injections (environment context, AGENTS.md, developer messages) are left out.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { Emitter } from '../../sdk/emitter';

const PREVIEW_MAX = 200;
const OUTPUT_MAX = 4000;
const SOURCE = 'codex-fleet/codex';

export interface ToolCallPart {
  type: 'tool_call';
  tool_call_id: string;
  tool_name: string;
  input_preview: string;
}
export interface TextPart {
  type: 'text';
  content: string;
}
export interface UserMessageEvent {
  type: 'user_message';
  event_id: string;
  timestamp: string;
  source: string;
  role: 'user';
  content: string;
}
export interface AssistantMessageEvent {
  type: 'assistant_message';
  event_id: string;
  timestamp: string;
  source: string;
  role: 'assistant';
  text: string;
  tool_calls: Array<Omit<ToolCallPart, 'type'>>;
  parts: Array<TextPart | ToolCallPart>;
}
export interface ToolResultEvent {
  type: 'tool_result';
  event_id: string;
  timestamp: string;
  source: string;
  tool_call_id: string;
  tool_name: string;
  output: string;
  is_error: boolean;
}
export type CommonTranscriptEvent = UserMessageEvent | AssistantMessageEvent | ToolResultEvent;

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n)}…`;
}

function contentText(content: unknown, kind: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c) => (isRecord(c) && c.type === kind && typeof c.text === 'string' ? c.text : '')).join('');
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((o) => (isRecord(o) && typeof o.text === 'string' ? o.text : JSON.stringify(o))).join('');
  return JSON.stringify(output ?? '');
}

function isInjected(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('<environment_context>') || t.startsWith('<user_instructions>') || t.startsWith('<turn_aborted>') || (t.startsWith('# AGENTS.md instructions for ') && t.includes('<INSTRUCTIONS>'));
}

/** Rollout lines → common events. Incremental and stateful (pending calls); ids dedupe re-reads. */
export class TranscriptConverter {
  private readonly pending = new Map<string, { tool_name: string }>();
  private readonly seen = new Set<string>();
  private line = 0;

  constructor(private readonly prefix = 'r0') {}

  feed(text: string): CommonTranscriptEvent[] {
    this.line++;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return [];
    }
    if (!isRecord(raw) || raw.type !== 'response_item' || !isRecord(raw.payload)) return [];
    const p = raw.payload;
    const timestamp = typeof raw.timestamp === 'string' ? raw.timestamp : '';
    const baseId = typeof p.id === 'string' && p.id ? p.id : `${this.prefix}-line-${this.line}`;
    if (this.seen.has(baseId)) return [];
    this.seen.add(baseId);
    const common = { event_id: baseId, timestamp, source: SOURCE };
    switch (p.type) {
      case 'message': {
        if (p.role === 'user') {
          const content = contentText(p.content, 'input_text');
          if (!content || isInjected(content)) return [];
          return [{ ...common, type: 'user_message', role: 'user', content }];
        }
        if (p.role === 'assistant') {
          const t = contentText(p.content, 'output_text');
          return [{ ...common, type: 'assistant_message', role: 'assistant', text: t, tool_calls: [], parts: t ? [{ type: 'text', content: t }] : [] }];
        }
        return [];
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call': {
        const callId = typeof p.call_id === 'string' ? p.call_id : '';
        if (!callId) return [];
        const name = typeof p.name === 'string' ? (typeof p.namespace === 'string' ? `${p.namespace}.${p.name}` : p.name) : String(p.type);
        const input = p.type === 'custom_tool_call' ? p.input : p.type === 'local_shell_call' ? p.action : p.arguments;
        const call = { tool_call_id: callId, tool_name: name, input_preview: truncate(typeof input === 'string' ? input : JSON.stringify(input ?? ''), PREVIEW_MAX) };
        this.pending.set(callId, { tool_name: name });
        return [{ ...common, type: 'assistant_message', role: 'assistant', text: '', tool_calls: [call], parts: [{ type: 'tool_call', ...call }] }];
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const callId = typeof p.call_id === 'string' ? p.call_id : '';
        const call = this.pending.get(callId);
        if (!call) return [];
        this.pending.delete(callId);
        const output = outputText(p.output);
        const isError = /^(exec_command failed|apply_patch verification failed|unsupported call)/.test(output) || /rejected by user|aborted/.test(output.slice(0, 200));
        return [{ ...common, type: 'tool_result', tool_call_id: callId, tool_name: call.tool_name, output: truncate(output, OUTPUT_MAX), is_error: isError }];
      }
      default:
        return [];
    }
  }
}

export interface TranscriptUpdate {
  raw: number;
  common: number;
}

/**
 * Follows one rollout file at a time (a new session or a resumed one switches files; earlier
 * content stays in the copies) and appends to the copies.
 */
export class TranscriptFollower {
  readonly rawPath: string;
  readonly commonPath: string;
  private source: string | undefined;
  private offset = 0;
  private partial = '';
  private watcher: FSWatcher | undefined;
  private converter = new TranscriptConverter();
  private counts: TranscriptUpdate = { raw: 0, common: 0 };
  private readonly updated = new Emitter<TranscriptUpdate>();
  readonly onUpdate = this.updated.event;

  constructor(
    readonly dir: string,
    private readonly log: { warn(m: string): void },
  ) {
    mkdirSync(dir, { recursive: true });
    this.rawPath = join(dir, 'raw.jsonl');
    this.commonPath = join(dir, 'common.jsonl');
  }

  get following(): string | undefined {
    return this.source;
  }

  /** Follow `rollout` (no-op if already). With `rebuild`, the copies are recreated from it. */
  follow(rollout: string, rebuild = false): void {
    if (rollout === this.source && !rebuild) return;
    this.watcher?.close();
    this.watcher = undefined;
    // Rebuild only from a rollout that is there: a moved or deleted one leaves the copies as they are.
    if (rebuild && existsSync(rollout)) {
      writeFileSync(this.rawPath, '');
      writeFileSync(this.commonPath, '');
      this.counts = { raw: 0, common: 0 };
      this.converter = new TranscriptConverter();
    }
    this.source = rollout;
    this.offset = 0;
    this.partial = '';
    // A new file of the same conversation: keep the converter (pending calls, seen ids).
    this.watchSource();
  }

  private watchSource(): void {
    const src = this.source;
    if (!src) return;
    if (!existsSync(src)) {
      this.log.warn(`transcript: rollout ${src} does not exist (yet)`);
      return;
    }
    try {
      this.watcher = watch(src, { persistent: false }, () => this.poll());
      this.watcher.on('error', () => undefined);
    } catch (e) {
      this.log.warn(`transcript: cannot watch ${src}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.poll();
  }

  /** Read what was appended since the last read. */
  poll(): void {
    const src = this.source;
    if (!src) return;
    let fd: number;
    try {
      fd = openSync(src, 'r');
    } catch {
      return;
    }
    let text: string;
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) this.offset = 0; // truncated / replaced
      const len = size - this.offset;
      if (len <= 0) return;
      const buf = Buffer.alloc(len);
      const n = readSync(fd, buf, 0, len, this.offset);
      this.offset += n;
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const raw: string[] = [];
    const common: CommonTranscriptEvent[] = [];
    for (const l of lines) {
      if (!l.trim()) continue;
      raw.push(l);
      common.push(...this.converter.feed(l));
    }
    if (raw.length) appendFileSync(this.rawPath, raw.map((l) => `${l}\n`).join(''));
    if (common.length) appendFileSync(this.commonPath, common.map((e) => `${JSON.stringify(e)}\n`).join(''));
    if (raw.length || common.length) {
      this.counts = { raw: this.counts.raw + raw.length, common: this.counts.common + common.length };
      this.updated.fire(this.counts);
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** Read a transcript copy: entries from index `since` on. */
export function readTranscript(path: string, since = 0): { entries: unknown[]; next: number } {
  if (!existsSync(path)) return { entries: [], next: since };
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const entries: unknown[] = [];
  for (const l of lines.slice(since)) {
    try {
      entries.push(JSON.parse(l));
    } catch {
      // a torn last line: skip
    }
  }
  return { entries, next: lines.length };
}
