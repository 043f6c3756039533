/**
 * The `sessions/*` operations over app-server threads: list (stored + loaded merged), start, read,
 * resume, fork, archive, rename, compact, interrupt, send / steer / queue, and turn waiting.
 * Queued follow-ups are persisted and delivered in order when a turn ends — also after a restart.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import type { AskForApproval, SandboxPolicy, Thread, UserInput } from '../../protocol/codex';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import type {
  MessageInput,
  SessionsListParams,
  SessionsListResult,
  SessionsReadResult,
  SessionsSendParams,
  SessionsSendResult,
  SessionsStartParams,
  SessionsWaitResult,
} from '../../protocol/sidecarProtocol';
import type { ApprovalPolicy, FleetEventBody, QueuedMessage, SessionSummary, TurnControls, TurnInfo } from '../../protocol/types';
import type { Logger } from '../logger';
import type { PendingRequests } from '../requests/pendingRequests';
import { AppServerError, type AppServerConnection } from '../runtime/appServerConnection';
import type { FleetStateStore } from '../store/fleetState';
import { Emitter, once } from '../../sdk/emitter';
import { validateControls } from './validation';
import { Limits } from '../../protocol/limits';
import { toSummary, type SessionRegistry, type TurnResult } from './sessionRegistry';

/** `cwd` is `root` or a folder inside it. */
function isInside(cwd: string, root: string): boolean {
  return cwd === root || cwd.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** How long restoring waits for Codex to re-send the request a resumed session is waiting on. */
const RESENT_REQUEST_WAIT_MS = 5000;

export interface SessionServiceDeps {
  workspace: string;
  registry: SessionRegistry;
  pending: PendingRequests;
  store: FleetStateStore;
  connection(): AppServerConnection | undefined;
  emit(body: FleetEventBody): void;
  log: Logger;
}

/** Map an app-server failure to a protocol error with a message a user can act on. */
export function codexError(e: unknown, sessionId?: string): FleetError {
  if (e instanceof FleetError) return e;
  if (e instanceof AppServerError) {
    if (/no rollout found|thread not found|thread not loaded|unknown thread|not found for thread|invalid (session|thread) id/i.test(e.message)) {
      return new FleetError(ErrorCodes.SessionNotFound, `no session ${sessionId ?? ''} (Codex: ${e.message})`.replace('  ', ' '));
    }
    if (/no active turn|expected active turn/i.test(e.message)) return new FleetError(ErrorCodes.TurnState, `Codex: ${e.message}`);
    if (e.code === -32099 || e.code === -32098) return new FleetError(ErrorCodes.RuntimeUnavailable, e.message);
    return new FleetError(ErrorCodes.CodexError, `Codex rejected ${e.method}: ${e.message}`);
  }
  return new FleetError(ErrorCodes.Internal, e instanceof Error ? e.message : String(e));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Codex 0.169 dropped `on-failure`; it is accepted for compatibility and means `on-request`. */
export function codexApprovalPolicy(p: ApprovalPolicy | undefined): AskForApproval | null {
  if (!p) return null;
  return p === 'on-failure' ? 'on-request' : p;
}

function sandboxPolicy(c: TurnControls, cwd: string): SandboxPolicy | undefined {
  switch (c.sandbox) {
    case 'read-only':
      return { type: 'readOnly', networkAccess: c.networkAccess ?? false };
    case 'workspace-write':
      return { type: 'workspaceWrite', writableRoots: [cwd], networkAccess: c.networkAccess ?? false, excludeTmpdirEnvVar: false, excludeSlashTmp: false };
    case 'danger-full-access':
      return { type: 'dangerFullAccess' };
    default:
      return undefined;
  }
}

export class SessionService {
  private readonly turnEndedEmitter = new Emitter<{ sessionId: string; result: TurnResult }>();
  private readonly delivering = new Set<string>();

  constructor(private readonly d: SessionServiceDeps) {}

  private conn(): AppServerConnection {
    const c = this.d.connection();
    if (!c) throw new FleetError(ErrorCodes.RuntimeUnavailable, 'the Codex runtime is not ready (see `codex-fleet status`); try again in a moment');
    return c;
  }

  summary(id: string): SessionSummary | undefined {
    const live = this.d.registry.get(id);
    if (!live) return undefined;
    return toSummary(live, { pinned: this.d.store.sessionMeta(id).pinned ?? false, queued: this.d.store.queueFor(id).length });
  }

  /** Emit `session/updated` with the current summary. */
  changed(id: string): void {
    const session = this.summary(id);
    if (session) this.d.emit({ kind: 'session/updated', session });
  }

  private remember(thread: Thread, opts: { loaded?: boolean; archived?: boolean }): SessionSummary {
    this.d.registry.upsert(thread, opts);
    this.changed(thread.id);
    return this.summary(thread.id)!;
  }

  async list(p: SessionsListParams): Promise<SessionsListResult> {
    const archived = p.archived ?? false;
    const limit = p.limit && p.limit > 0 ? Math.min(p.limit, 500) : 50;
    const inScope = p.scope === 'all' ? () => true : (cwd: string) => isInside(cwd, this.d.workspace);
    // Codex filters by exact cwd: the workspace plus the folders inside it that sessions we know use.
    const cwd = p.scope === 'all' ? null : [...new Set([this.d.workspace, ...this.d.registry.all().map((s) => s.thread.cwd).filter(inScope)])];
    let res;
    try {
      res = await this.conn().request('thread/list', { archived, cursor: p.cursor ?? null, limit, cwd });
    } catch (e) {
      throw codexError(e);
    }
    const seen = new Set<string>();
    const data: SessionSummary[] = [];
    for (const t of res.data) {
      seen.add(t.id);
      this.d.registry.upsert(t, { archived });
      data.push(this.summary(t.id)!);
    }
    if (!p.cursor) {
      // Loaded sessions with no rollout yet (no first turn) are not in Codex's stored list.
      for (const s of this.d.registry.loaded()) {
        if (!seen.has(s.thread.id) && s.archived === archived && !s.thread.ephemeral && !s.thread.parentThreadId && inScope(s.thread.cwd)) data.push(this.summary(s.thread.id)!);
      }
      data.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt);
    }
    return { data, nextCursor: res.nextCursor ?? undefined };
  }

  /** Read or replace the persisted defaults for new sessions. */
  defaults(set?: TurnControls): TurnControls {
    if (set !== undefined) {
      validateControls(set);
      this.d.store.setDefaults(set);
    }
    return this.d.store.state.defaults;
  }

  async start(params: SessionsStartParams): Promise<SessionSummary> {
    // Explicit params win over the persisted defaults.
    const p: SessionsStartParams = { ...this.d.store.state.defaults, ...stripUndefined(params) };
    validateControls(p);
    const cwd = p.cwd ? resolve(this.d.workspace, p.cwd) : this.d.workspace;
    if (!existsSync(cwd)) throw new FleetError(ErrorCodes.InvalidParams, `cwd ${cwd} does not exist`);
    const conn = this.conn();
    try {
      const res = await conn.request('thread/start', {
        cwd,
        model: p.model ?? null,
        approvalPolicy: codexApprovalPolicy(p.approvalPolicy),
        sandbox: p.sandbox ?? null,
        config: p.networkAccess !== undefined ? { 'sandbox_workspace_write.network_access': p.networkAccess } : null,
        dynamicTools: p.dynamicTools ?? null,
        ...(p.effort ? { config: { ...(p.networkAccess !== undefined ? { 'sandbox_workspace_write.network_access': p.networkAccess } : {}), model_reasoning_effort: p.effort } } : {}),
      });
      let thread = res.thread;
      if (p.name) {
        await conn.request('thread/name/set', { threadId: thread.id, name: p.name });
        thread = { ...thread, name: p.name };
      }
      return this.remember(thread, { loaded: true, archived: false });
    } catch (e) {
      throw codexError(e);
    }
  }

  async read(sessionId: string, includeItems = true): Promise<Omit<SessionsReadResult, 'lastSeq'>> {
    const conn = this.conn();
    let turns: TurnInfo[] = [];
    try {
      // Codex reads turns only with their items; without `includeItems` we still list the turns.
      const res = await conn.request('thread/read', { threadId: sessionId, includeTurns: true });
      this.d.registry.upsert(res.thread, {});
      const ms = (sec: number | null) => (sec === null ? null : sec * 1000);
      turns = res.thread.turns.map((t) => ({ id: t.id, status: t.status, items: includeItems ? t.items : [], error: t.error, startedAt: ms(t.startedAt), completedAt: ms(t.completedAt), durationMs: t.durationMs }));
    } catch (e) {
      // A loaded session before its first turn has no rollout yet: answer from what we know.
      if (!this.d.registry.get(sessionId)) throw codexError(e, sessionId);
    }
    const live = this.d.registry.get(sessionId)!;
    const active = live.activeTurnId;
    if (active && !turns.some((t) => t.id === active)) turns.push({ id: active, status: 'inProgress', items: includeItems ? [...live.items.values()] : [] });
    return { session: this.summary(sessionId)!, turns, queue: this.d.store.queueFor(sessionId), pending: this.d.pending.list(sessionId) };
  }

  /** Load a stored session into the runtime (no-op if loaded). */
  async resume(sessionId: string): Promise<SessionSummary> {
    const live = this.d.registry.get(sessionId);
    if (live?.loaded && this.d.connection()) return this.summary(sessionId)!;
    const wasRunning = live?.activeTurnId;
    try {
      const res = await this.conn().request('thread/resume', { threadId: sessionId });
      const summary = this.remember(res.thread, { loaded: true });
      // Resuming a session that is mid-turn (a runtime taken over from a sidecar that died).
      const running = res.thread.turns.findLast((t) => t.status === 'inProgress');
      if (wasRunning && wasRunning !== running?.id) {
        // The turn ended while we were not connected (a dropped connection to a live app-server).
        const status = res.thread.turns.find((t) => t.id === wasRunning)?.status;
        const result: TurnResult = { turnId: wasRunning, status: status === 'completed' || status === 'failed' ? status : 'interrupted' };
        this.d.registry.turnEnded(sessionId, result);
        this.d.emit({ kind: 'turn/completed', sessionId, turnId: wasRunning, status: result.status });
        this.turnEndedEmitter.fire({ sessionId, result });
      }
      if (running) {
        this.d.registry.turnStarted(sessionId, running.id);
        for (const item of running.items) this.d.registry.trackItem(sessionId, item);
        this.d.registry.setStatus(sessionId, res.thread.status);
        this.changed(sessionId);
        return this.summary(sessionId)!;
      }
      return summary;
    } catch (e) {
      throw codexError(e, sessionId);
    }
  }

  async fork(sessionId: string, lastTurnId?: string, name?: string): Promise<SessionSummary> {
    const conn = this.conn();
    try {
      const res = await conn.request('thread/fork', { threadId: sessionId, lastTurnId: lastTurnId ?? null });
      let thread = res.thread;
      if (name) {
        await conn.request('thread/name/set', { threadId: thread.id, name });
        thread = { ...thread, name };
      }
      return this.remember(thread, { loaded: true, archived: false });
    } catch (e) {
      throw codexError(e, sessionId);
    }
  }

  async archive(sessionId: string): Promise<SessionSummary> {
    await this.ensureKnown(sessionId);
    try {
      await this.conn().request('thread/archive', { threadId: sessionId });
    } catch (e) {
      throw codexError(e, sessionId);
    }
    this.d.pending.expire((r) => r.sessionId === sessionId, 'archived');
    const live = this.d.registry.get(sessionId)!;
    live.archived = true;
    this.changed(sessionId);
    return this.summary(sessionId)!;
  }

  async unarchive(sessionId: string): Promise<SessionSummary> {
    try {
      const res = await this.conn().request('thread/unarchive', { threadId: sessionId });
      return this.remember(res.thread, { archived: false });
    } catch (e) {
      throw codexError(e, sessionId);
    }
  }

  async rename(sessionId: string, name: string): Promise<SessionSummary> {
    if (typeof name !== 'string' || !name.trim()) throw new FleetError(ErrorCodes.InvalidParams, 'a session name must not be empty');
    await this.ensureKnown(sessionId);
    try {
      await this.conn().request('thread/name/set', { threadId: sessionId, name: name.trim() });
    } catch (e) {
      throw codexError(e, sessionId);
    }
    const live = this.d.registry.get(sessionId)!;
    live.thread = { ...live.thread, name: name.trim() };
    this.changed(sessionId);
    return this.summary(sessionId)!;
  }

  async pin(sessionId: string, pinned: boolean): Promise<SessionSummary> {
    await this.ensureKnown(sessionId);
    this.d.store.setPinned(sessionId, pinned);
    this.changed(sessionId);
    return this.summary(sessionId)!;
  }

  async compact(sessionId: string): Promise<void> {
    await this.resume(sessionId);
    try {
      await this.conn().request('thread/compact/start', { threadId: sessionId });
    } catch (e) {
      throw codexError(e, sessionId);
    }
  }

  async interrupt(sessionId: string): Promise<string> {
    await this.ensureKnown(sessionId);
    const turnId = this.d.registry.get(sessionId)?.activeTurnId;
    if (!turnId) throw new FleetError(ErrorCodes.TurnState, `session ${sessionId} has no turn running`);
    try {
      await this.conn().request('turn/interrupt', { threadId: sessionId, turnId });
    } catch (e) {
      throw codexError(e, sessionId);
    }
    return turnId;
  }

  /** Make sure we know the session (stored or loaded), else SessionNotFound. */
  private async ensureKnown(sessionId: string): Promise<void> {
    if (typeof sessionId !== 'string' || !sessionId) throw new FleetError(ErrorCodes.InvalidParams, 'sessionId is required');
    if (this.d.registry.get(sessionId)) return;
    try {
      const res = await this.conn().request('thread/read', { threadId: sessionId, includeTurns: false });
      this.d.registry.upsert(res.thread, {});
    } catch (e) {
      throw codexError(e, sessionId);
    }
  }

  private input(m: MessageInput): UserInput[] {
    if (typeof m.text !== 'string') throw new FleetError(ErrorCodes.InvalidParams, 'text is required');
    const input: UserInput[] = [];
    if (m.text) input.push({ type: 'text', text: m.text, text_elements: [] });
    for (const img of m.images ?? []) {
      const path = isAbsolute(img) ? img : resolve(this.d.workspace, img);
      if (!existsSync(path)) throw new FleetError(ErrorCodes.InvalidParams, `image ${path} does not exist`);
      input.push({ type: 'localImage', path });
    }
    if (input.length === 0) throw new FleetError(ErrorCodes.InvalidParams, 'a message needs text or an image');
    return input;
  }

  async send(p: SessionsSendParams, by: string): Promise<SessionsSendResult> {
    const input = this.input(p);
    if (p.controls) validateControls(p.controls);
    const mode = p.whileRunning ?? 'error';
    if (!['steer', 'queue', 'error'].includes(mode)) throw new FleetError(ErrorCodes.InvalidParams, `whileRunning must be steer, queue or error`);
    await this.resume(p.sessionId);
    const live = this.d.registry.get(p.sessionId)!;
    if (live.activeTurnId || this.delivering.has(p.sessionId)) {
      if (mode === 'steer') return { delivery: 'steered', turnId: await this.steerInput(p.sessionId, input) };
      if (mode === 'queue') return this.queue(p, by);
      throw new FleetError(ErrorCodes.TurnState, `session ${p.sessionId} is running a turn; steer it now or queue the message for when it ends`);
    }
    if (this.d.store.queueFor(p.sessionId).length > 0) {
      // Keep order: earlier queued follow-ups go first.
      return this.queue(p, by);
    }
    const turnId = await this.startTurn(p.sessionId, input, p.controls);
    return { delivery: 'started', turnId };
  }

  private async startTurn(sessionId: string, input: UserInput[], controls: TurnControls | undefined): Promise<string> {
    const live = this.d.registry.get(sessionId)!;
    const c = controls ?? {};
    try {
      const res = await this.conn().request('turn/start', {
        threadId: sessionId,
        input,
        model: c.model ?? null,
        effort: c.effort ?? null,
        approvalPolicy: codexApprovalPolicy(c.approvalPolicy),
        sandboxPolicy: sandboxPolicy(c, live.thread.cwd) ?? null,
        collaborationMode: c.collaborationMode
          ? { mode: c.collaborationMode, settings: { model: c.model ?? live.thread.model ?? '', reasoning_effort: null, developer_instructions: null } }
          : null,
      });
      if (!live.activeTurnId) this.d.registry.turnStarted(sessionId, res.turn.id);
      return res.turn.id;
    } catch (e) {
      throw codexError(e, sessionId);
    }
  }

  async steer(sessionId: string, m: MessageInput): Promise<string> {
    const input = this.input(m);
    await this.ensureKnown(sessionId);
    return this.steerInput(sessionId, input);
  }

  private async steerInput(sessionId: string, input: UserInput[]): Promise<string> {
    const turnId = this.d.registry.get(sessionId)?.activeTurnId;
    if (!turnId) throw new FleetError(ErrorCodes.TurnState, `session ${sessionId} has no turn running to steer; send the message instead`);
    try {
      const res = await this.conn().request('turn/steer', { threadId: sessionId, input, expectedTurnId: turnId });
      return res.turnId;
    } catch (e) {
      throw codexError(e, sessionId);
    }
  }

  async queue(p: { sessionId: string; controls?: TurnControls } & MessageInput, by: string): Promise<SessionsSendResult> {
    this.input(p); // validate now, not at delivery
    if (p.controls) validateControls(p.controls);
    await this.ensureKnown(p.sessionId);
    if (this.d.store.queueFor(p.sessionId).length >= Limits.maxQueuePerSession) {
      throw new FleetError(ErrorCodes.Conflict, `session ${p.sessionId} already has ${Limits.maxQueuePerSession} queued messages (the limit); wait for some to be delivered`);
    }
    const queued = this.d.store.enqueue({ sessionId: p.sessionId, text: p.text, images: p.images ?? [], controls: p.controls, queuedAt: Date.now(), by });
    this.queueChanged(p.sessionId);
    void this.deliverQueued(p.sessionId);
    return { delivery: 'queued', queued };
  }

  removeQueued(sessionId: string, queuedId: string): QueuedMessage[] {
    if (!this.d.store.dequeue(sessionId, queuedId)) {
      throw new FleetError(ErrorCodes.RequestNotFound, `no queued message ${queuedId} in session ${sessionId} (already delivered?)`);
    }
    this.queueChanged(sessionId);
    return this.d.store.queueFor(sessionId);
  }

  private queueChanged(sessionId: string, delivered?: { queuedId: string; turnId: string }): void {
    this.d.emit({ kind: 'queue/updated', sessionId, queue: this.d.store.queueFor(sessionId), delivered });
    this.changed(sessionId);
  }

  /**
   * Deliver the oldest queued follow-up if the session is idle. A message leaves the queue only
   * once Codex accepted the turn, so nothing is lost if the runtime is down.
   */
  async deliverQueued(sessionId: string): Promise<void> {
    const next = this.d.store.queueFor(sessionId)[0];
    if (!next || this.delivering.has(sessionId) || !this.d.connection()) return;
    this.delivering.add(sessionId);
    try {
      await this.resume(sessionId);
      if (this.d.registry.get(sessionId)?.activeTurnId) return;
      const input = this.input(next);
      const turnId = await this.startTurn(sessionId, input, next.controls);
      this.d.store.dequeue(sessionId, next.id);
      this.d.log.info(`delivered queued follow-up ${next.id} to ${sessionId} as turn ${turnId}`);
      this.queueChanged(sessionId, { queuedId: next.id, turnId });
    } catch (e) {
      this.d.log.warn(`could not deliver queued follow-up ${next.id} to ${sessionId}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.delivering.delete(sessionId);
    }
  }

  /** Called by the runtime event handler when a turn ends. */
  turnEnded(sessionId: string, turnId: string): void {
    const result = this.d.registry.result(sessionId, turnId);
    if (result) this.turnEndedEmitter.fire({ sessionId, result });
    void this.deliverQueued(sessionId);
  }

  async waitTurn(sessionId: string, turnId: string, timeoutMs = 10 * 60_000): Promise<SessionsWaitResult> {
    const done = this.d.registry.result(sessionId, turnId);
    if (done) return { ...done };
    const live = this.d.registry.get(sessionId);
    if (!live) throw new FleetError(ErrorCodes.SessionNotFound, `no session ${sessionId}`);
    if (live.activeTurnId !== turnId) throw new FleetError(ErrorCodes.TurnState, `turn ${turnId} is not running in session ${sessionId}`);
    try {
      const { result } = await once(this.turnEndedEmitter.event, (e) => e.sessionId === sessionId && e.result.turnId === turnId, timeoutMs);
      return { ...result };
    } catch {
      throw new FleetError(ErrorCodes.Timeout, `turn ${turnId} did not finish within ${Math.round(timeoutMs / 1000)} s (it is still running)`);
    }
  }

  /** The runtime died: turns in flight are reported interrupted (their requests expire separately). */
  runtimeLost(): string[] {
    const wasLoaded = this.d.registry.loaded().map((s) => s.thread.id);
    for (const { sessionId, turnId } of this.d.registry.runtimeLost()) {
      const result: TurnResult = { turnId, status: 'interrupted', error: 'the Codex runtime stopped during this turn' };
      this.d.registry.turnEnded(sessionId, result);
      this.d.emit({ kind: 'turn/completed', sessionId, turnId, status: 'interrupted', error: { message: result.error!, codexErrorInfo: null, additionalDetails: null, misalignment: null } });
      this.turnEndedEmitter.fire({ sessionId, result });
    }
    for (const id of wasLoaded) {
      const s = this.d.registry.get(id)!;
      s.loaded = false;
      s.activity = 'notLoaded';
      this.changed(id);
    }
    return wasLoaded;
  }

  /**
   * The connection to app-server dropped while its process lives: the sessions it had loaded are
   * resumed on the next connection (their turns go on); returns their ids.
   */
  connectionLost(): string[] {
    const wasLoaded = this.d.registry.loaded().map((s) => s.thread.id);
    for (const id of wasLoaded) this.d.registry.get(id)!.loaded = false;
    return wasLoaded;
  }

  /** After a (re)start: reload what was loaded and deliver persisted follow-ups. */
  async restore(sessionIds: string[]): Promise<void> {
    const queued = new Set(this.d.store.allQueued().map((q) => q.sessionId));
    for (const id of new Set([...sessionIds, ...queued])) {
      try {
        await this.resume(id);
        // Mid-turn and waiting on the user: Codex re-sends that request after the resume answer.
        // Restoring ends once it is held again, so an answer by its known id finds it.
        const status = this.d.registry.get(id)?.thread.status;
        if (status?.type === 'active' && status.activeFlags.length > 0) await this.d.pending.whenHeldFor(id, RESENT_REQUEST_WAIT_MS);
      } catch (e) {
        this.d.log.warn(`could not resume ${id} after restart: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (queued.has(id)) await this.deliverQueued(id);
    }
  }
}
