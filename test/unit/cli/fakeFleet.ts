/**
 * A fake sidecar connection for CLI unit tests: requests are answered by per-method handlers,
 * events are pushed by the test, and every call is recorded.
 */
import type { RequestType, RequestType0 } from 'vscode-jsonrpc';
import { ErrorCodes, FleetError } from '../../../protocol/errors';
import type { SubscribeParams, SubscribeResult } from '../../../protocol/sidecarProtocol';
import type { FleetEvent, FleetEventBody, FleetStatus, SessionSummary } from '../../../protocol/types';
import type { CliDeps } from '../../../cli/run';
import { runCli } from '../../../cli/run';
import type { Disposable, FleetApi, Writer } from '../../../cli/context';
import type { StatePaths } from '../../../sdk/stateDir';

export type Handler = (params: unknown, fake: FakeFleet) => unknown;

export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export class FakeFleet implements FleetApi {
  readonly calls: Array<{ method: string; params: unknown }> = [];
  readonly handlers = new Map<string, Handler>();
  readonly paths: StatePaths = {
    workspace: '/ws',
    dir: '/state/abc',
    socketPath: '/state/abc/sidecar.sock',
    lockPath: '/state/abc/sidecar.lock',
    logPath: '/state/abc/sidecar.log',
    appServerSocket: '/state/abc/app-server.sock',
  };
  readonly started = false;
  status: FleetStatus = fleetStatus();
  isClosed = false;
  subscriptions: SubscribeParams[] = [];
  /** Events replayed on subscribe (those with seq > sinceSeq), before the result. */
  buffered: FleetEvent[] = [];
  /** Deliver replayed events after the subscribe result (as a sidecar whose queue lags might). */
  lateReplay = false;
  private seq = 0;
  private readonly eventListeners = new Set<(e: FleetEvent) => void>();
  private readonly closeListeners = new Set<() => void>();

  on(method: { method: string }, handler: Handler): this {
    this.handlers.set(method.method, handler);
    return this;
  }

  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  request<R>(type: RequestType0<R, void>): Promise<R>;
  async request(type: { method: string }, params?: unknown): Promise<unknown> {
    this.calls.push({ method: type.method, params });
    if (this.isClosed) throw new FleetError(ErrorCodes.RuntimeUnavailable, 'the connection to the sidecar is closed');
    const h = this.handlers.get(type.method);
    if (!h) throw new FleetError(ErrorCodes.MethodNotFound, `fake: no handler for ${type.method}`);
    return h(params, this);
  }

  async subscribe(params: SubscribeParams = {}): Promise<SubscribeResult> {
    this.calls.push({ method: 'events/subscribe', params });
    this.subscriptions.push(params);
    const since = params.sinceSeq;
    let replayed = 0;
    if (since !== undefined) {
      const replay = this.buffered.filter((e) => e.seq > since);
      replayed = replay.length;
      if (this.lateReplay) setImmediate(() => replay.forEach((e) => this.deliver(e)));
      else replay.forEach((e) => this.deliver(e));
    }
    return { replayed, gap: false, oldestSeq: this.buffered[0]?.seq ?? 0, lastSeq: this.seq, sidecarStartedAt: this.status.sidecar.startedAt };
  }

  onEvent(listener: (e: FleetEvent) => void): Disposable {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  onClose(listener: () => void): Disposable {
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
  }

  /** Emit a live event (and buffer it). */
  emit(body: FleetEventBody): FleetEvent {
    const e = this.record(body);
    this.deliver(e);
    return e;
  }

  /** Buffer an event without delivering it (for replay tests). */
  record(body: FleetEventBody): FleetEvent {
    const e = { ...body, seq: ++this.seq, time: NOW } as FleetEvent;
    this.buffered.push(e);
    return e;
  }

  private deliver(e: FleetEvent): void {
    for (const l of [...this.eventListeners]) l(e);
  }

  /** The sidecar goes away. */
  drop(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const l of [...this.closeListeners]) l();
  }

  close(): void {
    this.isClosed = true;
  }

  paramsOf(method: { method: string }): unknown[] {
    return this.calls.filter((c) => c.method === method.method).map((c) => c.params);
  }
}

export class BufferWriter implements Writer {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}
  write(text: string): void {
    this.text += text;
  }
  get lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
}

export interface RunResult {
  code: number;
  out: string;
  err: string;
  fake: FakeFleet;
  connects: Array<{ autoStart: boolean }>;
}

/** Run the CLI against `fake`; `running: false` makes connections without autoStart fail like no sidecar. */
export async function run(
  argv: string[],
  fake = new FakeFleet(),
  opts: { running?: boolean; stdin?: string; signal?: AbortSignal; deps?: Partial<CliDeps> } = {},
): Promise<RunResult> {
  const out = new BufferWriter();
  const err = new BufferWriter();
  const connects: Array<{ autoStart: boolean }> = [];
  const code = await runCli(argv, {
    out,
    err,
    env: {},
    cwd: process.cwd(),
    version: '9.9.9',
    connect: async ({ autoStart }) => {
      connects.push({ autoStart });
      if (!autoStart && opts.running === false) throw new FleetError(ErrorCodes.RuntimeUnavailable, 'no sidecar is running');
      return fake;
    },
    readStdin: async () => opts.stdin ?? '',
    signal: opts.signal ?? new AbortController().signal,
    now: () => NOW,
    ...opts.deps,
  });
  return { code, out: out.text, err: err.text, fake, connects };
}

export function session(over: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id: '019a0000-0000-7000-8000-000000000001',
    preview: 'fix the tests',
    cwd: '/ws',
    activity: 'idle',
    archived: false,
    loaded: true,
    pinned: false,
    createdAt: NOW - 3_600_000,
    updatedAt: NOW - 120_000,
    queued: 0,
    ...over,
  };
}

export function fleetStatus(): FleetStatus {
  return {
    sidecar: {
      pid: 4242,
      version: '0.1.0',
      protocolVersion: 1,
      workspace: '/ws',
      stateDir: '/state/abc',
      socketPath: '/state/abc/sidecar.sock',
      startedAt: NOW - 300_000,
      clients: [{ id: 1, name: 'codex-fleet-cli', connectedAt: NOW }],
      idleTimeoutMs: 600_000,
    },
    runtime: { state: 'ready', codexPath: '/bin/codex', codexSource: 'pinned', codexVersion: '0.169.0', pid: 4343, restarts: 0 },
    auth: { apiKeyEnv: true, authFile: false, codexHome: '/home/u/.codex' },
    counts: { sessionsLoaded: 1, running: 0, pendingRequests: 2, queued: 0, agents: 0 },
    lastSeq: 17,
  };
}
