/**
 * `codex-fleet serve | status | stop`: the workspace's sidecar itself. `status` and `stop` never
 * start a sidecar; they say "not running" instead.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { codexRangeStatus, codexSourceLabel } from '../../protocol/codexRange';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { AgentsList, FleetStatusRequest, FleetStop } from '../../protocol/sidecarProtocol';
import type { FleetStatus, RuntimeInfo } from '../../protocol/types';
import { defaultSidecarScript } from '../../sdk/launcher';
import { statePaths } from '../../sdk/stateDir';
import { defineCommand, type CommandEntry } from '../args';
import { CliError, CliErrorCodes, emit, ExitCode, type CommandContext, type FleetApi } from '../context';
import { killTargets, lockOwner, recordedAppServerPid, type StopTargets } from '../processKill';
import { duration, keyValues, plural, styleFor } from '../format';
import { Waiter } from '../waiter';
import { authLines } from './account';

const STOP_TIMEOUT_MS = 15_000;
/** `stop --force`: how long the sidecar gets to stop by itself before it is killed. */
const FORCE_TIMEOUT_MS = 5_000;
/** How long a killed sidecar may take to disappear. */
const KILL_WAIT_MS = 5_000;

const serve = defineCommand({
  name: 'serve',
  summary: "start the workspace's sidecar (or run it in the foreground)",
  description: [
    'Without --foreground, makes sure a sidecar runs for the workspace (starting a detached one if needed) and prints where. ' +
      '--json prints {workspace, pid, started, socketPath, stateDir, logPath}.',
    'With --foreground, runs the sidecar in this process with its output on the terminal until Ctrl-C ' +
      '(arguments after -- are passed to the sidecar).',
  ],
  positionals: [{ name: 'sidecarArgs', value: 'SIDECAR_ARG', rest: true, optional: true, description: 'with --foreground: extra sidecar arguments (after --)' }],
  flags: { foreground: { type: 'boolean', description: 'run the sidecar in this process (logs on the terminal)' } },
  examples: [`codex-fleet serve`, `codex-fleet serve --foreground`, `codex-fleet serve --foreground -- --idle-timeout 60000`],
  async run(ctx, { flags, args }) {
    if (flags.foreground) return runForeground(ctx, args.sidecarArgs);
    if (args.sidecarArgs.length > 0) throw new CliError('extra sidecar arguments need --foreground', ExitCode.Usage);
    const client = await ctx.client();
    const s = client.status.sidecar;
    const info = { workspace: s.workspace, pid: s.pid, started: client.started, socketPath: s.socketPath, stateDir: s.stateDir, logPath: client.paths.logPath };
    emit(ctx, info, () => [
      `${client.started ? 'Started' : 'Already running:'} sidecar pid ${s.pid} for ${s.workspace}`,
      ...keyValues([
        ['socket', s.socketPath],
        ['log', client.paths.logPath],
      ], '  '),
    ]);
  },
});

function runForeground(ctx: CommandContext, extra: string[]): Promise<number> {
  const script = defaultSidecarScript();
  if (!existsSync(script)) throw new CliError(`sidecar bundle not found at ${script}; run \`npm run build\``, ExitCode.SidecarUnavailable);
  const child = spawn(process.execPath, [script, '--workspace', ctx.workspace, '--foreground', ...extra], {
    stdio: 'inherit',
    env: ctx.env,
    cwd: ctx.workspace,
  });
  // Pass SIGTERM/SIGHUP on. Ctrl-C (which aborts ctx.signal, see main.ts) is passed on only when
  // it did not come from a terminal: a terminal's Ctrl-C already reached the child (same process group).
  let forwarded = false;
  const forward = (sig: NodeJS.Signals) => {
    if (forwarded && sig !== 'SIGHUP') return;
    forwarded = true;
    child.kill(sig);
  };
  const onTerm = () => forward('SIGTERM');
  const onHup = () => forward('SIGHUP');
  const onAbort = () => {
    if (!process.stdin.isTTY) forward('SIGTERM');
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  ctx.signal.addEventListener('abort', onAbort);
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      ctx.signal.removeEventListener('abort', onAbort);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
    };
    child.once('error', (e) => {
      cleanup();
      reject(new CliError(`could not run the sidecar: ${e.message}`, ExitCode.SidecarUnavailable));
    });
    child.once('exit', (code, signal) => {
      cleanup();
      if (signal === 'SIGINT' || signal === 'SIGTERM') resolve(ExitCode.Ok);
      else if (code === 0) resolve(ExitCode.Ok);
      else reject(new CliError(`the sidecar exited with ${signal ?? `code ${code}`}`, ExitCode.SidecarUnavailable));
    });
  });
}

const status = defineCommand({
  name: 'status',
  summary: 'show the sidecar, the Codex runtime, auth readiness and counts (never starts a sidecar)',
  description: ['--json prints the FleetStatus with "running": true, or {"running": false, workspace, stateDir} when no sidecar runs.'],
  positionals: [],
  flags: {},
  async run(ctx) {
    const client = await ctx.existingClient();
    if (!client) {
      const paths = statePaths(ctx.workspace, ctx.env);
      emit(ctx, { running: false, workspace: paths.workspace, stateDir: paths.dir }, () => [
        `No sidecar is running for ${paths.workspace}.`,
        "Any command that needs one starts it (or run `codex-fleet serve`).",
      ]);
      return;
    }
    const st = await client.request(FleetStatusRequest);
    emit(ctx, { running: true, ...st }, () => statusLines(ctx, st, client.paths.logPath));
  },
});

export function statusLines(ctx: CommandContext, st: FleetStatus, logPath: string): string[] {
  const style = styleFor(ctx.out, ctx.env);
  const now = ctx.now();
  const s = st.sidecar;
  const r = st.runtime;
  const c = st.counts;
  const clientNames = s.clients.map((cl) => cl.name);
  const runtimeState = r.state === 'ready' ? style.green(r.state) : r.state === 'failed' ? style.red(r.state) : style.yellow(r.state);
  const lines = keyValues([
    ['sidecar', `${style.green('running')}, pid ${s.pid}, up ${duration(now - s.startedAt)}, v${s.version}, protocol ${s.protocolVersion}`],
    ['workspace', s.workspace],
    ['state dir', s.stateDir],
    ['log', logPath],
    ['clients', `${s.clients.length}${clientNames.length ? ` (${summarizeNames(clientNames)}; this command is one)` : ''}`],
    ['idle stop', `after ${duration(s.idleTimeoutMs)} without clients, turns or agents`],
    [
      'runtime',
      `${runtimeState}, codex ${r.codexVersion ?? '(version unknown)'} from ${r.codexSource}${r.pid ? `, pid ${r.pid}` : ''}, ${plural(r.restarts, 'restart')}`,
    ],
    ['codex', r.codexPath],
    ['codex range', codexRangeLine(r, style)],
    ['codex warning', r.codexWarning ? style.yellow(r.codexWarning) : undefined],
    ['remote socket', r.listenSocket],
    ['last error', r.lastError?.split('\n').join(' | ')],
    [
      'sessions',
      `${c.sessionsLoaded} loaded, ${c.running} running; ${plural(c.pendingRequests, 'pending request')}; ${c.queued} queued; ${plural(c.agents, 'agent')}`,
    ],
    ['events', `last seq ${st.lastSeq}`],
  ]);
  lines.push('auth');
  lines.push(...authLines(st.auth, '  '));
  return lines;
}

/** "0.171.0 from PATH is inside the tested range 0.169.0–0.171.0" (undefined for a sidecar that does not say). */
function codexRangeLine(r: RuntimeInfo, style: ReturnType<typeof styleFor>): string | undefined {
  const range = codexRangeStatus(r);
  if (!range) return undefined;
  const line = `${r.codexVersion ?? '(version unknown)'} from ${codexSourceLabel(r.codexSource)} is ${range}`;
  return r.codexInRange ? line : style.yellow(line);
}

function summarizeNames(names: string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, k]) => (k > 1 ? `${n} ×${k}` : n)).join(', ');
}

const stop = defineCommand({
  name: 'stop',
  summary: "stop the workspace's sidecar (running turns are lost)",
  description: [
    'Asks the sidecar to stop (it stops its agents and Codex first) and waits until it has gone. Says so (and exits 0) when none runs.',
    `With --force, a sidecar that has not gone after ${FORCE_TIMEOUT_MS / 1000} s (--timeout), or does not answer at all, is killed: ` +
      "its process group, Codex app-server's and its agents'.",
    '--json prints {running, stopped, pid?, killed?}.',
  ],
  positionals: [],
  flags: {
    force: { type: 'boolean', description: 'kill the sidecar (with Codex and its agents) if it does not stop in time' },
    timeout: { type: 'number', value: 'SECONDS', min: 0, description: `how long to wait for it to stop (default ${STOP_TIMEOUT_MS / 1000}; with --force ${FORCE_TIMEOUT_MS / 1000})` },
  },
  examples: ['codex-fleet stop', 'codex-fleet stop --force'],
  async run(ctx, { flags }) {
    const timeoutMs = flags.timeout !== undefined ? Math.round(flags.timeout * 1000) : flags.force ? FORCE_TIMEOUT_MS : STOP_TIMEOUT_MS;
    const paths = statePaths(ctx.workspace, ctx.env);
    let client: FleetApi | undefined;
    try {
      client = await ctx.existingClient();
    } catch (e) {
      // A sidecar that holds the lock but does not answer: only --force can do something about it.
      const pid = flags.force && FleetError.is(e, ErrorCodes.Timeout) ? lockOwner(paths.lockPath) : undefined;
      if (pid === undefined) throw e;
      return forceKill(ctx, { sidecarPid: pid, appServerPid: recordedAppServerPid(paths.dir), agentPids: [] });
    }
    if (!client) {
      emit(ctx, { running: false, stopped: false }, () => `No sidecar is running for ${paths.workspace}.`);
      return;
    }
    const pid = client.status.sidecar.pid;
    const targets: StopTargets = { sidecarPid: pid, appServerPid: client.status.runtime.pid, agentPids: [] };
    if (flags.force) {
      const agents = await client.request(AgentsList).catch(() => ({ data: [] }));
      targets.agentPids = agents.data.flatMap((a) => (a.pid !== undefined ? [a.pid] : []));
    }
    const waiter = new Waiter({
      client,
      signal: ctx.signal,
      now: ctx.now,
      deadline: ctx.now() + timeoutMs,
      timeoutError: () => new StillRunning(`the sidecar (pid ${pid}) is still shutting down after ${timeoutMs / 1000} s; check \`codex-fleet status\`, or kill it with \`codex-fleet stop --force\``),
    });
    // The connection closing is the sign the sidecar has gone; it may even beat the answer.
    const unlessClosed = (e: unknown): void => {
      if (!client.isClosed) throw e;
    };
    try {
      await waiter.race(client.request(FleetStop, {})).catch(unlessClosed);
      await waiter.untilFailure().catch(unlessClosed);
    } catch (e) {
      if (!(flags.force && e instanceof StillRunning)) throw e;
      return forceKill(ctx, targets);
    } finally {
      waiter.dispose();
    }
    emit(ctx, { running: false, stopped: true, pid }, () => `Stopped the sidecar (pid ${pid}).`);
  },
});

class StillRunning extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Error, CliErrorCodes.Timeout);
  }
}

async function forceKill(ctx: CommandContext, targets: StopTargets): Promise<void> {
  const pid = targets.sidecarPid;
  if (!(await killTargets(targets, KILL_WAIT_MS))) {
    throw new CliError(`the sidecar (pid ${pid}) is still running after SIGKILL`, ExitCode.Error, CliErrorCodes.Timeout);
  }
  emit(ctx, { running: false, stopped: true, pid, killed: true }, () => `Killed the sidecar (pid ${pid}): it did not stop in time.`);
}

export const entries: CommandEntry[] = [serve, status, stop];
