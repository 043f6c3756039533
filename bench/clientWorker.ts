/**
 * One benchmark client in its own worker thread (its own event loop), so the raw client and the
 * sidecar client never delay each other's reads: `raw` is a WebSocket straight to the sidecar's
 * `codex app-server` (initialize, initialized, thread/resume; or a thread of its own, which the
 * sidecar is not subscribed to), `sidecar` is the SDK's FleetClient.
 * The parent arms it before a turn and it reports when that turn's `turn/completed` arrives.
 * Receipt times are `process.hrtime.bigint()` taken first thing in the message handler; the
 * scripted model (the parent's main thread) stamps with the same clock.
 */
import type { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { EventsSubscribe, EventsUnsubscribe } from '../protocol/sidecarProtocol';
import type { FleetEvent } from '../protocol/types';
import { FleetClient } from '../sdk/fleetClient';
import type { ArmParams, FromWorker, ToWorker, TurnRecord, WorkerInit } from './benchTypes';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('clientWorker must run in a worker thread');

/** What one client saw of the armed turn. */
class Recorder {
  messages = 0;
  deltaMessages = 0;
  private readonly parts: string[] = [];
  firstNs = 0n;
  lastNs = 0n;
  completedNs = 0n;
  finalText: string | undefined;
  readonly latencies: number[] = [];
  readonly socketLatencies: number[] = [];
  reads = 0;
  private done: ((r: TurnRecord) => void) | undefined;
  readonly finished: Promise<TurnRecord>;
  private readonly countRead = (): void => void this.reads++;

  constructor(
    readonly params: ArmParams,
    private readonly socket: Socket,
    private readonly startBytes = socket.bytesRead,
  ) {
    this.finished = new Promise((resolve) => (this.done = resolve));
    socket.prependListener('data', this.countRead);
  }

  delta(t: bigint, text: string): void {
    this.deltaMessages++;
    if (this.firstNs === 0n) this.firstNs = t;
    this.lastNs = t;
    this.parts.push(text);
    if (this.params.stamped) addLatencies(this.latencies, t, text);
  }

  itemCompleted(text: string): void {
    this.finalText = text;
  }

  complete(t: bigint, turnId: string, status: string): void {
    this.completedNs = t;
    this.socket.off('data', this.countRead);
    const text = this.parts.join('');
    const expected = this.params.expectedText ?? this.finalText;
    const rel = (x: bigint): number => (x === 0n ? 0 : Number(x - BigInt(init.baseNs)));
    this.done?.({
      role: init.role,
      turnId,
      status,
      messages: this.messages,
      deltaMessages: this.deltaMessages,
      deltas: this.params.stamped ? text.split(' ').length - 1 : Math.round(text.length / this.params.charsPerDelta),
      chars: text.length,
      textOk: expected !== undefined && text === expected,
      bytes: this.socket.bytesRead - this.startBytes,
      reads: this.reads,
      firstNs: rel(this.firstNs),
      lastNs: rel(this.lastNs),
      completedNs: rel(this.completedNs),
      latenciesNs: this.latencies,
      socketLatenciesNs: this.socketLatencies,
    });
  }
}

/** Each `"<ns> "` stamp in a delta's text gives one latency sample (receipt − stamp). */
function addLatencies(into: number[], t: bigint, text: string): void {
  for (const s of text.split(' ')) if (s) into.push(Number(t - BigInt(s)));
}

interface RawMessage {
  id?: number;
  method?: string;
  params?: {
    threadId?: string;
    delta?: string;
    item?: { type?: string; text?: string };
    turn?: { id?: string; status?: string; error?: { message?: string } | null };
  };
}

/** A plain JSON-RPC client on app-server's unix-socket WebSocket. */
class RawClient {
  private nextId = 1;
  private readonly pending = new Map<number, (m: RawMessage & { error?: { message: string } }) => void>();
  private recorder: Recorder | undefined;
  private resumed: string | undefined;

  private constructor(
    private readonly ws: WebSocket,
    readonly socket: Socket,
  ) {
    ws.on('message', (data: Buffer) => {
      const t = process.hrtime.bigint();
      const m = JSON.parse(data.toString('utf8')) as RawMessage & { error?: { message: string } };
      const r = this.recorder;
      if (r) r.messages++;
      if (m.method === undefined) {
        if (m.id !== undefined) this.pending.get(m.id)?.(m);
        return;
      }
      if (!r || m.params?.threadId !== r.params.sessionId) return;
      if (m.method === 'item/agentMessage/delta') r.delta(t, m.params.delta ?? '');
      else if (m.method === 'item/completed' && m.params.item?.type === 'agentMessage') r.itemCompleted(m.params.item.text ?? '');
      else if (m.method === 'turn/completed') {
        this.recorder = undefined;
        const turn = m.params.turn;
        r.complete(t, turn?.id ?? '', `${turn?.status ?? '?'}${turn?.error?.message ? `: ${turn.error.message}` : ''}`);
      }
    });
  }

  static async connect(): Promise<RawClient> {
    const ws = new WebSocket(`ws+unix://${init.appServerSocket}`, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    let socket: Socket | undefined;
    ws.once('upgrade', (res) => (socket = res.socket as Socket));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    if (!socket) throw new Error('no socket from the WebSocket upgrade');
    const c = new RawClient(ws, socket);
    await c.request('initialize', { clientInfo: { name: 'bench_raw', title: 'raw', version: '0' }, capabilities: { experimentalApi: true, requestAttestation: false } });
    ws.send(JSON.stringify({ method: 'initialized' }));
    return c;
  }

  request(method: string, params: unknown): Promise<RawMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => {
        this.pending.delete(id);
        if (m.error) reject(new Error(`${method}: ${m.error.message}`));
        else resolve(m);
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async subscribe(id: string): Promise<void> {
    if (this.resumed && this.resumed !== id) await this.unsubscribe();
    await this.request('thread/resume', { threadId: id });
    this.resumed = id;
  }

  async unsubscribe(): Promise<void> {
    if (this.resumed) await this.request('thread/unsubscribe', { threadId: this.resumed });
    this.resumed = undefined;
  }

  async ownThread(cwd: string): Promise<string> {
    const res = (await this.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'read-only' })) as { result?: { thread?: { id?: string } } };
    const id = res.result?.thread?.id;
    if (!id) throw new Error('thread/start returned no thread id');
    return id;
  }

  async ownTurn(threadId: string, text: string): Promise<void> {
    await this.request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
  }

  arm(p: ArmParams): Recorder {
    this.recorder = new Recorder(p, this.socket);
    return this.recorder;
  }

  close(): void {
    this.ws.close();
  }
}

/** The SDK client, subscribed to the session; optionally also stamps at socket receipt. */
class SidecarClient {
  private recorder: Recorder | undefined;
  private tail = '';
  private readonly onData = (chunk: Buffer): void => {
    const t = process.hrtime.bigint();
    const r = this.recorder;
    if (!r) return;
    // Stamps as they reach the socket, before the SDK's framing and dispatch (a stamp split across
    // two chunks is taken from the second).
    const text = this.tail + chunk.toString('latin1');
    for (const m of text.matchAll(/"delta":"([\d ]+)"/g)) addLatencies(r.socketLatencies, t, m[1] ?? '');
    const cut = text.lastIndexOf('"delta":"');
    this.tail = cut >= 0 && text.indexOf('"', cut + 9) < 0 ? text.slice(cut) : '';
  };

  private constructor(private readonly client: FleetClient) {
    client.onEvent((e: FleetEvent) => {
      const t = process.hrtime.bigint();
      const r = this.recorder;
      if (!r) return;
      r.messages++;
      if (!('sessionId' in e) || e.sessionId !== r.params.sessionId) return;
      if (e.kind === 'item/delta' && e.stream === 'agentMessage') r.delta(t, e.delta);
      else if (e.kind === 'item/completed' && e.item.type === 'agentMessage') r.itemCompleted(e.item.text);
      else if (e.kind === 'turn/completed') {
        this.recorder = undefined;
        this.client.socket.off('data', this.onData);
        r.complete(t, e.turnId, `${e.status}${e.error?.message ? `: ${e.error.message}` : ''}`);
      }
    });
  }

  static async connect(): Promise<SidecarClient> {
    const client = await FleetClient.connect({ workspace: init.workspace, clientName: 'bench_sidecar', env: init.env, autoStart: false });
    return new SidecarClient(client);
  }

  async subscribe(id: string): Promise<void> {
    await this.client.request(EventsSubscribe, { sessionIds: [id] });
  }

  async unsubscribe(): Promise<void> {
    await this.client.request(EventsUnsubscribe);
  }

  arm(p: ArmParams): Recorder {
    this.recorder = new Recorder(p, this.client.socket);
    this.tail = '';
    if (p.stamped) this.client.socket.prependListener('data', this.onData);
    return this.recorder;
  }

  close(): void {
    this.client.close();
  }
}

async function main(): Promise<void> {
  const client: RawClient | SidecarClient = init.role === 'raw' ? await RawClient.connect() : await SidecarClient.connect();
  let armed: Recorder | undefined;
  const reply = (m: FromWorker): void => port!.postMessage(m);
  port!.on('message', (msg: ToWorker) => {
    const run = async (): Promise<TurnRecord | string | null> => {
      switch (msg.type) {
        case 'subscribe':
          await client.subscribe(msg.sessionId);
          return null;
        case 'unsubscribe':
          await client.unsubscribe();
          return null;
        case 'arm':
          armed = client.arm(msg.params);
          return null;
        case 'collect': {
          if (!armed) throw new Error('collect without arm');
          const r = await armed.finished;
          armed = undefined;
          return r;
        }
        case 'close':
          client.close();
          return null;
        case 'ownThread':
          if (!(client instanceof RawClient)) throw new Error('only the raw client starts threads');
          return client.ownThread(msg.cwd);
        case 'ownTurn':
          if (!(client instanceof RawClient)) throw new Error('only the raw client starts turns');
          await client.ownTurn(msg.threadId, msg.text);
          return null;
      }
    };
    run().then(
      (out) => reply(typeof out === 'string' ? { type: 'reply', id: msg.id, record: null, value: out } : { type: 'reply', id: msg.id, record: out }),
      (e: unknown) => reply({ type: 'reply', id: msg.id, record: null, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  reply({ type: 'ready' });
}

main().catch((e: unknown) => port.postMessage({ type: 'failed', error: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies FromWorker));
