/**
 * Transcript webview bench, in Debian Chromium against the BUILT bundle (dist/webview/transcript.js)
 * with a fake VS Code host (test/support/webviewHarness.ts, the panel's CSP included):
 *
 * 1. Open: post a 10,000-item snapshot, time until the first frame is painted. Baseline, measured
 *    in the same run and interleaved (A B A B …): the same bundle with virtualization off (every
 *    row rendered, as a render-everything transcript does). Target < 300 ms.
 * 2. Stream 1,000 deltas/s for 5 s into the open 10k transcript, one host message per delta (no
 *    host-side merging: the worst case). Long tasks > 50 ms (PerformanceObserver 'longtask'; target
 *    none), frame times, and the JS heap after a forced GC before and after (target: flat).
 *
 *   npx tsx bench/webview.ts            (after `npm run build`, or `node esbuild.mjs webview`)
 */
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/support/chromium';
import { WebviewHarness, ensureWebviewBundle } from '../test/support/webviewHarness';
import { bigTranscript } from '../test/support/transcriptFixtures';
import type { TranscriptSnapshot } from '../protocol/webviewProtocol';

export interface WebviewBenchOptions {
  items?: number;
  /** Open repetitions per variant (interleaved). */
  reps?: number;
  streamSeconds?: number;
  /** Streaming repetitions on the virtualized page (the baseline streams once). */
  streamReps?: number;
  deltasPerSecond?: number;
  log?: (line: string) => void;
}

export interface StreamStats {
  deltas: number;
  seconds: number;
  longTasks: number;
  longTaskMaxMs: number;
  longTaskTotalMs: number;
  frames: number;
  frameP50Ms: number;
  frameP95Ms: number;
  frameMaxMs: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  heapGrowthMB: number;
  streamedKB: number;
  /** Main-thread CPU time while streaming (includes the fake host generating the events). */
  cpuMs: number;
  scriptMs: number;
  styleLayoutMs: number;
}

export interface WebviewBenchResult {
  items: number;
  openMs: { virtualized: number[]; baseline: number[]; medianVirtualized: number; medianBaseline: number; ratio: number; targetMs: number; pass: boolean };
  domNodes: { virtualized: number; baseline: number };
  /** `virtualized` holds the medians of `runs`. */
  streaming: { virtualized: StreamStats; runs: StreamStats[]; baseline: StreamStats; pass: boolean };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** Post the snapshot stashed in `window.__snap`; resolve with ms until the first frame has painted. */
export async function timeOpen(page: Page): Promise<{ ms: number; nodes: number }> {
  return page.evaluate(
    () =>
      new Promise<{ ms: number; nodes: number }>((resolve) => {
        const w = window as unknown as { __snap: unknown };
        const t0 = performance.now();
        document.addEventListener(
          'fleet-rendered',
          () => requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - t0, nodes: document.getElementsByTagName('*').length }), 0)),
          { once: true },
        );
        window.postMessage({ type: 'init', snapshot: w.__snap }, '*');
      }),
  );
}

export async function openPage(context: Awaited<ReturnType<typeof launchChromium>>['context'], virtualize: boolean, snap: TranscriptSnapshot): Promise<WebviewHarness> {
  const h = await WebviewHarness.open(context, { virtualize, csp: true });
  const arg: unknown = snap;
  await h.page.evaluate((s) => {
    (window as unknown as { __snap: unknown }).__snap = s;
  }, arg);
  return h;
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 1024 / 1024;
  } finally {
    await cdp.detach();
  }
}

/** Stream deltas from inside the page at a fixed rate, one message per delta, and collect timings. */
type InPageStats = Omit<StreamStats, 'heapBeforeMB' | 'heapAfterMB' | 'heapGrowthMB' | 'cpuMs' | 'scriptMs' | 'styleLayoutMs'>;

export async function stream(page: Page, seconds: number, rate: number, lastSeq: number): Promise<InPageStats> {
  return page.evaluate(
    ({ seconds, rate, lastSeq }) =>
      new Promise((resolve) => {
        const longTasks: number[] = [];
        const frames: number[] = [];
        const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
        obs.observe({ type: 'longtask', buffered: false });
        const onFrame = (e: Event) => frames.push((e as CustomEvent<{ ms: number }>).detail.ms);
        document.addEventListener('fleet-rendered', onFrame);
        // ~6 characters per delta, like model tokens: prose with inline code and emphasis, a list item
        // every 20 deltas, a fenced code block every 100.
        const words = ['The ', 'build ', 'reads ', '`config` ', 'before ', 'it ', 'computes ', '**paths**, ', 'so ', 'the ', 'tests ', 'pass ', 'now. ', 'I ', 'also ', 'checked ', 'the ', 'docs ', 'and ', 'examples.'];
        const special = (n: number): string | undefined => (n % 100 === 99 ? '\n\n```ts\nexport const out = config.out ?? "dist";\n```\n\n' : n % 20 === 19 ? '\n\n- ' : undefined);
        let seq = lastSeq;
        let sent = 0;
        let bytes = 0;
        let turn = 0;
        const sid = 'sess-1';
        const post = (events: unknown[]) => {
          window.postMessage({ type: 'events', prevSeq: seq - events.length, events }, '*');
        };
        const ev = (body: Record<string, unknown>) => ({ ...body, seq: ++seq, time: Date.now() });
        const startTurn = () => {
          turn++;
          const t = `bench-${turn}`;
          post([ev({ kind: 'turn/started', sessionId: sid, turnId: t })]);
          post([ev({ kind: 'item/started', sessionId: sid, turnId: t, item: { type: 'userMessage', id: `bu${turn}`, clientId: null, content: [{ type: 'text', text: `Streaming turn ${turn}`, text_elements: [] }] } })]);
          post([ev({ kind: 'item/started', sessionId: sid, turnId: t, item: { type: 'agentMessage', id: `ba${turn}`, text: '', phase: null, moderation: null, memoryCitation: null, delivery: null, questions: null } })]);
          post([ev({ kind: 'item/started', sessionId: sid, turnId: t, item: { type: 'commandExecution', id: `bc${turn}`, command: 'npm test', cwd: '/work/demo', pluginId: null, scriptPath: null, processId: null, source: 'agent', status: 'inProgress', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null } })]);
        };
        startTurn();
        const t0 = performance.now();
        const tick = () => {
          const elapsed = (performance.now() - t0) / 1000;
          const due = Math.min(Math.floor(elapsed * rate), Math.floor(seconds * rate)) - sent;
          for (let i = 0; i < due; i++) {
            if (sent > 0 && sent % 500 === 0) startTurn();
            const t = `bench-${turn}`;
            const output = sent % 5 === 4;
            const delta = output ? `PASS case ${sent}\n` : (special(sent) ?? words[sent % words.length]);
            bytes += delta.length;
            post([ev({ kind: 'item/delta', sessionId: sid, turnId: t, itemId: output ? `bc${turn}` : `ba${turn}`, stream: output ? 'commandOutput' : 'agentMessage', delta })]);
            sent++;
          }
          if (sent < seconds * rate) return void setTimeout(tick, 1);
          // Let the last frames land, then report.
          requestAnimationFrame(() =>
            requestAnimationFrame(() =>
              setTimeout(() => {
                obs.disconnect();
                document.removeEventListener('fleet-rendered', onFrame);
                const sorted = [...frames].sort((a, b) => a - b);
                const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
                resolve({
                  deltas: sent,
                  seconds: (performance.now() - t0) / 1000,
                  longTasks: longTasks.length,
                  longTaskMaxMs: longTasks.length ? Math.max(...longTasks) : 0,
                  longTaskTotalMs: longTasks.reduce((a, b) => a + b, 0),
                  frames: frames.length,
                  frameP50Ms: pct(0.5),
                  frameP95Ms: pct(0.95),
                  frameMaxMs: sorted.length ? sorted[sorted.length - 1] : 0,
                  streamedKB: bytes / 1024,
                });
              }, 100),
            ),
          );
        };
        setTimeout(tick, 1);
      }),
    { seconds, rate, lastSeq },
  );
}

/** Main-thread CPU metrics (thread time, not wall time: unaffected by other load on the machine). */
async function cpuMetrics(page: Page): Promise<{ read(): Promise<Record<string, number>>; close(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return {
    read: async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])),
    close: () => cdp.detach(),
  };
}

async function streamRun(context: Awaited<ReturnType<typeof launchChromium>>['context'], virtualize: boolean, snap: TranscriptSnapshot, seconds: number, rate: number): Promise<StreamStats> {
  const h = await openPage(context, virtualize, snap);
  try {
    await timeOpen(h.page);
    await h.settle();
    const before = await heapMB(h.page);
    const cpu = await cpuMetrics(h.page);
    const m0 = await cpu.read();
    const s = await stream(h.page, seconds, rate, snap.lastSeq);
    const m1 = await cpu.read();
    await cpu.close();
    const d = (k: string) => ((m1[k] ?? 0) - (m0[k] ?? 0)) * 1000;
    const after = await heapMB(h.page);
    return { ...s, heapBeforeMB: before, heapAfterMB: after, heapGrowthMB: after - before, cpuMs: d('ThreadTime'), scriptMs: d('ScriptDuration'), styleLayoutMs: d('LayoutDuration') + d('RecalcStyleDuration') };
  } finally {
    await h.close();
  }
}

export async function runWebviewBench(opts: WebviewBenchOptions = {}): Promise<WebviewBenchResult> {
  const items = opts.items ?? 10_000;
  const reps = opts.reps ?? 5;
  const seconds = opts.streamSeconds ?? 5;
  const rate = opts.deltasPerSecond ?? 1000;
  const streamReps = opts.streamReps ?? 3;
  const log = opts.log ?? ((line: string) => console.log(line));
  ensureWebviewBundle();
  const snap = bigTranscript(items);
  const chromium = await launchChromium({ width: 1000, height: 800 });
  try {
    const virtualized: number[] = [];
    const baseline: number[] = [];
    const nodes = { virtualized: 0, baseline: 0 };
    log(`webview bench: ${items} items, ${reps} interleaved opens per variant; ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (long tasks are wall time: other load inflates them)`);
    // One warm-up open (JIT, fonts), not counted.
    await (await openPage(chromium.context, true, snap)).close();
    for (let r = 0; r < reps; r++) {
      for (const virtualize of [true, false]) {
        const h = await openPage(chromium.context, virtualize, snap);
        const { ms, nodes: n } = await timeOpen(h.page);
        (virtualize ? virtualized : baseline).push(ms);
        nodes[virtualize ? 'virtualized' : 'baseline'] = n;
        await h.close();
      }
    }
    const mv = median(virtualized);
    const mb = median(baseline);
    log(`  open ${items} items: virtualized median ${round(mv)} ms [${virtualized.map((x) => round(x)).join(', ')}]; render-everything baseline median ${round(mb)} ms [${baseline.map((x) => round(x)).join(', ')}]; ratio ${round(mv / mb, 3)} (target < 300 ms: ${mv < 300 ? 'PASS' : 'FAIL'}); DOM elements ${nodes.virtualized} vs ${nodes.baseline}`);
    // Streaming: the virtualized page `streamReps` times (median reported), the baseline once (slow).
    const runs: StreamStats[] = [];
    let sb: StreamStats | undefined;
    for (let r = 0; r < streamReps; r++) {
      runs.push(await streamRun(chromium.context, true, snap, seconds, rate));
      if (r === 0) sb = await streamRun(chromium.context, false, snap, seconds, rate);
    }
    const describe = (name: string, s: StreamStats): string =>
      `  stream ${s.deltas} deltas in ${round(s.seconds, 2)} s (${name}): long tasks > 50 ms: ${s.longTasks} (max ${round(s.longTaskMaxMs)} ms, total ${round(s.longTaskTotalMs)} ms); ` +
      `frames ${s.frames}, frame work p50 ${round(s.frameP50Ms, 2)} / p95 ${round(s.frameP95Ms, 2)} / max ${round(s.frameMaxMs, 2)} ms; main-thread CPU ${round(s.cpuMs)} ms (script ${round(s.scriptMs)}, style+layout ${round(s.styleLayoutMs)}); ` +
      `heap after GC ${round(s.heapBeforeMB, 2)} → ${round(s.heapAfterMB, 2)} MB (${s.heapGrowthMB >= 0 ? '+' : ''}${round(s.heapGrowthMB, 2)} MB for ${round(s.streamedKB)} KB streamed)`;
    runs.forEach((s, i) => log(describe(`virtualized, run ${i + 1}`, s)));
    log(describe('render-everything baseline', sb!));
    const sv: StreamStats = {
      ...runs[0],
      longTasks: median(runs.map((r) => r.longTasks)),
      longTaskMaxMs: median(runs.map((r) => r.longTaskMaxMs)),
      longTaskTotalMs: median(runs.map((r) => r.longTaskTotalMs)),
      frameP95Ms: median(runs.map((r) => r.frameP95Ms)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      heapGrowthMB: median(runs.map((r) => r.heapGrowthMB)),
    };
    const pass = sv.longTasks === 0 && sv.heapGrowthMB < 5;
    log(`  load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    log(
      `  streaming medians: long tasks ${sv.longTasks} (target 0), heap growth ${round(sv.heapGrowthMB, 2)} MB (target flat), main-thread CPU ${round(sv.cpuMs)} ms vs baseline ${round(sb!.cpuMs)} ms (ratio ${round(sv.cpuMs / sb!.cpuMs, 3)}), long-task time ${round(sv.longTaskTotalMs)} vs ${round(sb!.longTaskTotalMs)} ms: ${pass ? 'PASS' : 'FAIL'}`,
    );
    return {
      items,
      openMs: { virtualized, baseline, medianVirtualized: mv, medianBaseline: mb, ratio: mv / mb, targetMs: 300, pass: mv < 300 },
      domNodes: nodes,
      streaming: { virtualized: sv, runs, baseline: sb!, pass },
    };
  } finally {
    await chromium.close();
  }
}

if (process.argv[1] && /bench[\\/]webview\.ts$/.test(process.argv[1])) {
  runWebviewBench().then(
    (r) => process.exit(r.openMs.pass && r.streaming.pass ? 0 : 1),
    (e: unknown) => {
      console.error(e);
      process.exit(2);
    },
  );
}
