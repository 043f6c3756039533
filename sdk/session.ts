/**
 * Sessions (Codex threads): `fleet.sessions.create / list / get / resume / fork / archive / rename`
 * give {@link Session} objects; a session sends, steers, queues, interrupts, and waits for a reply
 * with {@link Session.sendAndWait}, which rejects with a typed error when the turn fails or is
 * interrupted.
 */
import * as P from '../protocol/sidecarProtocol';
import type { DynamicToolSpec, QueuedMessage, SessionSummary, TurnControls, TurnOutcome } from '../protocol/types';
import type { FleetConnection } from './connection';
import { ConnectionLostError, TurnFailedError, TurnInterruptedError, TurnTimeoutError, ErrorCodes, FleetError } from './errors';
import type { EventHub, EventStream, StreamOptions } from './events';

export interface SendOptions {
  /** Local image files attached to the message. */
  images?: string[];
  /** Per-turn overrides (model, effort, approval policy, sandbox…). */
  controls?: TurnControls;
  /** When a turn is already running: `steer` it, `queue` for when it ends, or fail (default `error`). */
  whileRunning?: 'steer' | 'queue' | 'error';
}

export interface SendAndWaitOptions extends SendOptions {
  /** Give up waiting after this long (default 10 minutes): rejects with {@link TurnTimeoutError}. */
  timeoutMs?: number;
}

/** A completed turn. */
export interface TurnReply {
  turnId: string;
  status: Extract<TurnOutcome, 'completed'>;
  /** The model's final message ('' when it said nothing). */
  reply: string;
}

/** What `sessions.create` takes: turn controls plus where, what name, and remote skills (dynamic tools). */
export interface CreateSessionOptions extends TurnControls {
  cwd?: string;
  name?: string;
  /** Skills the model may call in this session (see `fleet.skills.define`), or raw dynamic tool specs. */
  skills?: ReadonlyArray<{ readonly spec: DynamicToolSpec } | DynamicToolSpec>;
}

export interface ListSessionsOptions {
  archived?: boolean;
  /** `workspace` (default): this workspace's sessions; `all`: every session in CODEX_HOME. */
  scope?: 'workspace' | 'all';
  /** At most this many (default: all). */
  limit?: number;
}

const DEFAULT_WAIT_MS = 10 * 60_000;

export class Session {
  constructor(
    private readonly conn: FleetConnection,
    private readonly hub: EventHub,
    /** The session as the sidecar last described it to this object. */
    public summary: SessionSummary,
  ) {}

  get id(): string {
    return this.summary.id;
  }

  get name(): string | undefined {
    return this.summary.name;
  }

  /** Send a message: starts a turn (or steers / queues per `whileRunning`). */
  send(text: string, opts: SendOptions = {}): Promise<P.SessionsSendResult> {
    return this.conn.request(P.SessionsSend, { sessionId: this.id, text, images: opts.images, controls: opts.controls, whileRunning: opts.whileRunning });
  }

  /** Add input to the turn in flight now. */
  steer(text: string, opts: { images?: string[] } = {}): Promise<{ turnId: string }> {
    return this.conn.request(P.SessionsSteer, { sessionId: this.id, text, images: opts.images });
  }

  /** Deliver when the current turn ends (at once if idle). */
  queue(text: string, opts: { images?: string[]; controls?: TurnControls } = {}): Promise<P.SessionsSendResult> {
    return this.conn.request(P.SessionsQueue, { sessionId: this.id, text, images: opts.images, controls: opts.controls });
  }

  /** Remove a queued message before delivery. */
  async unqueue(queuedId: string): Promise<QueuedMessage[]> {
    return (await this.conn.request(P.SessionsQueueRemove, { sessionId: this.id, queuedId })).queue;
  }

  /** Interrupt the turn in flight; resolves with its id. */
  async interrupt(): Promise<string> {
    return (await this.conn.request(P.SessionsInterrupt, { sessionId: this.id })).turnId;
  }

  /**
   * Send and wait for the turn to end. Resolves with the reply of a completed turn; rejects with
   * {@link TurnFailedError}, {@link TurnInterruptedError} or {@link TurnTimeoutError}. A queued
   * message is waited for through its delivery; a steered one through the turn it joined.
   */
  async sendAndWait(text: string, opts: SendAndWaitOptions = {}): Promise<TurnReply> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
    const deadline = Date.now() + timeoutMs;
    const since = this.hub.lastSeq;
    const sent = await this.send(text, opts);
    let turnId = sent.turnId;
    if (sent.delivery === 'queued' && sent.queued) {
      const queuedId = sent.queued.id;
      const wait = this.hub.waitFor((e) => e.kind === 'queue/updated' && e.delivered?.queuedId === queuedId, since);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), Math.max(0, deadline - Date.now()))));
      const delivered = await Promise.race([wait.promise, timeout]).finally(() => {
        clearTimeout(timer);
        wait.cancel();
      });
      if (delivered?.kind !== 'queue/updated' || !delivered.delivered) throw new TurnTimeoutError(this.id, `(queued ${queuedId})`, timeoutMs);
      turnId = delivered.delivered.turnId;
    }
    if (!turnId) throw new FleetError(ErrorCodes.Internal, `sessions/send gave no turn id (delivery ${sent.delivery})`);
    return this.waitTurn(turnId, { timeoutMs: Math.max(1, deadline - Date.now()) });
  }

  /** Wait for a turn of this session to end; same results and errors as {@link sendAndWait}. */
  async waitTurn(turnId: string, opts: { timeoutMs?: number } = {}): Promise<TurnReply> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
    for (let lost = 0; ; lost++) {
      try {
        const r = await this.conn.request(P.SessionsWaitTurn, { sessionId: this.id, turnId, timeoutMs });
        if (r.status === 'failed') throw new TurnFailedError(this.id, r.turnId, r.error, r.reply);
        if (r.status === 'interrupted') throw new TurnInterruptedError(this.id, r.turnId, r.reply);
        return { turnId: r.turnId, status: 'completed', reply: r.reply ?? '' };
      } catch (e) {
        if (FleetError.is(e, ErrorCodes.Timeout)) throw new TurnTimeoutError(this.id, turnId, timeoutMs);
        // The sidecar went away mid-wait: ask the one we reconnect to (a replacement takes the turn over).
        if (e instanceof ConnectionLostError && lost < 3) {
          await this.conn.whenReady();
          continue;
        }
        throw e;
      }
    }
  }

  /** The session with its turns (and items), the queue and pending requests. */
  async read(opts: { includeItems?: boolean } = {}): Promise<P.SessionsReadResult> {
    const r = await this.conn.request(P.SessionsRead, { sessionId: this.id, includeItems: opts.includeItems });
    this.summary = r.session;
    return r;
  }

  async rename(name: string): Promise<this> {
    this.summary = (await this.conn.request(P.SessionsRename, { sessionId: this.id, name })).session;
    return this;
  }

  async archive(): Promise<this> {
    this.summary = (await this.conn.request(P.SessionsArchive, { sessionId: this.id })).session;
    return this;
  }

  async unarchive(): Promise<this> {
    this.summary = (await this.conn.request(P.SessionsUnarchive, { sessionId: this.id })).session;
    return this;
  }

  /** A new session with this one's history (up to and including `lastTurnId` if given). */
  async fork(opts: { lastTurnId?: string; name?: string } = {}): Promise<Session> {
    const { session } = await this.conn.request(P.SessionsFork, { sessionId: this.id, ...opts });
    return new Session(this.conn, this.hub, session);
  }

  /** This session's events as an async iterator (see `fleet.events`). */
  events(opts: Omit<StreamOptions, 'sessionId'> = {}): EventStream {
    return this.hub.stream({ ...opts, sessionId: this.id });
  }
}

/** `fleet.sessions`. */
export class SessionsApi {
  constructor(
    private readonly conn: FleetConnection,
    private readonly hub: EventHub,
  ) {}

  /** Start a new session. `skills` become its dynamic tools (they cannot be changed later). */
  async create(opts: CreateSessionOptions = {}): Promise<Session> {
    const { skills, ...params } = opts;
    const dynamicTools = skills?.map((s) => ('spec' in s ? s.spec : s));
    const { session } = await this.conn.request(P.SessionsStart, { ...params, ...(dynamicTools?.length ? { dynamicTools } : {}) });
    return this.wrap(session);
  }

  /** Sessions newest first (every page, up to `limit`). */
  async list(opts: ListSessionsOptions = {}): Promise<Session[]> {
    const out: Session[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.conn.request(P.SessionsList, { archived: opts.archived, scope: opts.scope, cursor, limit: opts.limit });
      out.push(...page.data.map((s) => this.wrap(s)));
      cursor = page.nextCursor;
    } while (cursor && (opts.limit === undefined || out.length < opts.limit));
    return opts.limit === undefined ? out : out.slice(0, opts.limit);
  }

  /** One session by id (stored or loaded); rejects with FleetError SessionNotFound. */
  async get(sessionId: string): Promise<Session> {
    return this.wrap((await this.conn.request(P.SessionsRead, { sessionId, includeItems: false })).session);
  }

  /** Load a stored session into the runtime. */
  async resume(sessionId: string): Promise<Session> {
    return this.wrap((await this.conn.request(P.SessionsResume, { sessionId })).session);
  }

  async fork(sessionId: string, opts: { lastTurnId?: string; name?: string } = {}): Promise<Session> {
    return this.wrap((await this.conn.request(P.SessionsFork, { sessionId, ...opts })).session);
  }

  async archive(sessionId: string): Promise<Session> {
    return this.wrap((await this.conn.request(P.SessionsArchive, { sessionId })).session);
  }

  async rename(sessionId: string, name: string): Promise<Session> {
    return this.wrap((await this.conn.request(P.SessionsRename, { sessionId, name })).session);
  }

  /** Default controls for new sessions (persisted by the sidecar); `set` replaces them. */
  async defaults(set?: TurnControls): Promise<TurnControls> {
    return (await this.conn.request(P.SessionsDefaults, { set })).defaults;
  }

  private wrap(summary: SessionSummary): Session {
    return new Session(this.conn, this.hub, summary);
  }
}
