/**
 * A {@link FleetClient} that comes back: when the sidecar goes away (killed, crashed, restarted by a
 * signal) it reconnects — starting a new sidecar if none runs — and resubscribes from the last seq
 * it delivered, reporting a gap when the sidecar could not replay everything. A sidecar stopped on
 * purpose (`fleet/stopping` with reason `requested`) is not restarted: the fleet closes.
 */
import type { RequestType, RequestType0 } from 'vscode-jsonrpc';
import { StoppingNotification } from '../protocol/sidecarProtocol';
import type { FleetEvent, FleetStatus } from '../protocol/types';
import type { Disposable } from './emitter';
import { Emitter } from './emitter';
import { ConnectionLostError, FleetClosedError, errorMessage } from './errors';
import type { EventHub, FleetGap } from './events';
import { FleetClient, type ConnectOptions } from './fleetClient';

export interface ReconnectPolicy {
  /** Attempts before giving up (default 8). */
  attempts?: number;
  /** Delay before the first retry, doubled each time up to 2 s (default 100 ms). */
  initialDelayMs?: number;
}

export interface ReconnectInfo {
  /** The sidecar's status on the new connection. */
  status: FleetStatus;
  /** Events the sidecar replayed on resubscribing (those emitted while the fleet was away). */
  replayed: number;
  /** The gap marker when events may be missing, else undefined (everything was replayed). */
  gap?: FleetGap;
}

export class FleetConnection {
  private client: FleetClient;
  private ready: Promise<FleetClient>;
  private closed = false;
  private closeReason: string | undefined;
  private stoppedOnPurpose = false;
  private reconnecting = false;
  private readonly reconnected = new Emitter<ReconnectInfo>();
  private readonly closedEmitter = new Emitter<Error | undefined>();
  private readonly subs: Disposable[] = [];

  private constructor(
    client: FleetClient,
    private readonly opts: ConnectOptions,
    private readonly hub: EventHub,
    private readonly policy: ReconnectPolicy | false,
  ) {
    this.client = client;
    this.ready = Promise.resolve(client);
    this.attach(client);
  }

  /**
   * Connect (starting the sidecar when none runs) and subscribe to every event after `sinceSeq`
   * (default: from now). A `sinceSeq` beyond the sidecar's last seq belongs to an earlier sidecar:
   * everything this one still buffers is replayed, and {@link resumeGap} says so.
   */
  static async open(opts: ConnectOptions, makeHub: (startSeq: number) => EventHub, policy: ReconnectPolicy | false, sinceSeq?: number): Promise<FleetConnection> {
    const client = await FleetClient.connect(opts);
    const restarted = sinceSeq !== undefined && sinceSeq > client.status.lastSeq;
    const from = sinceSeq === undefined ? client.status.lastSeq : restarted ? 0 : sinceSeq;
    const hub = makeHub(from);
    const conn = new FleetConnection(client, opts, hub, policy);
    try {
      const res = await client.subscribe({ sinceSeq: from });
      if (sinceSeq !== undefined && (restarted || res.gap)) {
        conn.resumeGap = { kind: 'sdk/gap', reason: restarted ? 'sidecarRestarted' : 'dropped', afterSeq: sinceSeq, time: Date.now() };
      }
    } catch (e) {
      client.close();
      throw e;
    }
    return conn;
  }

  /** Set when the `sinceSeq` given at connect could not be replayed in full. */
  resumeGap: FleetGap | undefined;

  /** The sidecar's status as of the current connection. */
  get status(): FleetStatus {
    return this.client.status;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The current raw connection (a new one after each reconnect). */
  get current(): FleetClient {
    return this.client;
  }

  /** Send a request once connected; while reconnecting it waits for the new connection. */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  async request<R>(type: RequestType0<R, void>): Promise<R>;
  async request<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, params?: P): Promise<R> {
    const client = await this.ready;
    if (this.closed) throw new FleetClosedError(this.closeReason ?? 'the fleet is closed');
    try {
      if (params === undefined) return await client.request(type as RequestType0<R, void>);
      return await client.request(type as RequestType<P, R, void>, params);
    } catch (e) {
      if (!client.isClosed) throw e;
      if (this.closed) throw new FleetClosedError(this.closeReason ?? 'the fleet is closed', { cause: e });
      throw new ConnectionLostError(`the connection to the sidecar was lost during ${type.method}: ${errorMessage(e)}`, { cause: e });
    }
  }

  /** Resolves once connected again after a loss (at once when connected). */
  whenReady(): Promise<FleetClient> {
    return this.ready;
  }

  readonly onReconnect = this.reconnected.event;
  /** Fires once when the fleet closes for good; with the error when reconnecting failed. */
  readonly onClose = this.closedEmitter.event;

  close(reason = 'the fleet was closed', error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.subs.forEach((s) => s.dispose());
    this.client.close();
    this.hub.close();
    this.closedEmitter.fire(error);
  }

  private attach(client: FleetClient): void {
    this.subs.forEach((s) => s.dispose());
    this.subs.length = 0;
    this.subs.push(client.onEvent((e: FleetEvent) => this.hub.push(e)));
    client.connection.onNotification(StoppingNotification, (p) => {
      if (p.reason === 'requested') this.stoppedOnPurpose = true;
    });
    this.subs.push(client.onClose(() => this.lost(client)));
  }

  private lost(client: FleetClient): void {
    if (this.closed || this.reconnecting || client !== this.client) return;
    if (this.stoppedOnPurpose || this.policy === false) {
      this.close(this.stoppedOnPurpose ? 'the sidecar was stopped (fleet/stop)' : 'the connection to the sidecar closed');
      return;
    }
    this.reconnecting = true;
    this.ready = this.reconnect().finally(() => (this.reconnecting = false));
    // A failed reconnect closes the fleet; requests waiting on `ready` see FleetClosedError.
    this.ready.catch(() => undefined);
  }

  private async reconnect(): Promise<FleetClient> {
    const policy = this.policy === false ? {} : this.policy;
    const attempts = policy.attempts ?? 8;
    let delay = policy.initialDelayMs ?? 100;
    const previous = this.client.status.sidecar.startedAt;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts && !this.closed; attempt++) {
      try {
        const client = await FleetClient.connect(this.opts);
        if (this.closed) {
          client.close();
          break;
        }
        const restarted = client.status.sidecar.startedAt !== previous;
        this.client = client;
        this.stoppedOnPurpose = false;
        this.attach(client);
        let gap: FleetGap | undefined;
        if (restarted) gap = this.hub.gap('sidecarRestarted', 0);
        const res = await client.subscribe({ sinceSeq: this.hub.lastSeq });
        if (!restarted && res.gap) gap = this.hub.gap('dropped');
        this.reconnected.fire({ status: client.status, replayed: res.replayed, gap });
        return client;
      } catch (e) {
        lastError = e;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
    const error = new FleetClosedError(`could not reconnect to the sidecar: ${errorMessage(lastError)}`, { cause: lastError });
    this.close(error.message, error);
    throw error;
  }
}
