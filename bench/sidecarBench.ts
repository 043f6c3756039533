/**
 * Sidecar benchmark: the built sidecar supervising the real pinned codex, driven by the scripted
 * model, against a raw client of the same `codex app-server` (see /work/shared/notes/performance.md).
 *
 * Both clients are attached at once and read in their own worker threads, so each turn measures
 * both on the same deltas. Flood rounds also interleave solo turns, order alternating per round:
 * the raw client alone on a thread of its own (the sidecar is not subscribed to it: the baseline of
 * performance.md) and the sidecar client alone (the raw client leaves the session). Each round uses
 * fresh threads (Codex would otherwise compact the ever-longer context).
 *
 *   npm run bench            (builds, then runs every bench)
 *   npx tsx bench/run.ts sidecar
 *
 * Environment (for profiling and before/after comparisons):
 *   CODEX_FLEET_BENCH_CPU_PROF=<dir>   the sidecar runs under `node --cpu-prof`; its .cpuprofile
 *                                      lands in <dir> when it stops
 *   CODEX_FLEET_BENCH_SIDECAR=<file>   the sidecar bundle to measure (default dist/server/sidecar.js),
 *                                      e.g. another checkout's build
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FleetStatusRequest, SessionsSend, SessionsStart, SessionsWaitTurn } from '../protocol/sidecarProtocol';
import type { FleetClient } from '../sdk/fleetClient';
import { startSidecar } from '../sdk/launcher';
import { statePaths } from '../sdk/stateDir';
import { FleetHarness, SIDECAR_SCRIPT } from '../test/support/fleetHarness';
import type { Step } from '../test/support/scriptedModel';
import { ClientWorker, type ArmParams, type ClientRole, type TurnRecord } from './benchTypes';
import { machineBusyMs, processCpuMs, processCpuSplitMs, processMemory, processSyscalls, type Memory } from './benchStats';
import { summarize, type SidecarSummary } from './sidecarReport';

export interface SidecarBenchOptions {
  /** Deltas per flood turn (default 20,000). */
  floodCount?: number;
  /** Flood rounds; each is one shared turn plus one raw-alone and one sidecar-alone turn (default 5). */
  floodRounds?: number;
  /** Stamped deltas per latency turn (default 2,000), `latencyIntervalMs` apart (default 5). */
  latencyCount?: number;
  latencyIntervalMs?: number;
  /** Latency turns, both clients attached (default 5). */
  latencyReps?: number;
  /** Progress lines (default: stderr). */
  progress?: (line: string) => void;
}

export type TurnMode = 'both' | ClientRole;

export interface BenchTurn {
  kind: 'flood' | 'latency';
  mode: TurnMode;
  /** Deltas the model sent. */
  count: number;
  /** When the client asked the sidecar for the turn (ns, relative to the bench's base). */
  sendNs: number;
  raw?: TurnRecord;
  sidecar?: TurnRecord;
  sidecarCpuMs: number;
  /** The part of sidecarCpuMs spent in the kernel (system calls: socket reads and writes). */
  sidecarSystemCpuMs: number;
  appServerCpuMs: number;
  /** Read / write system calls of the sidecar during the turn (socket reads from app-server, writes to clients). */
  sidecarSyscalls: { reads: number; writes: number };
  /** CPU time the rest of the machine (not sidecar, app-server, or this process) used during the turn. */
  otherCpuMs: number;
  /** Send → both clients saw turn/completed and the sidecar answered waitTurn. */
  wallMs: number;
}

export interface SidecarBenchResult {
  command: string;
  options: Required<Omit<SidecarBenchOptions, 'progress'>>;
  turns: BenchTurn[];
  memory: { idle: Memory; afterFloods: Memory; end: Memory };
  durationMs: number;
  /** CPU time other processes on the machine used while the bench ran (they skew every number). */
  otherCpuMs: number;
  summary: SidecarSummary;
}

export const SIDECAR_BENCH_COMMAND = 'npm run bench   (= npm run build && tsx bench/run.ts; just this part: npx tsx bench/run.ts sidecar)';

export async function runSidecarBench(opts: SidecarBenchOptions = {}): Promise<SidecarBenchResult> {
  const o = {
    floodCount: opts.floodCount ?? 20_000,
    floodRounds: opts.floodRounds ?? 5,
    latencyCount: opts.latencyCount ?? 2_000,
    latencyIntervalMs: opts.latencyIntervalMs ?? 5,
    latencyReps: opts.latencyReps ?? 5,
  };
  const progress = opts.progress ?? ((l: string) => process.stderr.write(`[sidecar bench] ${l}\n`));
  const script = process.env.CODEX_FLEET_BENCH_SIDECAR || SIDECAR_SCRIPT;
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  const started = Date.now();
  const busyAtStart = machineBusyMs();
  const ownAtStart = ownCpuMs();
  const baseNs = process.hrtime.bigint();
  const h = await FleetHarness.create();
  const workers: ClientWorker[] = [];
  /** Processes this bench started (killed if the sidecar does not stop when asked). */
  const pids: number[] = [];
  try {
    await startBenchSidecar(h, script, progress);
    const ctl = await h.connect('bench_control', { subscribe: false });
    await ctl.subscribe({ sinceSeq: 0, kinds: ['runtime/state'] });
    await h.ready(ctl);
    const status = await ctl.request(FleetStatusRequest);
    const sidecarPid = status.sidecar.pid;
    const appServerPid = status.runtime.pid;
    if (!appServerPid) throw new Error('the sidecar reports no app-server pid');
    pids.push(sidecarPid, appServerPid);
    progress(`sidecar pid ${sidecarPid}, app-server pid ${appServerPid}`);
    const init = { workspace: h.workspace, env: h.env, appServerSocket: statePaths(h.workspace, h.env).appServerSocket, baseNs: String(baseNs) };
    const [raw, side] = await Promise.all([ClientWorker.start({ ...init, role: 'raw' }), ClientWorker.start({ ...init, role: 'sidecar' })]);
    workers.push(raw, side);

    // A fresh session per round: 20k-word replies fill the context, and Codex would compact it
    // (consuming a scripted reply) after about a dozen floods in one session. The raw client also
    // gets a thread of its own each round, for its solo turns: the sidecar is not subscribed to it.
    let sessionId = '';
    let rawThreadId = '';
    const newSession = async (): Promise<void> => {
      const { session } = await ctl.request(SessionsStart, { approvalPolicy: 'never', sandbox: 'read-only' });
      // The first turn creates the rollout; thread/resume (the raw client's way in) needs it.
      h.model.enqueue([{ type: 'message', text: 'ready' }]);
      await waitTurn(ctl, session.id, 'hello');
      sessionId = session.id;
      await Promise.all([raw.call({ type: 'subscribe', sessionId }), side.call({ type: 'subscribe', sessionId })]);
      rawThreadId = (await raw.call({ type: 'ownThread', cwd: h.workspace })).value ?? '';
    };
    await newSession();
    const idle = processMemory(sidecarPid);

    const flood: Step = { type: 'stream', count: o.floodCount };
    const floodArm = { stamped: false, expectedText: 'word '.repeat(o.floodCount), charsPerDelta: 5 };
    const runTurn = async (kind: BenchTurn['kind'], mode: TurnMode, step: Step, arm: Omit<ArmParams, 'sessionId'>, count: number): Promise<BenchTurn> => {
      // 'raw': the raw client alone, on its own thread; otherwise a turn of the sidecar's session.
      const attached = mode === 'both' ? [raw, side] : mode === 'raw' ? [raw] : [side];
      const target = mode === 'raw' ? rawThreadId : sessionId;
      h.model.enqueue([step]);
      await Promise.all(attached.map((w) => w.call({ type: 'arm', params: { ...arm, sessionId: target } })));
      const sys0 = processSyscalls(sidecarPid);
      const cpu0 = processCpuSplitMs(sidecarPid);
      const as0 = processCpuMs(appServerPid);
      const own0 = ownCpuMs();
      const busy0 = machineBusyMs();
      const t0 = process.hrtime.bigint();
      let turnId: string | undefined;
      if (mode === 'raw') {
        await raw.call({ type: 'ownTurn', threadId: target, text: `${kind} ${mode}` });
      } else {
        turnId = (await ctl.request(SessionsSend, { sessionId, text: `${kind} ${mode}` })).turnId;
        if (!turnId) throw new Error('the turn did not start');
      }
      const records = await Promise.all(attached.map((w) => w.collect(180_000)));
      for (const r of records) {
        if (turnId && r.turnId !== turnId) throw new Error(`${r.role} client saw turn/completed of ${r.turnId}, not of ${turnId}`);
      }
      if (turnId) await ctl.request(SessionsWaitTurn, { sessionId, turnId, timeoutMs: 60_000 });
      const t1 = process.hrtime.bigint();
      const cpu1 = processCpuSplitMs(sidecarPid);
      const sidecarCpuMs = cpu1.user + cpu1.system - cpu0.user - cpu0.system;
      const sidecarSystemCpuMs = cpu1.system - cpu0.system;
      const sys1 = processSyscalls(sidecarPid);
      const appServerCpuMs = processCpuMs(appServerPid) - as0;
      const otherCpuMs = machineBusyMs() - busy0 - sidecarCpuMs - appServerCpuMs - (ownCpuMs() - own0);
      const turn: BenchTurn = {
        kind,
        mode,
        count,
        sendNs: Number(t0 - baseNs),
        raw: records.find((r) => r.role === 'raw'),
        sidecar: records.find((r) => r.role === 'sidecar'),
        sidecarCpuMs,
        sidecarSystemCpuMs,
        sidecarSyscalls: { reads: sys1.reads - sys0.reads, writes: sys1.writes - sys0.writes },
        appServerCpuMs,
        otherCpuMs,
        wallMs: Number(t1 - t0) / 1e6,
      };
      progress(describe(turn));
      return turn;
    };
    /** The sidecar client alone: the raw client leaves the session for the turn. */
    const sidecarAlone = async (): Promise<BenchTurn> => {
      await raw.call({ type: 'unsubscribe' });
      try {
        return await runTurn('flood', 'sidecar', flood, floodArm, o.floodCount);
      } finally {
        await raw.call({ type: 'subscribe', sessionId });
      }
    };

    // Warm-up floods (discarded), which also prove the raw client receives the deltas.
    const warm = await runTurn('flood', 'both', flood, floodArm, o.floodCount);
    if (!warm.raw || warm.raw.deltaMessages === 0) throw new Error('the raw client received no item/agentMessage/delta after thread/resume');
    await runTurn('flood', 'raw', flood, floodArm, o.floodCount);
    const turns: BenchTurn[] = [];
    for (let r = 0; r < o.floodRounds; r++) {
      if (r > 0) await newSession();
      turns.push(await runTurn('flood', 'both', flood, floodArm, o.floodCount));
      const order: ClientRole[] = r % 2 === 0 ? ['raw', 'sidecar'] : ['sidecar', 'raw'];
      for (const mode of order) turns.push(mode === 'raw' ? await runTurn('flood', 'raw', flood, floodArm, o.floodCount) : await sidecarAlone());
    }
    const afterFloods = processMemory(sidecarPid);
    const stamped: Step = { type: 'stream', count: o.latencyCount, intervalMs: o.latencyIntervalMs, stamp: true };
    await newSession();
    for (let r = 0; r < o.latencyReps; r++) {
      turns.push(await runTurn('latency', 'both', stamped, { stamped: true, charsPerDelta: 0 }, o.latencyCount));
    }
    const memory = { idle, afterFloods, end: processMemory(sidecarPid) };
    const durationMs = Date.now() - started;
    const otherCpuMs = machineBusyMs() - busyAtStart - (ownCpuMs() - ownAtStart) - processCpuMs(sidecarPid) - processCpuMs(appServerPid);
    return { command: SIDECAR_BENCH_COMMAND, options: o, turns, memory, durationMs, otherCpuMs, summary: summarize(turns, memory, o.floodCount) };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await stopAll(h, pids, progress);
  }
}

/**
 * Start the sidecar before the harness connects (it then finds it running): the bundle of
 * CODEX_FLEET_BENCH_SIDECAR, under `node --cpu-prof` when CODEX_FLEET_BENCH_CPU_PROF names a
 * directory (node refuses --cpu-prof in NODE_OPTIONS, so a wrapper script passes it).
 */
async function startBenchSidecar(h: FleetHarness, script: string, progress: (l: string) => void): Promise<void> {
  const profDir = process.env.CODEX_FLEET_BENCH_CPU_PROF;
  let nodePath: string | undefined;
  if (profDir) {
    mkdirSync(profDir, { recursive: true });
    nodePath = join(h.root, 'node-cpu-prof.sh');
    writeFileSync(nodePath, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --cpu-prof --cpu-prof-dir=${JSON.stringify(profDir)} "$@"\n`, { mode: 0o755 });
    progress(`profiling the sidecar into ${profDir}`);
  }
  if (script !== SIDECAR_SCRIPT) progress(`sidecar bundle: ${script}`);
  await startSidecar({ workspace: h.workspace, env: h.env, sidecarScript: script, nodePath });
}

/** Stop the sidecar through the harness; if it has not stopped in 20 s, kill what this bench started. */
async function stopAll(h: FleetHarness, pids: number[], progress: (l: string) => void): Promise<void> {
  const disposed = h.dispose();
  const timedOut = await Promise.race([disposed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 20_000).unref())]);
  if (!timedOut) return;
  progress(`the sidecar did not stop within 20 s of fleet/stop; killing pids ${pids.join(', ')}`);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await Promise.race([disposed, new Promise((r) => setTimeout(r, 10_000).unref())]);
}

/** CPU time of this process (all threads: the scripted model and both client workers), ms. */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function waitTurn(ctl: FleetClient, sessionId: string, text: string): Promise<void> {
  const sent = await ctl.request(SessionsSend, { sessionId, text });
  if (sent.turnId) await ctl.request(SessionsWaitTurn, { sessionId, turnId: sent.turnId, timeoutMs: 60_000 });
}

function describe(t: BenchTurn): string {
  const part = (r: TurnRecord | undefined): string => {
    if (!r) return '';
    const span = (r.lastNs - r.firstNs) / 1e9;
    const rate = span > 0 ? Math.round((r.deltas - 1) / span) : 0;
    const status = r.status === 'completed' ? '' : ` turn ${r.status}`;
    return ` ${r.role}: ${r.deltas} deltas in ${r.deltaMessages} msgs, ${r.reads} reads${r.textOk ? '' : ' TEXT MISMATCH'}${status}, ${rate}/s;`;
  };
  return `${t.kind} ${t.mode}:${part(t.raw)}${part(t.sidecar)} sidecar cpu ${t.sidecarCpuMs.toFixed(0)} ms (sys ${t.sidecarSystemCpuMs.toFixed(0)}), ${t.sidecarSyscalls.writes} writes, app-server cpu ${t.appServerCpuMs.toFixed(0)} ms, others ${t.otherCpuMs.toFixed(0)} ms, ${t.wallMs.toFixed(0)} ms`;
}
