/**
 * A micro-benchmark of the sidecar's relay alone, for before/after comparisons on a busy machine:
 * the real AppServerConnection → RuntimeEvents → EventBus → ClientHub/ClientStream → client socket,
 * fed by a stand-in WebSocket peer that writes app-server's exact delta frames (`ws.send` per frame,
 * optionally `--gap-us` apart, yielding every `--burst` frames), read by a plain socket reader.
 * Feeder and reader are child processes of their own, so the CPU time measured (process.cpuUsage
 * of the relay process) is the relay's alone.
 * Rounds alternate between the source trees given, so both see the same machine load.
 *
 *   npx tsx bench/relayMicro.ts <root A> <root B> [--rounds 6] [--floods 5] [--count 20000] [--burst 3] [--gap-us 0]
 *   e.g. npx tsx bench/relayMicro.ts /tmp/hotpath-base .        (main's checkout vs this one)
 *
 * Not the real codex: `npm run bench` is the measure of record; this isolates the relay's CPU.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import { median } from './benchStats';

type Role = 'runner' | 'relay' | 'peer' | 'reader';
const role = (process.env.RELAY_MICRO_ROLE ?? 'runner') as Role;
const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const COUNT = arg('count', 20_000);
const FLOODS = arg('floods', 5);
const ROUNDS = arg('rounds', 6);
/** Frames the peer writes before yielding to its event loop. */
const BURST = arg('burst', 3);
/** Microseconds the peer waits (busy) after each frame, like app-server producing the next one (0: as fast as it can). */
const GAP_US = arg('gap-us', 0);

interface FloodResult {
  cpuMs: number;
  userMs: number;
  sysMs: number;
  reads: number;
  writes: number;
  wallMs: number;
}

function syscalls(): { reads: number; writes: number } {
  const io = readFileSync('/proc/self/io', 'utf8');
  const n = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(io)?.[1] ?? Number.NaN);
  return { reads: n('syscr'), writes: n('syscw') };
}

/** Child: the stand-in app-server, a WebSocket server writing delta frames when told to. */
async function peer(): Promise<void> {
  const dir = process.env.RELAY_MICRO_DIR!;
  const wsPath = join(dir, 'app.sock');
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  await new Promise<void>((r) => http.listen(wsPath, r));
  const sockets: Array<import('ws').WebSocket> = [];
  wss.on('connection', (ws) => sockets.push(ws));
  process.send!({ type: 'listening', wsPath });
  process.on('message', (m: { type: string }) => {
    if (m.type !== 'flood') return;
    const ws = sockets[0]!;
    const ids = '"threadId":"01a251a0-d0f8-74b2-a58a-a91731ae4a27","turnId":"01a251a0-d162-7920-9f4e-01e63b39c7a8","itemId":"msg_dc1d48fe753925ca3054ecdf"';
    const frame = (d: string): string => `{"method":"item/agentMessage/delta","params":{${ids},"delta":"${d}"},"emittedAtMs":${Date.now()}}`;
    let sent = 0;
    const pump = (): void => {
      for (let k = 0; k < BURST && sent < COUNT; k++, sent++) {
        ws.send(sent === COUNT - 1 ? frame('END') : frame('word '));
        if (GAP_US > 0) for (const until = process.hrtime.bigint() + BigInt(GAP_US * 1000); process.hrtime.bigint() < until; );
      }
      if (sent < COUNT) setImmediate(pump);
    };
    pump();
  });
}

/** Child: the relay's client, reading its socket; says when a flood's last delta arrived. */
async function reader(): Promise<void> {
  const sock = connect(join(process.env.RELAY_MICRO_DIR!, 'hub.sock'));
  let tail = '';
  sock.on('data', (chunk: Buffer) => {
    const text = tail + chunk.toString('latin1');
    if (text.includes('END"')) process.send!({ type: 'flooded' }); // (merged deltas end with it too)
    tail = text.slice(-32);
  });
  sock.on('connect', () => {
    const frame = (m: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...m });
      return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    };
    // initialize first (a hub that requires it), then the subscription.
    sock.write(frame({ id: 1, method: 'initialize', params: { processId: process.pid, clientInfo: { name: 'relay-micro' }, capabilities: {} } }) + frame({ id: 2, method: 'events/subscribe' }));
  });
}

/** Child: the relay of one source tree, measured. */
async function relay(): Promise<void> {
  const root = resolve(process.env.RELAY_MICRO_ROOT!);
  const dir = process.env.RELAY_MICRO_DIR!;
  const { AppServerConnection } = (await import(join(root, 'server/runtime/appServerConnection'))) as typeof import('../server/runtime/appServerConnection');
  const { RuntimeEvents } = (await import(join(root, 'server/events/runtimeEvents'))) as typeof import('../server/events/runtimeEvents');
  const { EventBus } = (await import(join(root, 'server/events/eventBus'))) as typeof import('../server/events/eventBus');
  const { ClientHub } = (await import(join(root, 'server/clients/clientHub'))) as typeof import('../server/clients/clientHub');
  const { RequestType, RequestType0 } = await import('vscode-jsonrpc/node');
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, forSource: () => silent, onLog: () => ({ dispose() {} }) };
  const log = silent as unknown as import('../server/logger').Logger;
  const bus = new EventBus(10_000);
  const hub = new ClientHub(log);
  const hubPath = join(dir, 'hub.sock');
  let subscribed: (() => void) | undefined;
  hub.onRequest(new RequestType<unknown, null, void>('initialize'), () => null);
  hub.onRequest(new RequestType0<null, void>('events/subscribe'), (_p, client) => {
    hub.streamFor(client);
    subscribed?.();
    return null;
  });
  const withPush = hub as unknown as { pushEvent?: (e: unknown) => void };
  bus.onEvent((e) => {
    if (withPush.pushEvent) withPush.pushEvent(e);
    else for (const c of hub.all()) c.stream?.push(e);
  });
  await hub.listen(hubPath);
  const child = (r: Role): ChildProcess => fork(__filename, process.argv.slice(2), { env: { ...process.env, RELAY_MICRO_ROLE: r }, execArgv: process.execArgv });
  const peerProc = child('peer');
  const message = (from: ChildProcess, type: string): Promise<{ wsPath?: string }> =>
    new Promise((r) => {
      const on = (m: { type: string; wsPath?: string }): void => {
        if (m.type !== type) return;
        from.off('message', on);
        r(m);
      };
      from.on('message', on);
    });
  const { wsPath } = await message(peerProc, 'listening');
  const conn = await AppServerConnection.connect(wsPath!, log);
  const withDelta = bus as unknown as { emitDelta?: (...a: unknown[]) => void };
  const deps = { emit: (b: never) => bus.emit(b), emitDelta: (...a: unknown[]) => withDelta.emitDelta?.(...a), log } as unknown as ConstructorParameters<typeof RuntimeEvents>[0];
  new RuntimeEvents(deps).attach(conn);
  let readerProc: ChildProcess | undefined;
  await new Promise<void>((r) => {
    subscribed = r;
    readerProc = child('reader');
  });
  const results: FloodResult[] = [];
  for (let i = 0; i < FLOODS + 2; i++) {
    const c0 = process.cpuUsage();
    const s0 = syscalls();
    const t0 = process.hrtime.bigint();
    const done = message(readerProc!, 'flooded');
    peerProc.send({ type: 'flood' });
    await done;
    const c = process.cpuUsage(c0);
    const s1 = syscalls();
    const r = { userMs: c.user / 1000, sysMs: c.system / 1000, cpuMs: (c.user + c.system) / 1000, reads: s1.reads - s0.reads, writes: s1.writes - s0.writes, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 };
    if (i >= 2) results.push(r); // two warm-up floods
  }
  process.send!({ type: 'results', results });
  peerProc.kill();
  readerProc?.kill();
  conn.close();
  await hub.close();
  process.exit(0);
}

/** RELAY_MICRO_CPU_PROF=<dir>: each relay process runs under --cpu-prof into <dir>. */
const profArgs = process.env.RELAY_MICRO_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RELAY_MICRO_CPU_PROF}`] : [];

async function runner(): Promise<void> {
  const roots = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  if (roots.length === 0) throw new Error('usage: npx tsx bench/relayMicro.ts <root A> [<root B> …] [--rounds N] [--floods N] [--count N] [--burst N]');
  const all = new Map<string, FloodResult[]>(roots.map((r) => [r, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? roots : [...roots].reverse();
    for (const root of order) {
      const dir = mkdtempSync(join(tmpdir(), 'relay-micro-'));
      const child = fork(__filename, process.argv.slice(2), { env: { ...process.env, RELAY_MICRO_ROLE: 'relay', RELAY_MICRO_ROOT: root, RELAY_MICRO_DIR: dir }, execArgv: [...process.execArgv, ...profArgs] });
      const results = await new Promise<FloodResult[]>((res, rej) => {
        child.on('message', (m: { type: string; results: FloodResult[] }) => m.type === 'results' && res(m.results));
        child.on('exit', (code) => rej(new Error(`relay of ${root} exited with ${code}`)));
      });
      rmSync(dir, { recursive: true, force: true });
      all.get(root)!.push(...results);
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
      console.log(`round ${round + 1} ${root}: cpu ms per flood ${results.map((r) => r.cpuMs.toFixed(0)).join(' ')}; writes ${results.map((r) => r.writes).join(' ')}; loadavg ${load}`);
    }
  }
  console.log(`\n${COUNT} deltas per flood, ${ROUNDS} rounds × ${FLOODS} floods per tree (medians):`);
  for (const [root, rs] of all) {
    const m = (f: (r: FloodResult) => number): string => median(rs.map(f)).toFixed(0);
    console.log(`${root}: cpu ${m((r) => r.cpuMs)} ms (user ${m((r) => r.userMs)}, sys ${m((r) => r.sysMs)}), read syscalls ${m((r) => r.reads)}, write syscalls ${m((r) => r.writes)}, wall ${m((r) => r.wallMs)} ms`);
  }
}

const main = role === 'peer' ? peer : role === 'reader' ? reader : role === 'relay' ? relay : runner;
main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
