/**
 * Finds a workspace's sidecar, starting it (detached, so it outlives this process) when none runs.
 * Used by the CLI, the SDK and the VS Code extension alike.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { FleetError } from '../protocol/errors';
import { statePaths, type StatePaths } from './stateDir';
import { assertPrivateDir, assertPrivateSocket } from './strictModes';

export interface LaunchOptions {
  workspace: string;
  env?: NodeJS.ProcessEnv;
  /** Path of the sidecar bundle; default: dist/server/sidecar.js next to this bundle. */
  sidecarScript?: string;
  /** Node runtime for the sidecar; default: this process's (with ELECTRON_RUN_AS_NODE for VS Code). */
  nodePath?: string;
  /** Extra arguments for the sidecar (e.g. `--idle-timeout 60000`). */
  sidecarArgs?: string[];
  /** How long to wait for a new sidecar to listen. */
  timeoutMs?: number;
}

export class SidecarLaunchError extends Error {
  constructor(message: string, readonly stderr?: string) {
    super(message);
    this.name = 'SidecarLaunchError';
  }
}

export function defaultSidecarScript(): string {
  // Bundles live in dist/<bundle>/; the sidecar in dist/server/sidecar.js. Run from source (tsx,
  // sdk/*.ts), the built sidecar is in ../dist/server.
  const bundled = join(__dirname, '..', 'server', 'sidecar.js');
  const fromSource = join(__dirname, '..', 'dist', 'server', 'sidecar.js');
  return existsSync(bundled) || !existsSync(fromSource) ? bundled : fromSource;
}

/** Connect to the socket; resolves with the open socket or rejects at once if nobody listens. */
export function connectSocket(socketPath: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const onError = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/**
 * Connect to a workspace's sidecar socket after checking that its state directory and socket are
 * private to this user (sdk/strictModes.ts): throws FleetError `UnsafeStateDir` before sending a byte
 * to a socket another user could control.
 */
export function connectPrivate(paths: StatePaths): Promise<Socket> {
  if (process.platform !== 'win32') {
    assertPrivateDir(paths.dir, { mayBeMissing: true });
    assertPrivateSocket(paths.socketPath);
  }
  return connectSocket(paths.socketPath);
}

/** Connect to the workspace's sidecar, starting one if needed. */
export async function connectOrStart(opts: LaunchOptions): Promise<{ socket: Socket; paths: StatePaths; started: boolean }> {
  const env = opts.env ?? process.env;
  const paths = statePaths(opts.workspace, env);
  try {
    return { socket: await connectPrivate(paths), paths, started: false };
  } catch (e) {
    if (e instanceof FleetError) throw e; // an unsafe state directory: never start or connect
    // nobody listening: start one
  }
  await startSidecar(opts, paths);
  return { socket: await connectPrivate(paths), paths, started: true };
}

/**
 * Spawn a detached sidecar and wait for its readiness line on stdout. If another sidecar won the
 * lock in the meantime, the new one says so and exits; either way a sidecar is listening afterwards.
 */
export function startSidecar(opts: LaunchOptions, paths = statePaths(opts.workspace, opts.env)): Promise<void> {
  const script = opts.sidecarScript ?? defaultSidecarScript();
  if (!existsSync(script)) {
    return Promise.reject(new SidecarLaunchError(`sidecar bundle not found at ${script}; run \`npm run build\``));
  }
  const env = { ...(opts.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' };
  const args = [script, '--workspace', paths.workspace, ...(opts.sidecarArgs ?? [])];
  const child = spawn(opts.nodePath ?? process.execPath, args, {
    cwd: paths.workspace,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const timeoutMs = opts.timeoutMs ?? 15000;
  return new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new SidecarLaunchError(`sidecar did not start within ${timeoutMs} ms (log: ${paths.logPath})`, err)),
      timeoutMs,
    );
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (/"ready":true/.test(out)) finish();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err = (err + chunk).slice(-4000);
    });
    child.once('error', (e) => finish(new SidecarLaunchError(`could not start the sidecar: ${e.message}`)));
    child.once('exit', (code) => {
      if (/"ready":true/.test(out)) finish();
      else finish(new SidecarLaunchError(`sidecar exited with code ${code} before it was ready${err ? `: ${err.trim().split('\n').slice(-3).join(' | ')}` : ''}`, err));
    });
  });
}
