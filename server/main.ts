/**
 * Sidecar entry point: `node dist/server/sidecar.js --workspace DIR [--foreground] [--idle-timeout MS] [--ring-size N]`.
 * Takes the workspace lock, listens, and prints one readiness line (`{"ready":true,...}`) on stdout
 * for the launcher; after that it never writes to stdout (the launcher has gone away). The process
 * never detaches itself (launchers spawn it detached); `--foreground` only echoes the log to stderr.
 */
import { mkdirSync } from 'node:fs';
import { statePaths, type StatePaths } from '../sdk/stateDir';
import { connectSocket } from '../sdk/launcher';
import { assertPrivateDir } from '../sdk/strictModes';
import type { RequestMessage } from 'vscode-jsonrpc/node';
import { FrameWriter } from './clients/frameWriter';
import { acquireLock, processAlive, releaseLock } from './lock';
import { Sidecar } from './sidecar';

interface Args {
  workspace: string;
  echoLog: boolean;
  idleTimeoutMs: number;
  ringSize: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    workspace: process.cwd(),
    echoLog: false,
    idleTimeoutMs: Number(process.env.CODEX_FLEET_IDLE_TIMEOUT_MS ?? 10 * 60_000),
    ringSize: Number(process.env.CODEX_FLEET_EVENT_BUFFER ?? 10_000),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--workspace') args.workspace = next();
    else if (a === '--foreground') args.echoLog = true;
    else if (a === '--idle-timeout') args.idleTimeoutMs = Number(next());
    else if (a === '--ring-size') args.ringSize = Number(next());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isFinite(args.idleTimeoutMs) || args.idleTimeoutMs < 0) throw new Error('--idle-timeout must be a number of milliseconds ≥ 0');
  if (!Number.isInteger(args.ringSize) || args.ringSize < 1) throw new Error('--ring-size must be a positive integer');
  return args;
}

function announce(obj: Record<string, unknown>): void {
  try {
    process.stdout.write(JSON.stringify(obj) + '\n');
  } catch {
    // nobody is listening any more
  }
}

const STATUS_PROBE: RequestMessage = { jsonrpc: '2.0', id: 1, method: 'fleet/status' };

/**
 * Whether a sidecar really serves the socket: a connection alone proves nothing (the kernel queues
 * it on the socket of a sidecar that is dying), so ask for its status and wait for an answer.
 */
async function answers(socketPath: string): Promise<boolean> {
  const socket = await connectSocket(socketPath);
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 2000);
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    new FrameWriter(socket).write(STATUS_PROBE).catch(() => done(false));
  });
}

/**
 * Another process holds the lock: wait until it accepts connections (then it is the sidecar), or
 * until it is gone (a sidecar on its way out: then take the lock ourselves). Bounded.
 */
async function waitForOwner(paths: StatePaths, ownerPid: number, timeoutMs: number): Promise<'listening' | 'gone' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await answers(paths.socketPath)) return 'listening';
      if (!processAlive(ownerPid)) return 'gone';
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      if (!processAlive(ownerPid)) return 'gone';
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return 'timeout';
}

async function main(): Promise<void> {
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const args = parseArgs(process.argv.slice(2));
  const paths = statePaths(args.workspace);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  // Before the lock, the log or the socket: a state directory another user controls is refused.
  if (process.platform !== 'win32') assertPrivateDir(paths.dir);
  for (;;) {
    const lock = acquireLock(paths.lockPath);
    if (lock.acquired) break;
    // Another sidecar owns this workspace: report it once it accepts connections.
    const owner = await waitForOwner(paths, lock.ownerPid, 15_000);
    if (owner === 'gone') continue;
    announce({ ready: owner === 'listening', existing: true, pid: lock.ownerPid, socket: paths.socketPath });
    process.exit(owner === 'listening' ? 0 : 1);
  }
  const exit = (code: number) => {
    releaseLock(paths.lockPath);
    process.exit(code);
  };
  const sidecar = new Sidecar({
    paths,
    env: process.env,
    idleTimeoutMs: args.idleTimeoutMs,
    ringSize: args.ringSize,
    echoLog: args.echoLog,
    onStoppedOnRequest: () => exit(0),
  });
  const shutdown = (code: number) => {
    void sidecar.stop().finally(() => exit(code));
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGHUP', () => undefined);
  process.on('exit', () => releaseLock(paths.lockPath));
  // An exception nobody caught leaves the sidecar in a state nobody knows: log it and end. The
  // app-server lives on, and the next sidecar takes it over (its turns and pending approvals too).
  process.on('uncaughtException', (e) => {
    sidecar.log.error(`uncaught: ${e.stack ?? e.message}; exiting (the next sidecar takes the runtime over)`);
    exit(1);
  });
  process.on('unhandledRejection', (e) => sidecar.log.error(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));
  try {
    await sidecar.start();
  } catch (e) {
    sidecar.log.error(`could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.stderr.write(`codex-fleet sidecar: ${e instanceof Error ? e.message : String(e)}\n`);
    releaseLock(paths.lockPath);
    process.exit(1);
  }
  announce({ ready: true, pid: process.pid, socket: paths.socketPath, stateDir: paths.dir });
}

main().catch((e) => {
  process.stderr.write(`codex-fleet sidecar: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
