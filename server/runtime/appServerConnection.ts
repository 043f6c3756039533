/**
 * A JSON-RPC client for `codex app-server` over its unix-socket WebSocket listener: one JSON
 * message per text frame. app-server never writes `"jsonrpc"`, answers unknown methods with
 * -32600 and silently drops malformed frames, so every request carries a timeout and garbage from
 * it is logged and dropped rather than trusted.
 */
import WebSocket from 'ws';
import type { ClientRequest, ServerNotification, ServerRequest } from '../../protocol/codex';
import type * as v2 from '../../protocol/codex/generated/v2';
import type { InitializeResponse } from '../../protocol/codex';
import type { Logger } from '../logger';
import { Emitter, type Disposable } from '../../sdk/emitter';
import type { DeltaStream } from '../../protocol/types';
import { DeltaFrameParser } from './deltaFrame';

/** A streamed delta notification (item/agentMessage/delta and its siblings), read without JSON.parse. */
export type DeltaListener = (stream: DeltaStream, threadId: string, turnId: string, itemId: string, delta: string) => void;

type Method = ClientRequest['method'];
export type ParamsOf<M extends Method> = Extract<ClientRequest, { method: M }>['params'];

/** Responses of the methods Codex Fleet calls (app-server's generated types carry no method→response map). */
export interface ResponseMap {
  initialize: InitializeResponse;
  'thread/start': v2.ThreadStartResponse;
  'thread/resume': v2.ThreadResumeResponse;
  'thread/fork': v2.ThreadForkResponse;
  'thread/list': v2.ThreadListResponse;
  'thread/read': v2.ThreadReadResponse;
  'thread/loaded/list': v2.ThreadLoadedListResponse;
  'thread/archive': v2.ThreadArchiveResponse;
  'thread/unarchive': v2.ThreadUnarchiveResponse;
  'thread/name/set': v2.ThreadSetNameResponse;
  'thread/compact/start': v2.ThreadCompactStartResponse;
  'thread/unsubscribe': v2.ThreadUnsubscribeResponse;
  'turn/start': v2.TurnStartResponse;
  'turn/steer': v2.TurnSteerResponse;
  'turn/interrupt': v2.TurnInterruptResponse;
  'account/read': v2.GetAccountResponse;
  'account/rateLimits/read': v2.GetAccountRateLimitsResponse;
  'account/login/start': v2.LoginAccountResponse;
  'account/login/cancel': v2.CancelLoginAccountResponse;
  'account/logout': v2.LogoutAccountResponse;
  'hooks/list': v2.HooksListResponse;
}
export type ResultOf<M extends Method> = M extends keyof ResponseMap ? ResponseMap[M] : unknown;

/** An error answered by app-server (or a transport failure). */
export class AppServerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly method: string,
  ) {
    super(message);
    this.name = 'AppServerError';
  }
}

type RequestId = number | string;
interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class AppServerConnection {
  private nextId = 1;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly notificationEmitter = new Emitter<ServerNotification>();
  private readonly requestEmitter = new Emitter<ServerRequest>();
  private readonly closeEmitter = new Emitter<void>();
  readonly onNotification = this.notificationEmitter.event;
  readonly onRequest = this.requestEmitter.event;
  readonly onClose = this.closeEmitter.event;
  private closed = false;
  private deltaListener: DeltaListener | undefined;
  private readonly deltaParser = new DeltaFrameParser();

  private constructor(
    private readonly ws: WebSocket,
    private readonly log: Logger,
    private readonly requestTimeoutMs: number,
  ) {
    ws.on('message', (data: Buffer) => this.onFrame(data.toString()));
    ws.on('close', () => this.handleClose());
    ws.on('error', (e) => log.warn(`app-server socket error: ${e.message}`));
  }

  static connect(socketPath: string, log: Logger, requestTimeoutMs = 60_000): Promise<AppServerConnection> {
    return new Promise((resolve, reject) => {
      // skipUTF8Validation: invalid UTF-8 from app-server decodes to U+FFFD instead of closing the
      // connection (and a per-frame validation pass is saved).
      const ws = new WebSocket(`ws+unix://${socketPath}`, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024, skipUTF8Validation: true });
      const onError = (e: Error) => reject(e);
      ws.once('error', onError);
      ws.once('open', () => {
        ws.off('error', onError);
        ws.binaryType = 'nodebuffer';
        resolve(new AppServerConnection(ws, log, requestTimeoutMs));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  request<M extends Method>(method: M, params: ParamsOf<M>, timeoutMs = this.requestTimeoutMs): Promise<ResultOf<M>> {
    if (this.closed) return Promise.reject(new AppServerError(-32099, 'the Codex runtime connection is closed', method));
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppServerError(-32098, `Codex did not answer ${method} within ${timeoutMs} ms`, method));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  notify(method: string, params?: unknown): void {
    if (this.closed) return;
    this.ws.send(JSON.stringify(params === undefined ? { method } : { method, params }));
  }

  /** Answer a server → client request. */
  respond(id: RequestId, result: unknown): void {
    if (this.closed) return;
    this.ws.send(JSON.stringify({ id, result }));
  }

  respondError(id: RequestId, code: number, message: string): void {
    if (this.closed) return;
    this.ws.send(JSON.stringify({ id, error: { code, message } }));
  }

  /**
   * Streamed deltas go to this one listener, parsed without JSON.parse (the hot path), instead of
   * `onNotification`; without a listener they arrive there as before.
   */
  onDelta(listener: DeltaListener): Disposable {
    this.deltaListener = listener;
    return {
      dispose: () => {
        if (this.deltaListener === listener) this.deltaListener = undefined;
      },
    };
  }

  private onFrame(text: string): void {
    const onDelta = this.deltaListener;
    if (onDelta && this.deltaParser.parse(text)) {
      const d = this.deltaParser;
      onDelta(d.stream, d.threadId, d.turnId, d.itemId, d.delta);
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.log.warn(`dropped a malformed frame from app-server: ${text.slice(0, 200)}`);
      return;
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
      this.log.warn(`dropped a non-object frame from app-server: ${text.slice(0, 200)}`);
      return;
    }
    const m = msg as { id?: RequestId | null; method?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
    if (typeof m.method === 'string') {
      if (m.id !== undefined && m.id !== null) {
        if (this.requestEmitter.size > 0) this.requestEmitter.fire(msg as ServerRequest);
        else {
          // Nobody listens yet (during initialize): answer, so app-server is not left waiting.
          this.log.warn(`app-server asked ${m.method} before Codex Fleet was ready; declined`);
          this.respondError(m.id, -32601, `codex_fleet is not ready for ${m.method}`);
        }
      }
      else this.notificationEmitter.fire(msg as ServerNotification);
      return;
    }
    if (m.id === undefined || m.id === null) {
      this.log.warn(`dropped an unexpected frame from app-server: ${text.slice(0, 200)}`);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) {
      this.log.warn(`app-server answered unknown request id ${String(m.id)}`);
      return;
    }
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.error) {
      const code = typeof m.error.code === 'number' ? m.error.code : -32603;
      const message = typeof m.error.message === 'string' ? m.error.message : 'unknown error';
      p.reject(new AppServerError(code, message, p.method));
    } else {
      p.resolve(m.result);
    }
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AppServerError(-32099, `the Codex runtime went away during ${p.method}`, p.method));
    }
    this.pending.clear();
    this.closeEmitter.fire();
  }

  close(): void {
    this.ws.close();
    this.handleClose();
  }
}
