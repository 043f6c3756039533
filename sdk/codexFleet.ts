/**
 * `CodexFleet`: the programmable fleet. One object per workspace connection, built on
 * {@link FleetClient} (and so on the sidecar launcher): sessions, events, requests, account, agents
 * and remote skills.
 *
 *   const fleet = await CodexFleet.connect({ workspace: process.cwd() });
 *   const session = await fleet.sessions.create({ sandbox: 'read-only' });
 *   const { reply } = await session.sendAndWait('Summarise this repository');
 *   await fleet.close();
 */
import { version } from '../package.json';
import { FleetStatusRequest } from '../protocol/sidecarProtocol';
import type { FleetEvent, FleetEventKind, FleetEventOf, FleetStatus } from '../protocol/types';
import { FleetConnection, type ReconnectInfo, type ReconnectPolicy } from './connection';
import type { Disposable } from './emitter';
import { Emitter } from './emitter';
import { EventHub, type EventHandler, type EventMatcher, type EventStream, type FleetGap, type StreamOptions } from './events';
import type { FleetClient } from './fleetClient';
import type { LaunchOptions } from './launcher';
import { AccountApi, AgentsApi, RequestsApi } from './fleetApis';
import { SessionsApi } from './session';
import { SkillsApi } from './skills';

export interface CodexFleetOptions extends LaunchOptions {
  /** The workspace folder whose sidecar to use (started when none runs). */
  workspace: string;
  /** How this client appears to others (`request/ended.by`, the audit). Default `sdk`. */
  clientName?: string;
  /** Fail instead of starting a sidecar when none runs (default: start one). */
  autoStart?: boolean;
  /** Replay events after this seq at connect (e.g. the `fleet.lastSeq` a previous run saved). Default: from now. */
  sinceSeq?: number;
  /** Reconnect when the sidecar goes away (default on); `false` closes the fleet instead. */
  reconnect?: ReconnectPolicy | false;
  /** Events kept locally for `events({ sinceSeq })` (default 5000). */
  historySize?: number;
  /** Errors from event handlers and background work (default: printed to stderr). */
  onError?: (e: unknown) => void;
}

export class CodexFleet {
  readonly sessions: SessionsApi;
  readonly requests: RequestsApi;
  readonly account: AccountApi;
  readonly agents: AgentsApi;
  readonly skills: SkillsApi;
  private readonly gaps = new Emitter<FleetGap>();

  private constructor(
    private readonly conn: FleetConnection,
    private readonly hub: EventHub,
    reportError: (e: unknown) => void,
  ) {
    this.sessions = new SessionsApi(conn, hub);
    this.requests = new RequestsApi(conn);
    this.account = new AccountApi(conn);
    this.agents = new AgentsApi(conn);
    this.skills = new SkillsApi(conn, hub, reportError, this.sessions);
    conn.onReconnect((r) => r.gap && this.gaps.fire(r.gap));
  }

  /** Connect to the workspace's sidecar, starting it when none runs, and start receiving events. */
  static async connect(opts: CodexFleetOptions): Promise<CodexFleet> {
    const reportError = opts.onError ?? ((e: unknown) => console.error('codex-fleet sdk:', e));
    let hub: EventHub | undefined;
    const conn = await FleetConnection.open(
      { ...opts, clientName: opts.clientName ?? 'sdk', clientVersion: version },
      (start) => (hub = new EventHub(start, opts.historySize ?? 5000, reportError)),
      opts.reconnect ?? {},
      opts.sinceSeq,
    );
    return new CodexFleet(conn, hub!, reportError);
  }

  /** The sidecar's status when this connection was made; {@link status} asks again. */
  get info(): FleetStatus {
    return this.conn.status;
  }

  /** Sidecar, runtime, auth and counts, now. */
  status(): Promise<FleetStatus> {
    return this.conn.request(FleetStatusRequest);
  }

  /**
   * The raw typed connection, for protocol methods the SDK does not wrap
   * (`fleet.client.request(SessionsPin, …)`). Replaced after a reconnect: do not keep it.
   */
  get client(): FleetClient {
    return this.conn.current;
  }

  /**
   * Set when `connect({ sinceSeq })` could not replay everything after that seq: `sidecarRestarted`
   * (the seq belongs to an earlier sidecar; this one's events are all replayed, from seq 1) or
   * `dropped` (the sidecar's buffer had moved on). Re-read state then.
   */
  get resumeGap(): FleetGap | undefined {
    return this.conn.resumeGap;
  }

  /** The highest event seq delivered so far (save it to resume with `connect({ sinceSeq })`). */
  get lastSeq(): number {
    return this.hub.lastSeq;
  }

  /**
   * Call `handler` for every event matching an exact kind (`'request/pending'`, typed), a prefix
   * (`'turn/'`, `'item'`, `'*'`) or a predicate. A handler may be async; its errors go to `onError`.
   */
  on<K extends FleetEventKind>(kind: K, handler: EventHandler<FleetEventOf<K>>): Disposable;
  on(matcher: EventMatcher, handler: EventHandler): Disposable;
  on(matcher: EventMatcher, handler: EventHandler<never>): Disposable {
    return this.hub.on(matcher, handler as EventHandler);
  }

  /** Events as an async iterator: `for await (const e of fleet.events({ sessionId })) …`. Yields `sdk/gap` markers too. */
  events(opts: StreamOptions = {}): EventStream {
    return this.hub.stream(opts);
  }

  /** Resolve with the next event of `kind` matching `pred` (or one already delivered after `opts.sinceSeq`). */
  waitFor<K extends FleetEventKind>(kind: K, pred: (e: FleetEventOf<K>) => boolean = () => true, opts: { sinceSeq?: number } = {}): Promise<FleetEventOf<K>> {
    const matches = (e: FleetEvent): e is FleetEventOf<K> => e.kind === kind && pred(e as FleetEventOf<K>);
    return this.hub.waitFor(matches, opts.sinceSeq).promise;
  }

  /** Events may be missing (the fleet reconnected to a restarted sidecar, or its buffer had moved on): re-read state. */
  onGap(listener: (gap: FleetGap) => void): Disposable {
    return this.gaps.event(listener);
  }

  /** The fleet reconnected after losing the sidecar. */
  onReconnect(listener: (info: ReconnectInfo) => void): Disposable {
    return this.conn.onReconnect(listener);
  }

  /** The fleet closed for good (by {@link close}, a sidecar stopped on purpose, or reconnecting failed). */
  onClose(listener: (error: Error | undefined) => void): Disposable {
    return this.conn.onClose(listener);
  }

  get isClosed(): boolean {
    return this.conn.isClosed;
  }

  /** Stop answering skills, end event streams and close the connection; the sidecar keeps running. */
  async close(): Promise<void> {
    this.skills.close();
    this.conn.close();
    this.gaps.dispose();
  }
}
