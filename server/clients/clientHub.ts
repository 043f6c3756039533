/**
 * Accepts client connections on the sidecar's unix socket (named pipe on Windows): one JSON-RPC
 * connection per client (LSP framing via vscode-jsonrpc), typed handler registration, errors as
 * JSON-RPC error codes with human messages, and per-client event streams.
 *
 * Why vscode-jsonrpc and not vscode-languageserver's `createConnection`: the latter ends the
 * process on a client's `exit` notification, and this process serves many clients and outlives them.
 */
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import {
  createMessageConnection,
  ResponseError,
  SocketMessageReader,
  type MessageConnection,
  type NotificationType,
  type RequestType,
  type RequestType0,
} from 'vscode-jsonrpc/node';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { Exit, LogNotification, Shutdown, type LogMessage } from '../../protocol/sidecarProtocol';
import type { ClientInfo } from '../../protocol/types';
import { ClientStream } from '../events/clientStream';
import { EventFrames } from '../events/eventFrame';
import type { FleetEvent } from '../../protocol/types';
import { FrameWriter, writeEventFrames } from './frameWriter';
import type { Logger } from '../logger';
import { Emitter } from '../../sdk/emitter';

export interface Client {
  readonly id: number;
  name: string;
  version?: string;
  readonly connectedAt: number;
  wantsLogs: boolean;
  stream?: ClientStream;
  readonly connection: MessageConnection;
  readonly socket: Socket;
}

type Handler<P, R> = (params: P, client: Client) => R | Promise<R>;

export class ClientHub {
  private server: Server | undefined;
  private nextId = 1;
  private readonly clients = new Map<number, Client>();
  private readonly handlers: Array<(c: Client) => void> = [];
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

  /** Register a request handler for every (current and future) client. */
  onRequest<P, R>(type: RequestType<P, R, void>, handler: Handler<P, R>): void;
  onRequest<R>(type: RequestType0<R, void>, handler: Handler<void, R>): void;
  onRequest<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, handler: Handler<P, R>): void {
    const install = (client: Client) => {
      client.connection.onRequest(type.method, async (params: unknown) => {
        try {
          await this.beforeRequest(type.method);
          return await handler(params as P, client);
        } catch (e) {
          throw this.toResponseError(type.method, e);
        }
      });
    };
    this.handlers.push(install);
    for (const c of this.clients.values()) install(c);
  }

  private toResponseError(method: string, e: unknown): ResponseError<unknown> {
    if (e instanceof FleetError) return new ResponseError(e.code, e.message, e.data);
    if (e instanceof ResponseError) return e;
    this.log.error(`${method} failed: ${e instanceof Error ? e.stack : String(e)}`);
    return new ResponseError(ErrorCodes.Internal, `${method} failed inside the sidecar: ${e instanceof Error ? e.message : String(e)} (see the sidecar log)`);
  }

  listen(socketPath: string): Promise<void> {
    if (process.platform !== 'win32') rmSync(socketPath, { force: true });
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        server.on('error', (e) => this.log.error(`socket server: ${e.message}`));
        if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
        this.server = server;
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    const connection = createMessageConnection(new SocketMessageReader(socket), new FrameWriter(socket));
    const client: Client = { id: this.nextId++, name: 'unknown', connectedAt: Date.now(), wantsLogs: false, connection, socket };
    this.clients.set(client.id, client);
    for (const install of this.handlers) install(client);
    connection.onNotification(Exit, () => this.drop(client));
    connection.onError(([err]) => {
      this.log.warn(`client ${client.id} (${client.name}) sent something unreadable: ${err.message}; closing its connection`);
      this.drop(client);
    });
    connection.onClose(() => this.drop(client));
    socket.on('error', () => this.drop(client));
    socket.on('close', () => this.drop(client));
    connection.listen();
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
