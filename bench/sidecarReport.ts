/**
 * Turns the sidecar benchmark's turns into medians, ratios versus the raw client, and target
 * checks (the targets of /work/shared/notes/performance.md and of issue 2 §12), as a printable table.
 */
import type { TurnRecord } from './benchTypes';
import { fmt, median, minMax, percentile, ratio, sortedCopy, table, type Memory } from './benchStats';
import type { BenchTurn } from './sidecarBench';

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface SidecarSummary {
  checks: TargetCheck[];
  /** The measurement table, then the targets. */
  text: string;
}

const rate = (r: TurnRecord): number => (r.deltas - 1) / ((r.lastNs - r.firstNs) / 1e9);
const turnMs = (t: BenchTurn, r: TurnRecord): number => (r.completedNs - t.sendNs) / 1e6;
const ms = (ns: number): number => ns / 1e6;

function records(turns: BenchTurn[], role: 'raw' | 'sidecar'): TurnRecord[] {
  return turns.map((t) => t[role]).filter((r): r is TurnRecord => r !== undefined);
}

function latencyStats(samples: number[]): { p50: number; p95: number; p99: number } {
  const s = sortedCopy(samples);
  return { p50: ms(percentile(s, 50)), p95: ms(percentile(s, 95)), p99: ms(percentile(s, 99)) };
}

/** Median over turns of each turn's percentile. */
function medianLatency(recs: TurnRecord[], pick: (r: TurnRecord) => number[]): { p50: number; p95: number; p99: number } {
  const per = recs.map((r) => latencyStats(pick(r)));
  return { p50: median(per.map((p) => p.p50)), p95: median(per.map((p) => p.p95)), p99: median(per.map((p) => p.p99)) };
}

export function summarize(turns: BenchTurn[], memory: { idle: Memory; afterFloods: Memory; end: Memory }, floodCount: number): SidecarSummary {
  const floods = turns.filter((t) => t.kind === 'flood');
  const shared = floods.filter((t) => t.mode === 'both');
  const soloRaw = floods.filter((t) => t.mode === 'raw');
  const soloSide = floods.filter((t) => t.mode === 'sidecar');
  const withClientTurns = [...shared, ...soloSide];
  const lat = turns.filter((t) => t.kind === 'latency');
  const rows: string[][] = [];
  const row = (...cells: string[]): void => void rows.push(cells);

  // Throughput.
  const sharedRaw = records(shared, 'raw');
  const sharedSide = records(shared, 'sidecar');
  const pairedRatio = median(shared.map((t) => (t.sidecar && t.raw ? rate(t.sidecar) / rate(t.raw) : Number.NaN)));
  const rawSoloRate = median(records(soloRaw, 'raw').map(rate));
  const sideSoloRate = median(records(soloSide, 'sidecar').map(rate));
  // Each round runs one raw-alone and one sidecar-alone turn back to back: pair them.
  const aloneRatio = median(
    soloRaw.map((t, i) => {
      const s = soloSide[i]?.sidecar;
      return s && t.raw ? rate(s) / rate(t.raw) : Number.NaN;
    }),
  );
  const spread = (rs: TurnRecord[]): string => {
    const [lo, hi] = minMax(rs.map(rate));
    return `${fmt(lo)}–${fmt(hi)}`;
  };
  row(`deltas/s, ${fmt(floodCount)} flood, same turn (${shared.length})`, fmt(median(sharedRaw.map(rate))), fmt(median(sharedSide.map(rate))), `${pairedRatio.toFixed(2)}× (paired)`);
  row('  range over turns', spread(sharedRaw), spread(sharedSide), '');
  row(`deltas/s, alone, A/B (${soloRaw.length}+${soloSide.length})`, fmt(rawSoloRate), fmt(sideSoloRate), `${aloneRatio.toFixed(2)}× (paired by round)`);
  row('  range over turns', spread(records(soloRaw, 'raw')), spread(records(soloSide, 'sidecar')), '');
  const tt = (ts: BenchTurn[], role: 'raw' | 'sidecar'): number => median(ts.flatMap((t) => (t[role] ? [turnMs(t, t[role])] : [])));
  row('turn time send→turn/completed, ms, same turn', fmt(tt(shared, 'raw')), fmt(tt(shared, 'sidecar')), ratio(tt(shared, 'sidecar'), tt(shared, 'raw')));
  row('turn time, ms, alone', fmt(tt(soloRaw, 'raw')), fmt(tt(soloSide, 'sidecar')), ratio(tt(soloSide, 'sidecar'), tt(soloRaw, 'raw')));
  const allRaw = records(turns, 'raw');
  const allSide = records(turns, 'sidecar');
  const exact = (rs: TurnRecord[], t: BenchTurn[]): number => rs.filter((r, i) => r.textOk && r.deltas === (t[i]?.count ?? -1)).length;
  const rawExact = exact(allRaw, turns.filter((t) => t.raw));
  const sideExact = exact(allSide, turns.filter((t) => t.sidecar));
  row('zero loss: turns with the exact text', `${rawExact}/${allRaw.length}`, `${sideExact}/${allSide.length}`, '');

  // Messages and bytes.
  const perDelta = (ts: BenchTurn[], role: 'raw' | 'sidecar', f: (r: TurnRecord) => number): number =>
    median(ts.flatMap((t) => (t[role] ? [f(t[role]) / t.count] : [])));
  const msgs = (r: TurnRecord): number => r.messages;
  const bytes = (r: TurnRecord): number => r.bytes;
  row('messages per delta, flood same turn', perDelta(shared, 'raw', msgs).toFixed(3), perDelta(shared, 'sidecar', msgs).toFixed(3), '');
  row('messages per delta, flood alone', perDelta(soloRaw, 'raw', msgs).toFixed(3), perDelta(soloSide, 'sidecar', msgs).toFixed(3), '');
  row('messages per delta, 5 ms stream', perDelta(lat, 'raw', msgs).toFixed(3), perDelta(lat, 'sidecar', msgs).toFixed(3), '');
  const deltaMsgs = (r: TurnRecord): number => r.deltaMessages;
  row('  of which delta messages, 5 ms stream', perDelta(lat, 'raw', deltaMsgs).toFixed(3), perDelta(lat, 'sidecar', deltaMsgs).toFixed(3), '');
  const reads = (r: TurnRecord): number => r.reads;
  row('client socket reads per delta: flood alone / 5 ms', `${perDelta(soloRaw, 'raw', reads).toFixed(3)} / ${perDelta(lat, 'raw', reads).toFixed(3)}`, `${perDelta(soloSide, 'sidecar', reads).toFixed(3)} / ${perDelta(lat, 'sidecar', reads).toFixed(3)}`, '');
  const writesPerMsg = (ts: BenchTurn[]): number => median(ts.map((t) => t.sidecarSyscalls.writes / (t.sidecar?.messages ?? Number.NaN)));
  row('sidecar write syscalls per message sent: flood / 5 ms', '', `${writesPerMsg(withClientTurns).toFixed(2)} / ${writesPerMsg(lat).toFixed(2)}`, '');
  const readsPerDelta = (ts: BenchTurn[]): number => median(ts.map((t) => t.sidecarSyscalls.reads / t.count));
  row('sidecar read syscalls per delta: flood / 5 ms', '', `${readsPerDelta(floods).toFixed(2)} / ${readsPerDelta(lat).toFixed(2)}`, '');
  const bRawShared = perDelta(shared, 'raw', bytes);
  const bSideShared = perDelta(shared, 'sidecar', bytes);
  const bRawSolo = perDelta(soloRaw, 'raw', bytes);
  const bSideSolo = perDelta(soloSide, 'sidecar', bytes);
  const bRawLat = perDelta(lat, 'raw', bytes);
  const bSideLat = perDelta(lat, 'sidecar', bytes);
  row('bytes per delta (socket), flood same turn', fmt(bRawShared, 1), fmt(bSideShared, 1), ratio(bSideShared, bRawShared));
  row('bytes per delta (socket), flood alone', fmt(bRawSolo, 1), fmt(bSideSolo, 1), ratio(bSideSolo, bRawSolo));
  row('bytes per delta (socket), 5 ms stream', fmt(bRawLat, 1), fmt(bSideLat, 1), ratio(bSideLat, bRawLat));

  // Latency.
  const latRaw = records(lat, 'raw');
  const latSide = records(lat, 'sidecar');
  const lr = medianLatency(latRaw, (r) => r.latenciesNs);
  const ls = medianLatency(latSide, (r) => r.latenciesNs);
  const lsock = medianLatency(latSide, (r) => r.socketLatenciesNs);
  const trip = (x: { p50: number; p95: number; p99: number }): string => `${x.p50.toFixed(3)} / ${x.p95.toFixed(3)} / ${x.p99.toFixed(3)}`;
  const added = { p50: ls.p50 - lr.p50, p95: ls.p95 - lr.p95, p99: ls.p99 - lr.p99 };
  const addedSock = { p50: lsock.p50 - lr.p50, p95: lsock.p95 - lr.p95, p99: lsock.p99 - lr.p99 };
  row(`latency p50/p95/p99 ms, ${lat.length} turns (SDK onEvent)`, trip(lr), trip(ls), `+${trip(added)}`);
  row('  sidecar bytes at the client socket', '', trip(lsock), `+${trip(addedSock)}`);
  const paired = lat.flatMap((t) => {
    const a = t.raw?.latenciesNs ?? [];
    const b = t.sidecar?.latenciesNs ?? [];
    return a.length === b.length ? b.map((x, i) => x - (a[i] ?? 0)) : [];
  });
  row('  per-delta difference sidecar − raw, pooled', '', '', `+${trip(latencyStats(paired))}`);

  // Sidecar process.
  const cpu = (ts: BenchTurn[]): number => median(ts.map((t) => t.sidecarCpuMs));
  row(`sidecar CPU ms per ${fmt(floodCount)} flood (1 client)`, '', fmt(cpu(withClientTurns)), '');
  row('  of which in the kernel (system calls)', '', fmt(median(withClientTurns.map((t) => t.sidecarSystemCpuMs))), '');
  const asCpu = (ts: BenchTurn[]): string => fmt(median(ts.map((t) => t.appServerCpuMs)));
  row('app-server CPU ms per flood: alone / both attached', asCpu(soloRaw), `${asCpu(soloSide)} / ${asCpu(shared)}`, '');
  row('other processes CPU ms per turn (noise): flood / 5 ms', '', `${fmt(median(floods.map((t) => t.otherCpuMs)))} / ${fmt(median(lat.map((t) => t.otherCpuMs)))}`, '');
  row('sidecar RSS MiB: idle / after floods / peak', '', `${fmt(memory.idle.rssMiB, 1)} / ${fmt(memory.afterFloods.rssMiB, 1)} / ${fmt(memory.end.hwmMiB, 1)}`, '');

  const worstFloodMsgs = Math.max(perDelta(shared, 'sidecar', msgs), perDelta(soloSide, 'sidecar', msgs));
  const checks: TargetCheck[] = [
    { name: 'throughput, same turn', target: '≥ 0.95× raw', value: `${pairedRatio.toFixed(2)}×`, met: pairedRatio >= 0.95 },
    { name: 'throughput, each client alone', target: '≥ 0.95× raw', value: `${aloneRatio.toFixed(2)}×`, met: aloneRatio >= 0.95 },
    { name: 'zero loss', target: 'every turn exact', value: `${rawExact + sideExact}/${allRaw.length + allSide.length}`, met: rawExact === allRaw.length && sideExact === allSide.length },
    { name: 'added latency p50', target: '≤ 0.1 ms', value: `${added.p50.toFixed(3)} ms`, met: added.p50 <= 0.1 },
    { name: 'added latency p99', target: '≤ 0.5 ms', value: `${added.p99.toFixed(3)} ms`, met: added.p99 <= 0.5 },
    { name: 'messages per delta under load (flood)', target: '≤ 1', value: worstFloodMsgs.toFixed(3), met: worstFloodMsgs <= 1 },
    { name: 'delta messages per delta, 5 ms stream', target: '≤ 1', value: perDelta(lat, 'sidecar', deltaMsgs).toFixed(3), met: perDelta(lat, 'sidecar', deltaMsgs) <= 1 },
    { name: 'bytes per delta, flood', target: '≤ 1.5× raw', value: ratio(bSideSolo, bRawSolo), met: bSideSolo / bRawSolo <= 1.5 && bSideShared / bRawShared <= 1.5 },
    { name: 'bytes per delta, 5 ms stream', target: '≤ 1.5× raw', value: ratio(bSideLat, bRawLat), met: bSideLat / bRawLat <= 1.5 },
    { name: 'sidecar CPU per 20k flood', target: '≤ 200 ms', value: `${fmt(cpu(withClientTurns))} ms`, met: cpu(withClientTurns) <= 200 },
    { name: 'sidecar RSS idle', target: '≤ 80 MiB', value: `${fmt(memory.idle.rssMiB, 1)} MiB`, met: memory.idle.rssMiB <= 80 },
    { name: 'issue 2 §12: added latency p50', target: '≤ 1 ms', value: `${added.p50.toFixed(3)} ms`, met: added.p50 <= 1 },
    { name: 'issue 2 §12: added latency p99', target: '≤ 5 ms', value: `${added.p99.toFixed(3)} ms`, met: added.p99 <= 5 },
    // The sidecar alone: with a raw client attached too, app-server (serving two connections) sets the pace.
    { name: 'issue 2 §12: sidecar deltas/s alone, zero loss', target: '≥ 20,000', value: fmt(sideSoloRate), met: sideSoloRate >= 20_000 && sideExact === allSide.length },
  ];
  const text = [
    table(['measure (medians over turns)', 'raw client', 'sidecar + SDK', 'sidecar vs raw'], rows),
    '',
    table(['target', 'goal', 'measured', 'met'], checks.map((c) => [c.name, c.target, c.value, c.met ? 'yes' : 'NO'])),
  ].join('\n');
  return { checks, text };
}
