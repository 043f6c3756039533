/**
 * `npm run bench`: the sidecar benchmark, then the webview benchmark when `bench/webview.ts`
 * exports `runWebviewBench`. Prints each result with the command that produced it and whether each
 * target was met. A benchmark, not a test: always exits 0 (a bench that could not run says so).
 *
 *   npm run bench                      every bench (after a build)
 *   npx tsx bench/run.ts sidecar       one of them: sidecar | webview
 *   npx tsx bench/run.ts sidecar --quick   fewer repetitions (a smoke run)
 *   CODEX_FLEET_BENCH_CPU_PROF=<dir> …     the sidecar under `node --cpu-prof` (profile in <dir>)
 *   CODEX_FLEET_BENCH_SIDECAR=<file> …     measure another build's dist/server/sidecar.js
 *   npx tsx bench/relayMicro.ts <tree A> <tree B>   the relay's CPU alone, two source trees alternating
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { runSidecarBench } from './sidecarBench';

function commandLine(): string {
  const args = process.argv.slice(2);
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}   (= npm run build && tsx bench/run.ts)`;
  return ['npx tsx bench/run.ts', ...args].join(' ');
}

function banner(title: string, command: string): void {
  console.log(`\n=== ${title} ===`);
  console.log(`command: ${command}`);
  console.log(`machine: ${process.platform} ${process.arch}, ${cpus().length} CPUs, node ${process.version}`);
}

/** Every boolean `pass` in a result, by path (how the webview bench reports its targets). */
function passFlags(value: unknown, path = ''): Array<[string, boolean]> {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]): Array<[string, boolean]> => {
    if (k === 'pass' && typeof v === 'boolean') return [[path || 'result', v]];
    return passFlags(v, path ? `${path}.${k}` : k);
  });
}

/** Print what a bench returned (its own progress lines are already out): text as is, else JSON and its targets. */
function printResult(result: unknown): void {
  if (typeof result === 'string') {
    console.log(result);
    return;
  }
  console.log(`result: ${JSON.stringify(result)}`);
  const flags = passFlags(result);
  for (const [path, met] of flags) console.log(`target ${path}: ${met ? 'met' : 'NOT met'}`);
}

async function sidecar(command: string): Promise<boolean> {
  banner('sidecar relay: raw app-server client vs sidecar + SDK client', command);
  try {
    const quick = process.argv.includes('--quick');
    const r = await runSidecarBench(quick ? { floodRounds: 2, latencyReps: 2, latencyCount: 500 } : {});
    const o = r.options;
    console.log(
      `setup: real codex (pinned) + scripted model; both clients attached to the same session, each reading in its own worker thread; ` +
        `${o.floodRounds} rounds (fresh threads each) × (1 shared turn + raw alone on its own thread + sidecar alone) floods of ${o.floodCount} deltas, ` +
        `${o.latencyReps} shared turns of ${o.latencyCount} stamped deltas ${o.latencyIntervalMs} ms apart; ${(r.durationMs / 1000).toFixed(0)} s in all.`,
    );
    const cores = cpus().length;
    const busy = r.otherCpuMs / r.durationMs;
    console.log(
      `other processes on this machine used ${(r.otherCpuMs / 1000).toFixed(1)} CPU-s during the bench (${busy.toFixed(2)} of ${cores} cores on average)` +
        (busy > 0.2 ? ': the machine was NOT quiet, numbers are skewed (rerun when it is idle)' : ''),
    );
    console.log(r.summary.text);
    const missed = r.summary.checks.filter((c) => !c.met).length;
    console.log(missed ? `\n${missed} of ${r.summary.checks.length} targets missed.` : `\nall ${r.summary.checks.length} targets met.`);
    return true;
  } catch (e) {
    console.log(`sidecar bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return false;
  }
}

async function webview(command: string): Promise<boolean> {
  const file = join(__dirname, 'webview.ts');
  if (!existsSync(file)) {
    console.log('\n(webview bench: bench/webview.ts not present; skipped)');
    return true;
  }
  const mod = (await import(file)) as { runWebviewBench?: unknown };
  if (typeof mod.runWebviewBench !== 'function') {
    console.log('\n(webview bench: bench/webview.ts does not export runWebviewBench; skipped)');
    return true;
  }
  banner('webview transcript', command);
  try {
    printResult(await (mod.runWebviewBench as () => Promise<unknown>)());
    return true;
  } catch (e) {
    console.log(`webview bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return false;
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const want = (name: string): boolean => only.length === 0 || only.includes(name);
  const command = commandLine();
  let ok = true;
  if (want('sidecar')) ok = (await sidecar(command)) && ok;
  if (want('webview')) ok = (await webview(command)) && ok;
  if (!ok) console.log('\nsome benchmarks could not run (see above).');
  process.exit(0);
}

void main();
