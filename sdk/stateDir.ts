/**
 * Where a workspace's sidecar keeps its socket, lock, log and durable state.
 * `${CODEX_FLEET_STATE_DIR:-${XDG_STATE_HOME:-~/.local/state}/codex-fleet}/<hash of the workspace's real path>/`
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface StatePaths {
  workspace: string;
  dir: string;
  socketPath: string;
  lockPath: string;
  logPath: string;
  /** Socket of the supervised `codex app-server` (WebSocket), for `codex --remote`. */
  appServerSocket: string;
}

export function fleetRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CODEX_FLEET_STATE_DIR) return resolve(env.CODEX_FLEET_STATE_DIR);
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'codex-fleet');
}

/** The workspace's canonical path (symlinks resolved) — the identity of its sidecar. */
export function canonicalWorkspace(workspace: string): string {
  const abs = resolve(workspace);
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}

export function workspaceKey(workspace: string): string {
  return createHash('sha256').update(canonicalWorkspace(workspace)).digest('hex').slice(0, 16);
}

export function statePaths(workspace: string, env: NodeJS.ProcessEnv = process.env): StatePaths {
  const ws = canonicalWorkspace(workspace);
  const key = workspaceKey(ws);
  const dir = join(fleetRoot(env), key);
  const socketPath = process.platform === 'win32' ? `\\\\.\\pipe\\codex-fleet-${key}` : join(dir, 'sidecar.sock');
  return {
    workspace: ws,
    dir,
    socketPath,
    lockPath: join(dir, 'sidecar.lock'),
    logPath: join(dir, 'sidecar.log'),
    appServerSocket: join(dir, 'app-server.sock'),
  };
}
