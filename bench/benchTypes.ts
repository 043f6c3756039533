/**
 * The parent ⇄ client-worker protocol of the sidecar benchmark, and the parent's handle on a
 * worker (loaded through tsx's CommonJS hook, since worker threads do not inherit tsx's loader).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export type ClientRole = 'raw' | 'sidecar';

export interface WorkerInit {
  role: ClientRole;
  workspace: string;
  env: NodeJS.ProcessEnv;
  appServerSocket: string;
  /** `process.hrtime.bigint()` of the parent at start, as a decimal string; times come back relative to it. */
  baseNs: string;
}

export interface ArmParams {
  /** The session (Codex thread) whose turn to record. */
  sessionId: string;
  /** Deltas carry `"<hrtime ns> "` stamps: record receipt − stamp for each. */
  stamped: boolean;
  /** The exact text the turn streams, when known in advance (else the agentMessage's final text is used). */
  expectedText?: string;
  /** Characters per delta, to count deltas when several were merged into one message. */
  charsPerDelta: number;
}

/** What one client saw of one turn (from arm to its `turn/completed`). */
export interface TurnRecord {
  role: ClientRole;
  /** turn/completed's turn id and status (error message appended when it failed). */
  turnId: string;
  status: string;
  /** Every JSON-RPC message / WebSocket frame received. */
  messages: number;
  /** Messages that carried agentMessage delta text. */
  deltaMessages: number;
  /** Deltas received (counted by characters: merged messages carry several). */
  deltas: number;
  chars: number;
  /** The concatenated delta text equals what the model sent. */
  textOk: boolean;
  /** Bytes read on the client's socket (framing included). */
  bytes: number;
  /** Socket reads ('data' chunks): a message split over two writes often costs the client two wake-ups. */
  reads: number;
  /** Receipt times (ns, relative to WorkerInit.baseNs) of the first and last delta and of turn/completed. */
  firstNs: number;
  lastNs: number;
  completedNs: number;
  /** receipt − stamp (ns) per stamp, at the client's message handler. */
  latenciesNs: number[];
  /** receipt − stamp (ns) per stamp when the bytes reached the socket (sidecar client only). */
  socketLatenciesNs: number[];
}

export type ToWorker = { id: number } & (
  /** Follow this session (the raw client leaves the previous thread and resumes this one). */
  | { type: 'subscribe'; sessionId: string }
  /** Stop receiving the session's events (for a solo turn of the other client). */
  | { type: 'unsubscribe' }
  /** Raw client only: start a thread of its own (the sidecar is not subscribed to it); replies with its id. */
  | { type: 'ownThread'; cwd: string }
  /** Raw client only: start a turn on its own thread. */
  | { type: 'ownTurn'; threadId: string; text: string }
  | { type: 'arm'; params: ArmParams }
  | { type: 'collect' }
  | { type: 'close' }
);

export type FromWorker =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; record: TurnRecord | null; value?: string; error?: string };

export interface Reply {
  record: TurnRecord | null;
  value?: string;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Command = DistributiveOmit<ToWorker, 'id'>;

export class ClientWorker {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  private constructor(
    readonly role: ClientRole,
    private readonly worker: Worker,
  ) {
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'reply') return;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) w?.reject(new Error(`${role} client: ${m.error}`));
      else w?.resolve({ record: m.record, value: m.value });
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', () => this.failAll(new Error(`${role} client worker exited`)));
  }

  static start(init: WorkerInit): Promise<ClientWorker> {
    const file = join(__dirname, 'clientWorker.ts');
    const tsx = require.resolve('tsx/cjs/api');
    const worker = new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`, { eval: true, workerData: init });
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        worker.off('message', onMessage);
        if (m.type === 'ready') resolve(new ClientWorker(init.role, worker));
        else reject(new Error(`${init.role} client failed to start: ${m.type === 'failed' ? m.error : m.type}`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  call(cmd: Command, timeoutMs = 60_000): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.role} client: no answer to ${cmd.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.worker.postMessage({ ...cmd, id });
    });
  }

  async collect(timeoutMs: number): Promise<TurnRecord> {
    const { record } = await this.call({ type: 'collect' }, timeoutMs);
    if (!record) throw new Error(`${this.role} client returned no record`);
    return record;
  }

  async close(): Promise<void> {
    await this.call({ type: 'close' }, 5_000).catch(() => undefined);
    await this.worker.terminate();
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
