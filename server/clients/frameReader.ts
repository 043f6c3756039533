/**
 * The JSON-RPC message reader for client sockets (LSP framing), in place of vscode-jsonrpc's
 * SocketMessageReader, which has no header or message size limit, rescans the whole buffer for the
 * end of the headers on every chunk (quadratic on a long unterminated header), closes the connection
 * on invalid JSON without answering, and only reports half-written frames.
 *
 * Here: the header block is scanned once (linear) and bounded, `Content-Length` is bounded, a frame
 * left half-written times out, invalid JSON gets a -32700 answer and reading goes on, batches and
 * non-request values get -32600. Problems are reported to `onProblem`; fatal ones (the stream can no
 * longer be framed) mean the caller answers and closes the connection.
 */
import type { Socket } from 'node:net';
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageReader } from 'vscode-jsonrpc/node';
import { ErrorCodes } from '../../protocol/errors';
import { Limits } from '../../protocol/limits';

export interface FrameProblem {
  code: number;
  message: string;
  /** The request's id when it could be read (the answer then refers to it). */
  id?: number | string | null;
  /** The connection cannot go on: answer, then close it. */
  fatal: boolean;
}

export interface FrameLimits {
  maxHeaderBytes: number;
  maxMessageBytes: number;
  partialFrameTimeoutMs: number;
}

const EMPTY = Buffer.alloc(0);
const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

export class FrameReader extends AbstractMessageReader implements MessageReader {
  private callback: DataCallback | undefined;
  /** Bytes of the current header block (and whatever followed it in the same chunk). */
  private head: Buffer = EMPTY;
  private body: Buffer[] = [];
  private bodyBytes = 0;
  /** Content-Length of the frame being read, or -1 while reading headers. */
  private need = -1;
  private timer: NodeJS.Timeout | undefined;
  private dead = false;

  constructor(
    private readonly socket: Socket,
    private readonly onProblem: (p: FrameProblem) => void,
    private readonly limits: FrameLimits = Limits,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (d: Buffer) => this.onData(d);
    const onError = (e: Error) => this.fireError(e);
    const onClose = () => {
      this.clearTimer();
      this.fireClose();
    };
    this.socket.on('data', onData);
    this.socket.on('error', onError);
    this.socket.on('close', onClose);
    return {
      dispose: () => {
        this.clearTimer();
        this.socket.off('data', onData);
        this.socket.off('error', onError);
        this.socket.off('close', onClose);
      },
    };
  }

  private fatal(code: number, message: string): void {
    this.dead = true;
    this.clearTimer();
    this.head = EMPTY;
    this.body = [];
    this.socket.pause();
    this.onProblem({ code, message, fatal: true });
  }

  private onData(chunk: Buffer): void {
    let data = chunk;
    while (!this.dead && data.length > 0) {
      if (this.need < 0) {
        const scanFrom = Math.max(0, this.head.length - (HEADER_END.length - 1));
        this.head = this.head.length ? Buffer.concat([this.head, data]) : data;
        const end = this.head.indexOf(HEADER_END, scanFrom);
        if (end < 0 || end + HEADER_END.length > this.limits.maxHeaderBytes) {
          if (end >= 0 || this.head.length > this.limits.maxHeaderBytes) this.fatal(ErrorCodes.InvalidRequest, `a frame header is longer than ${this.limits.maxHeaderBytes} bytes`);
          break;
        }
        const length = this.contentLength(this.head.subarray(0, end).toString('latin1'));
        data = this.head.subarray(end + HEADER_END.length);
        this.head = EMPTY;
        if (length === undefined) return;
        this.need = length;
      }
      const take = Math.min(this.need - this.bodyBytes, data.length);
      if (take > 0) {
        this.body.push(data.subarray(0, take));
        this.bodyBytes += take;
        data = data.subarray(take);
      }
      if (this.bodyBytes === this.need) {
        const body = this.body.length === 1 ? this.body[0]! : Buffer.concat(this.body, this.bodyBytes);
        this.body = [];
        this.bodyBytes = 0;
        this.need = -1;
        this.clearTimer(); // the timeout is per frame: the next one starts its own
        this.deliver(body);
      }
    }
    if (this.dead) return;
    if (this.need >= 0 || this.head.length > 0) this.startTimer();
    else this.clearTimer();
  }

  /** The frame's Content-Length, or undefined after reporting a fatal problem. */
  private contentLength(header: string): number | undefined {
    let value: string | undefined;
    for (const line of header.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === 'content-length') value = line.slice(colon + 1).trim();
    }
    if (value === undefined || !/^\d{1,12}$/.test(value)) {
      this.fatal(ErrorCodes.InvalidRequest, 'a frame header needs a Content-Length with a number of bytes');
      return undefined;
    }
    const n = Number(value);
    if (n > this.limits.maxMessageBytes) {
      this.fatal(ErrorCodes.InvalidRequest, `a message of ${n} bytes is larger than the limit of ${this.limits.maxMessageBytes} bytes`);
      return undefined;
    }
    return n;
  }

  private deliver(body: Buffer): void {
    let msg: unknown;
    try {
      msg = JSON.parse(body.toString('utf8'));
    } catch {
      this.onProblem({ code: ErrorCodes.ParseError, message: 'Parse error: the message is not valid JSON', id: null, fatal: false });
      return;
    }
    if (Array.isArray(msg)) {
      this.onProblem({ code: ErrorCodes.InvalidRequest, message: 'batches are not supported: send one message per frame', id: null, fatal: false });
      return;
    }
    if (!msg || typeof msg !== 'object') {
      this.onProblem({ code: ErrorCodes.InvalidRequest, message: 'a message must be a JSON-RPC request, notification or response object', id: null, fatal: false });
      return;
    }
    const m = msg as { id?: unknown; method?: unknown; result?: unknown; error?: unknown };
    const id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
    const isResponse = id !== null && ('result' in m || 'error' in m);
    if (typeof m.method !== 'string' && !isResponse) {
      this.onProblem({ code: ErrorCodes.InvalidRequest, message: 'a request needs a method (a string)', id, fatal: false });
      return;
    }
    this.callback?.(msg as Message);
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fatal(ErrorCodes.InvalidRequest, `a frame stayed incomplete for ${this.limits.partialFrameTimeoutMs} ms`);
    }, this.limits.partialFrameTimeoutMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
