/**
 * Remote skills: functions in this process the model can call during a turn (Codex dynamic tools).
 * `fleet.skills.define({ name, description, input, output?, handler })` takes a zod 4 schema, which
 * becomes the tool's JSON Schema; from then on this fleet answers every `toolCall` request for that
 * name, on any session: the arguments are validated against the schema, the handler runs (several
 * calls at once run concurrently), and the result goes back as text/image content items —
 * `success:false` with the reason on invalid arguments, a throw or a timeout. Calls for tools this
 * fleet did not define are left for whoever did.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import type { DynamicToolCallOutputContentItem } from '../protocol/codex';
import * as P from '../protocol/sidecarProtocol';
import type { DynamicToolSpec, PendingRequest, ToolCallRequest } from '../protocol/types';
import type { FleetConnection } from './connection';
import type { Disposable } from './emitter';
import { ErrorCodes, FleetClosedError, FleetError, SkillCallError, SkillDefinitionError, errorMessage } from './errors';
import type { EventHub } from './events';
import type { CreateSessionOptions, SessionsApi } from './session';

export type ContentItem = DynamicToolCallOutputContentItem;

/** A handler's result when it is more than one text: text and image items for the model. */
export class SkillContent {
  constructor(readonly items: ContentItem[]) {}

  static text(text: string): SkillContent {
    return new SkillContent([{ type: 'inputText', text }]);
  }

  /** An image by URL (`https:` or a `data:` URL). */
  static image(imageUrl: string): SkillContent {
    return new SkillContent([{ type: 'inputImage', imageUrl }]);
  }

  /** A local PNG/JPEG/GIF/WebP file, sent inline as a data URL. */
  static imageFile(path: string): SkillContent {
    const mime = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' }[extname(path).toLowerCase()] ?? 'application/octet-stream';
    return SkillContent.image(`data:${mime};base64,${readFileSync(path).toString('base64')}`);
  }

  /** Several items in order (e.g. a caption and a screenshot). */
  static of(...parts: Array<SkillContent | string>): SkillContent {
    return new SkillContent(parts.flatMap((p) => (typeof p === 'string' ? [{ type: 'inputText' as const, text: p }] : p.items)));
  }
}

export interface SkillCallContext {
  sessionId: string;
  turnId?: string;
  callId: string;
  requestId: string;
  /** Aborted when the call timed out or the fleet closed. */
  signal: AbortSignal;
}

type Output<O> = O extends z.ZodType ? z.input<O> : unknown;

export interface SkillDefinition<I extends z.ZodType, O extends z.ZodType | undefined = undefined> {
  /** The tool name the model calls: letters, digits, `_` and `-`, at most 64. */
  name: string;
  description: string;
  /** Arguments schema (an object schema); its JSON Schema is what the model sees. */
  input: I;
  /** Result schema: shown to the model in the description ("Returns: …") and checked on return. */
  output?: O;
  /** A call still running after this long is answered `success:false` and its signal aborted (default 60 s). */
  timeoutMs?: number;
  /** The arguments, parsed by `input`. Return a string, a JSON value (sent as JSON) or {@link SkillContent}. */
  handler: (args: z.output<I>, ctx: SkillCallContext) => Output<O> | SkillContent | Promise<Output<O> | SkillContent>;
}

/** What one call did, for `fleet.skills.onCall` listeners (logging, tests). */
export interface SkillCallRecord {
  skill: string;
  request: ToolCallRequest;
  success: boolean;
  /** Why it failed, when it did. */
  error?: SkillCallError;
  /** The answer was refused because another client answered first or the turn ended. */
  lateAnswer?: boolean;
}

/** A defined skill: its dynamic-tool spec (pass it to `sessions.create({ skills })`) and a way to undefine it. */
export interface Skill extends Disposable {
  readonly name: string;
  readonly spec: DynamicToolSpec;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const DEFAULT_TIMEOUT_MS = 60_000;

interface Registered {
  skill: Skill;
  run(req: ToolCallRequest, signal: AbortSignal): Promise<ContentItem[]>;
  timeoutMs: number;
}

/** Build the dynamic-tool spec of a definition (the output schema goes into the description). */
export function skillSpec(def: { name: string; description: string; input: z.ZodType; output?: z.ZodType }): DynamicToolSpec {
  const inputSchema = jsonSchema(def.input, 'input');
  if (inputSchema.type !== 'object') throw new SkillDefinitionError(`skill ${def.name}: input must be an object schema (z.object({...}))`);
  const returns = def.output ? `\n\nReturns: ${JSON.stringify(jsonSchema(def.output, 'output'))}` : '';
  return { type: 'function', name: def.name, description: `${def.description}${returns}`, inputSchema };
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The JSON Schema of `schema` (without `$schema`), as plain JSON. `input`: what a caller may send
 * (fields with defaults are optional); `output`: what comes back.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): { [key: string]: Json } {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return JSON.parse(JSON.stringify(rest)) as { [key: string]: Json };
}

function toItems(value: unknown): ContentItem[] {
  if (value instanceof SkillContent) return value.items;
  if (typeof value === 'string') return [{ type: 'inputText', text: value }];
  return [{ type: 'inputText', text: value === undefined ? 'null' : JSON.stringify(value) }];
}

/** `fleet.skills`: defines skills and answers their calls. */
export class SkillsApi {
  private readonly skills = new Map<string, Registered>();
  /** Requests being handled or already answered by this fleet (a replay or re-list never runs one twice). */
  private readonly seen = new Set<string>();
  private readonly running = new Set<AbortController>();
  private readonly callListeners = new Set<(r: SkillCallRecord) => void>();
  private serving: Disposable[] = [];
  private closed = false;

  constructor(
    private readonly conn: FleetConnection,
    private readonly hub: EventHub,
    private readonly reportError: (e: unknown) => void,
    private readonly sessions: SessionsApi,
  ) {}

  /** Define a skill; this fleet answers its calls until `skill.dispose()` or `fleet.close()`. */
  define<I extends z.ZodType, O extends z.ZodType | undefined = undefined>(def: SkillDefinition<I, O>): Skill {
    if (this.closed) throw new FleetClosedError('the fleet is closed');
    if (!NAME.test(def.name)) throw new SkillDefinitionError(`skill name ${JSON.stringify(def.name)}: use letters, digits, _ and - (at most 64)`);
    if (this.skills.has(def.name)) throw new SkillDefinitionError(`a skill named ${def.name} is already defined in this fleet`);
    const skill: Skill = { name: def.name, spec: skillSpec(def), dispose: () => this.skills.delete(def.name) };
    const run = async (req: ToolCallRequest, signal: AbortSignal): Promise<ContentItem[]> => {
      const args = def.input.safeParse(req.arguments ?? {});
      if (!args.success) throw new SkillCallError(`invalid arguments for ${def.name}: ${z.prettifyError(args.error)}`, 'invalidArguments');
      let result: unknown;
      try {
        result = await def.handler(args.data, { sessionId: req.sessionId, turnId: req.turnId, callId: req.callId, requestId: req.id, signal });
      } catch (e) {
        throw new SkillCallError(`${def.name} failed: ${errorMessage(e)}`, 'threw', { cause: e });
      }
      if (def.output && !(result instanceof SkillContent)) {
        const checked = def.output.safeParse(result);
        if (!checked.success) throw new SkillCallError(`${def.name} returned an invalid result: ${z.prettifyError(checked.error)}`, 'invalidResult');
      }
      return toItems(result);
    };
    this.skills.set(def.name, { skill, run, timeoutMs: def.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    this.startServing();
    return skill;
  }

  /** Skills defined in this fleet. */
  list(): Skill[] {
    return [...this.skills.values()].map((r) => r.skill);
  }

  /** Called after every call this fleet answered (or tried to). */
  onCall(listener: (r: SkillCallRecord) => void): Disposable {
    this.callListeners.add(listener);
    return { dispose: () => this.callListeners.delete(listener) };
  }

  /**
   * Start a session with `skills`, send `prompt`, answer the skills' calls until the turn ends, and
   * return the reply (rejects like `session.sendAndWait`). Skills defined by other fleets can be
   * passed too: they are offered to the model, and answered by whoever defined them.
   */
  async run(prompt: string, opts: RunOptions): Promise<string> {
    const { timeoutMs, ...create } = opts;
    const session = await this.sessions.create(create);
    return (await session.sendAndWait(prompt, { timeoutMs })).reply;
  }

  /** Stop answering; calls in flight are aborted (their late answers are dropped). */
  close(): void {
    this.closed = true;
    this.serving.forEach((d) => d.dispose());
    this.serving = [];
    for (const c of [...this.running]) c.abort(new FleetClosedError('the fleet closed'));
  }

  private startServing(): void {
    if (this.serving.length > 0) return;
    this.serving.push(this.hub.on('request/pending', (e) => this.consider(e.request)));
    // Calls that were already waiting before we listened (or while we were reconnecting).
    this.serving.push(this.conn.onReconnect(() => void this.catchUp()));
    void this.catchUp();
  }

  private async catchUp(): Promise<void> {
    try {
      const { data } = await this.conn.request(P.RequestsList, {});
      for (const r of data) this.consider(r);
    } catch (e) {
      if (!this.conn.isClosed) this.reportError(e);
    }
  }

  private consider(r: PendingRequest): void {
    if (r.kind !== 'toolCall' || (r.namespace ?? null) !== null || this.seen.has(r.id)) return;
    const registered = this.skills.get(r.tool);
    if (!registered) return; // someone else's tool
    this.seen.add(r.id);
    void this.handle(registered, r);
  }

  private async handle(reg: Registered, req: ToolCallRequest): Promise<void> {
    const controller = new AbortController();
    this.running.add(controller);
    let timer: NodeJS.Timeout | undefined;
    // Ends the call early: at the timeout, or when the fleet closes (close() aborts the controller).
    const cutShort = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      timer = setTimeout(() => controller.abort(new SkillCallError(`${reg.skill.name} timed out after ${reg.timeoutMs} ms`, 'timedOut')), reg.timeoutMs);
    });
    let items: ContentItem[];
    let error: SkillCallError | undefined;
    try {
      items = await Promise.race([reg.run(req, controller.signal), cutShort]);
    } catch (e) {
      error = e instanceof SkillCallError ? e : new SkillCallError(errorMessage(e), 'threw', { cause: e });
      items = [{ type: 'inputText', text: error.message }];
    } finally {
      clearTimeout(timer);
      this.running.delete(controller);
    }
    if (this.closed) return; // nobody to answer to
    const record: SkillCallRecord = { skill: reg.skill.name, request: req, success: !error, error };
    try {
      await this.conn.request(P.RequestsAnswer, { requestId: req.id, answer: { type: 'toolResult', success: !error, contentItems: items } });
    } catch (e) {
      if (FleetError.is(e, ErrorCodes.AlreadyResolved) || FleetError.is(e, ErrorCodes.RequestNotFound)) record.lateAnswer = true;
      else if (!this.conn.isClosed) this.reportError(e);
    }
    for (const l of [...this.callListeners]) l(record);
  }
}

/** `fleet.skills.run` options: the skills to offer, plus the session's controls (model, sandbox…). */
export interface RunOptions extends Omit<CreateSessionOptions, 'skills'> {
  skills: NonNullable<CreateSessionOptions['skills']>;
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
}
