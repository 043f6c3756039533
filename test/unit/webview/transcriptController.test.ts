import * as assert from 'node:assert/strict';
import type { RequestType } from 'vscode-jsonrpc';
import { ErrorCodes, FleetError } from '../../../protocol/errors';
import type { SessionsReadResult } from '../../../protocol/sidecarProtocol';
import type { FleetEvent, FleetEventBody } from '../../../protocol/types';
import type { HostMessageOf, HostToWebviewMessage } from '../../../protocol/webviewProtocol';
import type { Disposable, TranscriptBackend } from '../../../client/transcript/transcriptBackend';
import { TranscriptController, type TranscriptUi } from '../../../client/transcript/transcriptController';
import { SESSION_ID, agentMessage, session, turn } from '../../support/transcriptFixtures';

/** A sidecar stand-in: requests are answered by handlers; events are pushed by the test. */
class FakeBackend implements TranscriptBackend {
  lastSeq = 0;
  readonly calls: Array<{ method: string; params: unknown }> = [];
  private readonly listeners = new Set<(e: FleetEvent) => void>();
  private readonly reconnect = new Set<(e: { gap: boolean }) => void>();
  handlers: Record<string, (params: unknown) => Promise<unknown>> = {};

  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    this.calls.push({ method: type.method, params });
    const h = this.handlers[type.method];
    if (!h) return {} as R;
    return (await h(params)) as R;
  }
  onEvent(l: (e: FleetEvent) => void): Disposable {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }
  async subscribe(): Promise<Disposable> {
    return { dispose() {} };
  }
  onDidReconnect(l: (e: { gap: boolean }) => void): Disposable {
    this.reconnect.add(l);
    return { dispose: () => this.reconnect.delete(l) };
  }
  emit(body: FleetEventBody, seq: number): void {
    this.lastSeq = seq;
    const e = { ...body, seq, time: seq } as FleetEvent;
    for (const l of this.listeners) l(e);
  }
  fireReconnect(gap: boolean): void {
    for (const l of this.reconnect) l({ gap });
  }
}

/** The webview: records posts; posts resolve when the test says so (to model a busy channel). */
class FakePort {
  readonly posted: HostToWebviewMessage[] = [];
  hold = false;
  private readonly waiting: Array<() => void> = [];
  post(m: HostToWebviewMessage): Promise<boolean> {
    this.posted.push(structuredClone(m));
    if (!this.hold) return Promise.resolve(true);
    return new Promise((r) => this.waiting.push(() => r(true)));
  }
  release(): void {
    this.hold = false;
    for (const w of this.waiting.splice(0)) w();
  }
  of<T extends HostToWebviewMessage['type']>(type: T): Array<HostMessageOf<T>> {
    return this.posted.filter((m): m is HostMessageOf<T> => m.type === type);
  }
}

const ui = (): TranscriptUi & { logs: string[] } => {
  const logs: string[] = [];
  return {
    logs,
    openLink: async () => {},
    openFile: async () => {},
    openDiff: async () => {},
    copy: async () => {},
    save: async () => {},
    pickImages: async () => [{ path: '/tmp/a.png', name: 'a.png' }],
    setTitle: () => {},
    log: (m) => logs.push(m),
    theme: () => 'dark',
    defaults: () => undefined,
  };
};

const delta = (d: string, itemId = 'a1'): FleetEventBody => ({ kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId, stream: 'agentMessage', delta: d });

function readResult(lastSeq?: number): SessionsReadResult {
  return { session: session(), turns: [turn('t1', [agentMessage('a1', 'snap')], 'inProgress')], queue: [], pending: [], ...(lastSeq === undefined ? {} : { lastSeq }) } as SessionsReadResult; // without lastSeq: an older sidecar
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('client/transcriptController', () => {
  it('posts nothing before ready, then an init snapshot', async () => {
    const backend = new FakeBackend();
    backend.handlers['sessions/read'] = async () => readResult(5);
    const port = new FakePort();
    const c = new TranscriptController(SESSION_ID, backend, port, ui());
    backend.emit(delta('x'), 6);
    c.focusRequest('req-1');
    await tick();
    assert.equal(port.posted.length, 0);
    await c.onWebviewMessage({ type: 'ready', protocolVersion: 1 });
    const [init] = port.of('init');
    assert.equal(init.snapshot.lastSeq, 5);
    assert.equal(init.focusRequestId, 'req-1', 'a focus asked for before ready rides on the init');
    assert.equal(port.of('events').length, 0, 'the event before ready is part of what the snapshot re-reads');
  });

  it('stitches events that arrive during the read after the snapshot, dropping those it already contains', async () => {
    const backend = new FakeBackend();
    let finishRead!: (r: SessionsReadResult) => void;
    backend.handlers['sessions/read'] = () => new Promise((r) => (finishRead = r));
    const port = new FakePort();
    const c = new TranscriptController(SESSION_ID, backend, port, ui());
    const ready = c.onWebviewMessage({ type: 'ready', protocolVersion: 1 });
    await tick();
    backend.emit(delta('A'), 11); // already in the snapshot (lastSeq 12)
    backend.emit(delta('B'), 12); // already in the snapshot
    backend.emit(delta('C'), 13); // not yet
    finishRead(readResult(12));
    await ready;
    backend.emit(delta('D'), 14);
    await tick();
    assert.deepEqual(
      port.posted.map((m) => m.type),
      ['init', 'events', 'events'],
    );
    const batches = port.of('events');
    assert.equal(batches[0].prevSeq, 12);
    assert.deepEqual(batches[0].events.map((e) => e.seq), [13]);
    assert.equal(batches[1].prevSeq, 13, 'each batch names the seq it follows');
  });

  it('merges adjacent deltas while a post is in flight (no timer), keeping the last seq', async () => {
    const backend = new FakeBackend();
    backend.handlers['sessions/read'] = async () => readResult(1);
    const port = new FakePort();
    const c = new TranscriptController(SESSION_ID, backend, port, ui());
    await c.onWebviewMessage({ type: 'ready', protocolVersion: 1 });
    port.hold = true;
    backend.emit(delta('a'), 2); // posted at once: the channel was idle
    backend.emit(delta('b'), 3);
    backend.emit(delta('c'), 4);
    backend.emit(delta('z', 'other'), 5);
    backend.emit(delta('d'), 6);
    assert.equal(port.of('events').length, 1);
    port.release();
    await tick();
    const [first, second] = port.of('events');
    assert.deepEqual(first.events.map((e) => e.seq), [2]);
    assert.equal(second.prevSeq, 2);
    assert.deepEqual(
      second.events.map((e) => (e.kind === 'item/delta' ? `${e.itemId}:${e.delta}@${e.seq}` : e.kind)),
      ['a1:bc@4', 'other:z@5', 'a1:d@6'],
    );
  });

  it('drops duplicates replayed after a reconnect and reloads the snapshot on a gap', async () => {
    const backend = new FakeBackend();
    let reads = 0;
    backend.handlers['sessions/read'] = async () => readResult(++reads === 1 ? 1 : 50);
    const port = new FakePort();
    const c = new TranscriptController(SESSION_ID, backend, port, ui());
    await c.onWebviewMessage({ type: 'ready', protocolVersion: 1 });
    backend.emit(delta('a'), 2);
    backend.emit(delta('a'), 2); // replayed
    await tick();
    assert.deepEqual(port.of('events').flatMap((b) => b.events.map((e) => e.seq)), [2]);
    backend.fireReconnect(false);
    await tick();
    assert.equal(port.of('init').length, 1, 'a clean replay needs no snapshot');
    backend.fireReconnect(true);
    await tick();
    await tick();
    assert.equal(port.of('init').length, 2);
    assert.equal(port.of('init')[1].snapshot.lastSeq, 50);
  });

  it('falls back to the connection seq when sessions/read carries none', async () => {
    const backend = new FakeBackend();
    backend.lastSeq = 77;
    backend.handlers['sessions/read'] = async () => readResult();
    const port = new FakePort();
    const c = new TranscriptController(SESSION_ID, backend, port, ui());
    await c.onWebviewMessage({ type: 'ready', protocolVersion: 1 });
    assert.equal(port.of('init')[0].snapshot.lastSeq, 77);
  });

  it('ignores other sessions, forwards runtime state, and stops posting once the webview is gone', async () => {
    const backend = new FakeBackend();
    backend.handlers['sessions/read'] = async () => readResult(1);
    const port = new FakePort();
    const c = new TranscriptController(SESSION_ID, backend, port, ui());
    await c.onWebviewMessage({ type: 'ready', protocolVersion: 1 });
    backend.emit({ kind: 'turn/started', sessionId: 'other', turnId: 'x' }, 2);
    backend.emit({ kind: 'runtime/state', runtime: { state: 'restarting', codexPath: 'codex', codexSource: 'path', restarts: 1 } }, 3);
    c.webviewGone();
    backend.emit(delta('late'), 4);
    await tick();
    assert.deepEqual(port.of('events').flatMap((b) => b.events.map((e) => e.kind)), ['runtime/state']);
  });

  it('answers commands with results; "already resolved" is flagged for the card', async () => {
    const backend = new FakeBackend();
    backend.handlers['requests/answer'] = async () => {
      throw new FleetError(ErrorCodes.AlreadyResolved, 'already resolved by cli');
    };
    backend.handlers['sessions/send'] = async () => ({ delivery: 'started', turnId: 't2' });
    const port = new FakePort();
    const c = new TranscriptController(SESSION_ID, backend, port, ui());
    await c.onWebviewMessage({ type: 'send', id: 1, text: 'hi', images: [], controls: { effort: 'high' } });
    await c.onWebviewMessage({ type: 'answerRequest', id: 2, requestId: 'req-1', answer: { type: 'decision', decision: 'accept' } });
    await c.onWebviewMessage({ type: 'attachImages', id: 3 });
    await c.onWebviewMessage({ type: 'steer', id: 4, text: 'and this', images: [] });
    // The sidecar decides whether a turn runs: a turn that just ended (or started elsewhere) loses nothing.
    assert.deepEqual(backend.calls[0], { method: 'sessions/send', params: { sessionId: SESSION_ID, text: 'hi', images: [], controls: { effort: 'high' }, whileRunning: 'steer' } });
    assert.deepEqual(backend.calls.at(-1), { method: 'sessions/send', params: { sessionId: SESSION_ID, text: 'and this', images: [], whileRunning: 'steer' } });
    const results = port.of('result');
    assert.deepEqual(results[0], { type: 'result', replyTo: 1, ok: true });
    assert.equal(results[1].ok, false);
    assert.equal(results[1].ok === false && results[1].alreadyResolved, true);
    assert.deepEqual(port.of('imagesPicked')[0], { type: 'imagesPicked', replyTo: 3, images: [{ path: '/tmp/a.png', name: 'a.png' }] });
  });

  it('rejects malformed webview messages without acting on them', async () => {
    const backend = new FakeBackend();
    const u = ui();
    const c = new TranscriptController(SESSION_ID, backend, new FakePort(), u);
    await c.onWebviewMessage({ type: 'answerRequest', id: 1, requestId: 'r', answer: { type: 'decision' } });
    await c.onWebviewMessage({ type: 'openLink', url: 42 });
    await c.onWebviewMessage('ready');
    assert.equal(backend.calls.length, 0);
    assert.equal(u.logs.length, 3);
  });
});
