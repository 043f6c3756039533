/**
 * The hub's edge over a real unix socket with raw frames: initialize first, validation (-32602,
 * never -32603), invalid JSON (-32700, the connection stays), batches (-32600), frame limits
 * (header, Content-Length, half-written frames) and the connection cap.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../../protocol/errors';
import { Limits } from '../../../protocol/limits';
import * as P from '../../../protocol/sidecarProtocol';
import { ClientHub, type HubLimits } from '../../../server/clients/clientHub';
import type { Logger } from '../../../server/logger';

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Answer {
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A raw client: writes bytes, reads LSP-framed answers, knows when the sidecar closed it. */
class RawClient {
  private buf = Buffer.alloc(0);
  private readonly answers: Answer[] = [];
  private waiting: ((a: Answer) => void) | undefined;
  readonly closed: Promise<void>;
  private nextId = 1;

  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())![1]);
        if (this.buf.length < end + 4 + len) return;
        const a = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString()) as Answer;
        this.buf = this.buf.subarray(end + 4 + len);
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = undefined;
          w(a);
        } else this.answers.push(a);
      }
    });
    this.closed = new Promise((r) => socket.on('close', () => r()));
  }

  static open(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(path, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  next(): Promise<Answer> {
    const a = this.answers.shift();
    return a ? Promise.resolve(a) : new Promise((r) => (this.waiting = r));
  }

  frame(body: string): void {
    this.socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params?: unknown): Promise<Answer> {
    this.frame(JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }));
    return this.next();
  }

  async initialize(): Promise<void> {
    const a = await this.request('initialize', { processId: null, clientInfo: { name: 'raw' }, capabilities: {} });
    assert.equal(a.error, undefined);
  }
}

describe('server/clientHub edge', function () {
  this.timeout(10_000);
  let dir: string;
  let hub: ClientHub;
  let received: unknown[];
  const clients: RawClient[] = [];

  async function start(limits: Partial<HubLimits> = {}): Promise<string> {
    hub = new ClientHub(quiet, () => undefined, { ...Limits, ...limits });
    hub.onRequest(P.Initialize, (_p, c) => {
      c.name = 'raw';
      return {} as P.InitializeResult;
    });
    hub.onRequest(P.SessionsSend, (p) => {
      received.push(p);
      return { delivery: 'started' as const };
    });
    hub.onRequest(P.SessionsStart, () => {
      throw new Error('a handler bug');
    });
    const path = join(dir, 'hub.sock');
    await hub.listen(path);
    return path;
  }

  async function open(path: string): Promise<RawClient> {
    const c = await RawClient.open(path);
    clients.push(c);
    return c;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-hub-'));
    received = [];
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const SID = '00000000-0000-7000-8000-000000000000';

  it('refuses every method before initialize, then serves', async () => {
    const c = await open(await start());
    const early = await c.request('sessions/send', { sessionId: SID, text: 'hi' });
    assert.equal(early.error?.code, ErrorCodes.NotInitialized);
    assert.equal(received.length, 0);
    await c.initialize();
    assert.deepEqual((await c.request('sessions/send', { sessionId: SID, text: 'hi' })).result, { delivery: 'started' });
  });

  it('validates params: -32602 with a short message, unknown keys stripped, prototype keys and coercion refused', async () => {
    const c = await open(await start());
    await c.initialize();
    const cases: Array<[unknown, RegExp]> = [
      [{ sessionId: 5, text: 'hi' }, /sessionId must be a string/],
      [{ sessionId: 'nope', text: 'hi' }, /sessionId must be a session id/],
      [{ sessionId: SID }, /text is required/],
      [{ sessionId: SID, text: 'hi', images: 'a.png' }, /images must be an array/],
      [{ sessionId: SID, text: 'hi', whileRunning: 'later' }, /whileRunning must be one of steer, queue, error/],
      [{ sessionId: SID, text: 'hi', controls: { networkAccess: 'yes' } }, /controls.networkAccess must be a boolean/],
      [JSON.parse(`{"sessionId":"${SID}","text":"hi","__proto__":{"x":1}}`), /forbidden key "__proto__"/],
      [[SID, 'hi'], /params must be an object/],
      [{ sessionId: SID, text: 'x'.repeat(Limits.maxText + 1) }, /text (must be at most|is longer than)/],
    ];
    for (const [params, re] of cases) {
      const a = await c.request('sessions/send', params);
      assert.equal(a.error?.code, ErrorCodes.InvalidParams, JSON.stringify(a).slice(0, 200));
      assert.match(a.error!.message, re);
      assert.ok(a.error!.message.length < 400);
    }
    assert.equal(received.length, 0);
    await c.request('sessions/send', { sessionId: SID, text: 'hi', extra: 'dropped', controls: { model: 'm', junk: 1 } });
    assert.deepEqual(received, [{ sessionId: SID, text: 'hi', controls: { model: 'm' } }]);
  });

  it('10,000-deep nesting is -32602, not a stack overflow; a handler bug is -32603 without a stack', async () => {
    const c = await open(await start());
    await c.initialize();
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    c.frame(`{"jsonrpc":"2.0","id":"deep","method":"sessions/send","params":{"sessionId":"${SID}","text":"hi","images":${deep}}}`);
    const a = await c.next();
    assert.equal(a.id, 'deep');
    assert.equal(a.error?.code, ErrorCodes.InvalidParams);
    assert.match(a.error!.message, /nested deeper than 64/);
    const bug = await c.request('sessions/start', {});
    assert.equal(bug.error?.code, ErrorCodes.Internal);
    assert.doesNotMatch(bug.error!.message, /at .*\.ts/);
  });

  it('invalid JSON gets -32700 and the connection goes on; batches and non-objects get -32600; unknown methods -32601', async () => {
    const c = await open(await start());
    await c.initialize();
    c.frame('{"jsonrpc":"2.0","id":1,"method":');
    assert.deepEqual(await c.next(), { jsonrpc: '2.0', id: null, error: { code: ErrorCodes.ParseError, message: 'Parse error: the message is not valid JSON' } });
    c.frame('[{"jsonrpc":"2.0","id":1,"method":"fleet/status"}]');
    assert.equal((await c.next()).error?.code, ErrorCodes.InvalidRequest);
    c.frame('42');
    assert.equal((await c.next()).error?.code, ErrorCodes.InvalidRequest);
    c.frame('{"jsonrpc":"2.0","id":7}');
    const noMethod = await c.next();
    assert.equal(noMethod.error?.code, ErrorCodes.InvalidRequest);
    assert.equal(noMethod.id, 7);
    assert.equal((await c.request('no/such', {})).error?.code, ErrorCodes.MethodNotFound);
    assert.deepEqual((await c.request('sessions/send', { sessionId: SID, text: 'still open' })).result, { delivery: 'started' });
  });

  it('an oversize Content-Length, an endless header and a half-written frame are answered and closed', async () => {
    const path = await start({ maxHeaderBytes: 1024, partialFrameTimeoutMs: 100 });
    const big = await open(path);
    big.socket.write('Content-Length: 99999999999\r\n\r\n{');
    assert.match((await big.next()).error!.message, /larger than the limit/);
    await big.closed;

    const endless = await open(path);
    endless.socket.write(`X-Padding: ${'a'.repeat(64 * 1024)}`);
    assert.match((await endless.next()).error!.message, /header is longer than 1024 bytes/);
    await endless.closed;

    const half = await open(path);
    half.socket.write('Content-Length: 100\r\n\r\n{"jsonrpc"');
    assert.match((await half.next()).error!.message, /stayed incomplete for 100 ms/);
    await half.closed;

    const fine = await open(path);
    await fine.initialize();
  });

  it('times each frame on its own: a steady stream whose chunks always end mid-frame is not cut off', async () => {
    const c = await open(await start({ partialFrameTimeoutMs: 100 }));
    await c.initialize();
    const frame = (id: number) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'sessions/send', params: { sessionId: SID, text: 'chunked' } });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    let pending = frame(100);
    c.socket.write(pending.slice(0, 20));
    pending = pending.slice(20);
    const started = Date.now();
    // Each write finishes the frame in flight and starts the next one; each step waits for its answer.
    for (let id = 100; Date.now() - started < 400; id++) {
      const next = frame(id + 1);
      c.socket.write(pending + next.slice(0, 20));
      pending = next.slice(20);
      assert.deepEqual((await c.next()).id, id);
      await new Promise((r) => setImmediate(r));
    }
    c.socket.write(pending);
    assert.ok((await c.next()).result);
  });

  it('caps connections', async () => {
    const path = await start({ maxConnections: 2 });
    const a = await open(path);
    const b = await open(path);
    await a.initialize();
    await b.initialize();
    const third = await open(path);
    const refused = await third.next();
    assert.equal(refused.error?.code, ErrorCodes.Conflict);
    assert.match(refused.error!.message, /too many connections/);
    await third.closed;
  });
});
