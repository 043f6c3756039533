/**
 * The TypeScript SDK: a typed connection to a workspace's sidecar. The CLI is built on it;
 * scripts and tests use it directly.
 *
 *   const fleet = await FleetClient.connect({ workspace: process.cwd(), clientName: 'my-script' });
 *   const { session } = await fleet.request(SessionsStart, {});
 *   fleet.onEvent((e) => console.log(e.seq, e.kind));
 */
import type { Socket } from 'node:net';
import type { Disposable } from '../shared/disposable';
import {
  createMessageConnection,
  type MessageConnection,
  type NotificationType,
  type RequestType,
  type RequestType0,
} from 'vscode-jsonrpc/node';
import { SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import { FleetError, ErrorCodes } from '../protocol/errors';
import {
  EventNotification,
  EventsSubscribe,
  Initialize,
  LogNotification,
  type LogMessage,
  type SubscribeParams,
  type SubscribeResult,
} from '../protocol/sidecarProtocol';
import type { FleetEvent, FleetStatus } from '../protocol/types';
import { connectOrStart, connectPrivate, type LaunchOptions } from './launcher';
import { statePaths, type StatePaths } from './stateDir';

export interface ConnectOptions extends LaunchOptions {
  clientName: string;
  clientVersion?: string;
  /** Start the sidecar when none runs (default true). */
  autoStart?: boolean;
  /** Receive the sidecar's log lines. */
  logs?: boolean;
}

export type { Disposable };

export class FleetClient {
  private readonly eventListeners = new Set<(e: FleetEvent) => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly logListeners = new Set<(m: LogMessage) => void>();
  private closed = false;
  /** Highest seq seen on this connection. */
  lastSeq = 0;

  private constructor(
    readonly connection: MessageConnection,
    readonly socket: Socket,
    readonly paths: StatePaths,
    readonly status: FleetStatus,
    readonly started: boolean,
  ) {
    connection.onNotification(EventNotification, (e) => {
      if (e.seq > this.lastSeq) this.lastSeq = e.seq;
      for (const l of [...this.eventListeners]) l(e);
    });
    connection.onNotification(LogNotification, (m) => this.logListeners.forEach((l) => l(m)));
    connection.onClose(() => this.markClosed());
    socket.on('close', () => this.markClosed());
  }

  static async connect(opts: ConnectOptions): Promise<FleetClient> {
    // A sidecar that is dying can still have our connection queued on its socket (the kernel accepts
    // it into the backlog) and then never answer, or drop it: try again, which starts a fresh
    // sidecar once that one is gone.
    for (let attempt = 1; ; attempt++) {
      try {
        return await FleetClient.connectOnce(opts);
      } catch (e) {
        const transient = /EPIPE|ECONNRESET|closed|went away|did not answer initialize/i.test(String((e as Error).message));
        if (opts.autoStart === false || !transient || attempt >= 3) throw e;
      }
    }
  }

  private static async connectOnce(opts: ConnectOptions): Promise<FleetClient> {
    let socket: Socket;
    let paths: StatePaths;
    let started = false;
    if (opts.autoStart === false) {
      paths = statePaths(opts.workspace, opts.env);
      try {
        socket = await connectPrivate(paths);
      } catch (e) {
        if (FleetError.is(e, ErrorCodes.UnsafeStateDir)) throw e;
        throw new FleetError(ErrorCodes.RuntimeUnavailable, `no sidecar is running for ${paths.workspace}`);
      }
    } else {
      ({ socket, paths, started } = await connectOrStart(opts));
    }
    const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    connection.listen();
    let init;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new FleetError(ErrorCodes.Timeout, `the sidecar at ${paths.socketPath} did not answer initialize within 5 s`)), 5_000);
      });
      init = await Promise.race([timeout, connection.sendRequest(Initialize, {
        processId: process.pid,
        clientInfo: { name: opts.clientName, version: opts.clientVersion },
        capabilities: {},
        initializationOptions: { logs: opts.logs ?? false },
      })]);
    } catch (e) {
      connection.dispose();
      socket.destroy();
      throw FleetError.from(e);
    } finally {
      clearTimeout(timer);
    }
    return new FleetClient(connection, socket, paths, init.status, started);
  }

  onLog(listener: (m: LogMessage) => void): Disposable {
    this.logListeners.add(listener);
    return { dispose: () => this.logListeners.delete(listener) };
  }

  /** Send a request; protocol errors come back as {@link FleetError}. */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  async request<R>(type: RequestType0<R, void>): Promise<R>;
  async request<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, params?: P): Promise<R> {
    if (this.closed) throw new FleetError(ErrorCodes.RuntimeUnavailable, 'the connection to the sidecar is closed');
    try {
      if (params === undefined) return await this.connection.sendRequest(type as RequestType0<R, void>);
      return await this.connection.sendRequest(type as RequestType<P, R, void>, params);
    } catch (e) {
      throw FleetError.from(e);
    }
  }

  notify<P>(type: NotificationType<P>, params: P): void {
    void this.connection.sendNotification(type, params);
  }

  /** Set the event filter and start receiving events (replaying from `sinceSeq` if given). */
  subscribe(params: SubscribeParams = {}): Promise<SubscribeResult> {
    return this.request(EventsSubscribe, params);
  }

  onEvent(listener: (e: FleetEvent) => void): Disposable {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  /** Resolve with the first event (already seen after this call) matching `pred`. */
  waitForEvent<E extends FleetEvent = FleetEvent>(pred: (e: FleetEvent) => e is E, timeoutMs?: number): Promise<E>;
  waitForEvent(pred: (e: FleetEvent) => boolean, timeoutMs?: number): Promise<FleetEvent>;
  waitForEvent(pred: (e: FleetEvent) => boolean, timeoutMs = 30000): Promise<FleetEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        closeSub.dispose();
        reject(new FleetError(ErrorCodes.Timeout, `no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
      const sub = this.onEvent((e) => {
        if (!pred(e)) return;
        clearTimeout(timer);
        sub.dispose();
        closeSub.dispose();
        resolve(e);
      });
      const closeSub = this.onClose(() => {
        clearTimeout(timer);
        sub.dispose();
        reject(new FleetError(ErrorCodes.RuntimeUnavailable, 'the sidecar connection closed while waiting for an event'));
      });
    });
  }

  onClose(listener: () => void): Disposable {
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of [...this.closeListeners]) l();
    // A connection that closed (rather than was disposed) leaves its pending requests unanswered
    // forever: disposing rejects them, so a request in flight when the sidecar goes away fails.
    this.connection.dispose();
  }

  /** Close this connection; the sidecar keeps running. */
  close(): void {
    this.markClosed();
    this.connection.dispose();
    this.socket.end();
    this.socket.destroy();
  }
}
