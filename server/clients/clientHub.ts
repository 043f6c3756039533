/**
 * Accepts client connections on the sidecar's unix socket (named pipe on Windows): one JSON-RPC
 * connection per client (LSP framing via vscode-jsonrpc), typed handler registration, errors as
 * JSON-RPC error codes with human messages, and per-client event streams.
 *
 * Why vscode-jsonrpc and not vscode-languageserver's `createConnection`: the latter ends the
 * process on a client's `exit` notification, and this process serves many clients and outlives them.
 */
import { chmodSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import {
  createMessageConnection,
  ResponseError,
  type MessageConnection,
  type ResponseMessage,
  type NotificationType,
  type RequestType,
  type RequestType0,
} from 'vscode-jsonrpc/node';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { Limits, truncate } from '../../protocol/limits';
import { NOTIFICATION_SCHEMAS, REQUEST_SCHEMAS } from '../../protocol/schemas';
import { Exit, Initialize, LogNotification, Shutdown, type LogMessage } from '../../protocol/sidecarProtocol';
import type { ClientInfo } from '../../protocol/types';
import { validateParams } from '../../protocol/validate';
import { assertPrivateDir } from '../../sdk/strictModes';
import { ClientStream } from '../events/clientStream';
import { EventFrames } from '../events/eventFrame';
import type { FleetEvent } from '../../protocol/types';
import { FrameReader, type FrameLimits, type FrameProblem } from './frameReader';
import { FrameWriter, writeEventFrames } from './frameWriter';
import type { Logger } from '../logger';
import { Emitter } from '../../sdk/emitter';

export interface Client {
  readonly id: number;
  name: string;
  version?: string;
  readonly connectedAt: number;
  wantsLogs: boolean;
  /** Answered `initialize`: every other method is refused before that. */
  initialized: boolean;
  stream?: ClientStream;
  readonly connection: MessageConnection;
  readonly socket: Socket;
}

/** The connection and frame limits (protocol/limits.ts; smaller in tests). */
export type HubLimits = FrameLimits & { maxConnections: number };

function errorAnswer(id: number | string | null, code: number, message: string): ResponseMessage {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

type Handler<P, R> = (params: P, client: Client) => R | Promise<R>;
type Route = (params: unknown, client: Client) => unknown;

export class ClientHub {
  private server: Server | undefined;
  private nextId = 1;
  private readonly clients = new Map<number, Client>();
  private readonly routes = new Map<string, Route>();
  private readonly notificationRoutes = new Map<string, Route>();
  private readonly connectEmitter = new Emitter<Client>();
  private readonly disconnectEmitter = new Emitter<Client>();
  readonly onDidConnect = this.connectEmitter.event;
  readonly onDidDisconnect = this.disconnectEmitter.event;

  /**
   * @param beforeRequest runs before every handler (e.g. to wait, bounded, for a restarting runtime).
   */
  constructor(
    private readonly log: Logger,
    private readonly beforeRequest: (method: string) => Promise<void> | void = () => undefined,
    private readonly limits: HubLimits = Limits,
  ) {
    this.onRequest(Shutdown, () => null);
  }

  get count(): number {
    return this.clients.size;
  }

  list(): ClientInfo[] {
    return [...this.clients.values()].map((c) => ({ id: c.id, name: c.name, version: c.version, connectedAt: c.connectedAt }));
  }

  all(): Client[] {
    return [...this.clients.values()];
  }

  /**
   * Register a request handler for every client. Params are validated against the method's schema
   * (protocol/schemas.ts) first: the handler receives the validated, stripped value.
   */
  onRequest<P, R>(type: RequestType<P, R, void>, handler: Handler<P, R>): void;
  onRequest<R>(type: RequestType0<R, void>, handler: Handler<void, R>): void;
  onRequest<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, handler: Handler<P, R>): void {
    if (!REQUEST_SCHEMAS.has(type.method)) throw new Error(`no params schema for ${type.method} in protocol/schemas.ts`);
    this.routes.set(type.method, handler as Route);
  }

  /** Register a handler for a client notification; invalid ones are dropped (there is nobody to answer). */
  onNotification<P>(type: NotificationType<P>, handler: Handler<P, void>): void {
    if (!NOTIFICATION_SCHEMAS.has(type.method)) throw new Error(`no params schema for ${type.method} in protocol/schemas.ts`);
    this.notificationRoutes.set(type.method, handler as Route);
  }

  /** Validate and run one request: the one place where client input enters the sidecar. */
  private async dispatch(client: Client, method: string, params: unknown): Promise<unknown> {
    const route = this.routes.get(method);
    if (!route) throw new ResponseError(ErrorCodes.MethodNotFound, `unknown method ${JSON.stringify(truncate(method))}`);
    if (!client.initialized && method !== Initialize.method) {
      throw new ResponseError(ErrorCodes.NotInitialized, `send initialize first: ${truncate(method)} arrived before it`);
    }
    const valid = validateParams(REQUEST_SCHEMAS.get(method)!, params);
    if (!valid.ok) throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${valid.message}`);
    try {
      await this.beforeRequest(method);
      const result = await route(valid.value, client);
      if (method === Initialize.method) client.initialized = true;
      return result;
    } catch (e) {
      throw this.toResponseError(method, e);
    }
  }

  private notified(client: Client, method: string, params: unknown): void {
    const route = this.notificationRoutes.get(method);
    if (!route || !client.initialized) return;
    const valid = validateParams(NOTIFICATION_SCHEMAS.get(method)!, params);
    if (!valid.ok) {
      this.log.debug(`client ${client.id}: dropped ${truncate(method)}: ${valid.message}`);
      return;
    }
    try {
      route(valid.value, client);
    } catch (e) {
      this.log.error(`${method} failed: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }

  private toResponseError(method: string, e: unknown): ResponseError<unknown> {
    if (e instanceof FleetError) return new ResponseError(e.code, truncate(e.message, 2000), e.data);
    if (e instanceof ResponseError) return e;
    this.log.error(`${method} failed: ${e instanceof Error ? e.stack : String(e)}`);
    return new ResponseError(ErrorCodes.Internal, `${method} failed inside the sidecar: ${truncate(e instanceof Error ? e.message : String(e), 300)} (see the sidecar log)`);
  }

  /**
   * Listen on the socket. The state directory must be private to this user (checked first: a
   * directory another user controls could hand our clients to an impostor), and the socket is
   * created 0600 (umask around the bind, then chmod).
   */
  listen(socketPath: string): Promise<void> {
    if (process.platform !== 'win32') {
      assertPrivateDir(dirname(socketPath));
      rmSync(socketPath, { force: true });
    }
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', reject);
      const umask = process.platform !== 'win32' ? process.umask(0o177) : undefined;
      try {
        server.listen(socketPath, () => {
          server.off('error', reject);
          server.on('error', (e) => this.log.error(`socket server: ${e.message}`));
          if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
          this.server = server;
          resolve();
        });
      } finally {
        if (umask !== undefined) process.umask(umask);
      }
    });
  }

  private accept(socket: Socket): void {
    const writer = new FrameWriter(socket);
    if (this.clients.size >= this.limits.maxConnections) {
      this.log.warn(`refused a connection: ${this.clients.size} clients are connected (the limit is ${this.limits.maxConnections})`);
      void writer
        .write(errorAnswer(null, ErrorCodes.Conflict, `too many connections to this sidecar (the limit is ${this.limits.maxConnections})`))
        .catch(() => undefined)
        .finally(() => socket.destroy());
      return;
    }
    // The reader reports problems for the client made from it just below.
    const made: { client?: Client } = {};
    const reader = new FrameReader(socket, (p) => this.onFrameProblem(made.client!, writer, p), this.limits);
    const connection = createMessageConnection(reader, writer);
    const c: Client = { id: this.nextId++, name: 'unknown', connectedAt: Date.now(), wantsLogs: false, initialized: false, connection, socket };
    made.client = c;
    this.clients.set(c.id, c);
    connection.onRequest((method, params) => this.dispatch(c, method, params));
    connection.onNotification((method, params) => this.notified(c, method, params));
    connection.onNotification(Exit, () => this.drop(c));
    connection.onError(([err]) => {
      this.log.warn(`client ${c.id} (${c.name}) sent something unreadable: ${truncate(err.message, 200)}; closing its connection`);
      this.drop(c);
    });
    connection.onClose(() => this.drop(c));
    socket.on('error', () => this.drop(c));
    socket.on('close', () => this.drop(c));
    connection.listen();
  }

  /** Answer a message that could not be read (JSON-RPC error with the id, if known); close on fatal ones. */
  private onFrameProblem(client: Client, writer: FrameWriter, p: FrameProblem): void {
    this.log.warn(`client ${client.id} (${client.name}): ${p.message}${p.fatal ? '; closing its connection' : ''}`);
    const answered = writer.write(errorAnswer(p.id ?? null, p.code, p.message)).catch(() => undefined);
    if (p.fatal) void answered.finally(() => this.drop(client));
  }

/** Called once the client said who it is (initialize). */
  identified(client: Client): void {
    this.log.info(`client ${client.id} connected: ${client.name}${client.version ? ` ${client.version}` : ''}`);
    this.connectEmitter.fire(client);
  }

  private drop(client: Client): void {
    if (!this.clients.delete(client.id)) return;
    client.stream?.close();
    client.connection.dispose();
    client.socket.destroy();
    this.log.info(`client ${client.id} (${client.name}) disconnected`);
    this.disconnectEmitter.fire(client);
  }

  /** Start (or re-filter) a client's event stream. */
  streamFor(client: Client): ClientStream {
    client.stream ??= new ClientStream(
      {},
      (events, done) => writeEventFrames(client.socket, this.eventFrames, events, done),
      (err) => this.log.debug(`event to client ${client.id} not delivered: ${String(err)}`),
    );
    return client.stream;
  }

  /** Each event is serialised once, for every client that gets it. */
  private readonly eventFrames = new EventFrames();

  /** Hand an event to every client's stream (each applies its own filter). */
  pushEvent(e: FleetEvent): void {
    for (const c of this.clients.values()) c.stream?.push(e);
  }

  /** Send a notification to every client; resolves once handed to each connection. */
  async broadcast<P>(type: NotificationType<P>, params: P): Promise<void> {
    await Promise.all(this.all().map((c) => c.connection.sendNotification(type, params).catch(() => undefined)));
  }

  sendLog(message: LogMessage): void {
    for (const c of this.clients.values()) {
      if (c.wantsLogs) void c.connection.sendNotification(LogNotification, message).catch(() => undefined);
    }
  }

  /**
   * Stop accepting connections (the socket file goes away); connected clients stay until close().
   * Resolves once the server has fully closed, i.e. after the last client is dropped.
   */
  stopAccepting(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) this.serverClosed = new Promise<void>((r) => server.close(() => r()));
    return this.serverClosed;
  }

  private serverClosed: Promise<void> = Promise.resolve();

  async close(): Promise<void> {
    const closed = this.stopAccepting();
    for (const c of [...this.clients.values()]) this.drop(c);
    await closed;
  }
}
