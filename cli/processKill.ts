/**
 * `codex-fleet stop --force`: killing a sidecar that does not stop by itself. The sidecar, its
 * `codex app-server` and each agent's TUI are detached into process groups of their own, so each
 * group is killed whole (with the commands they started).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../server/lock';

export interface StopTargets {
  sidecarPid: number;
  appServerPid?: number;
  agentPids: number[];
}

/** Signal `pid`'s process group when it leads one (a detached child does), else the process alone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (process.platform !== 'win32') {
    try {
      process.kill(-pid, signal);
      return;
    } catch {
      // not a group leader (e.g. `serve --foreground`), or gone
    }
  }
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function readNumber(path: string, parse: (text: string) => unknown): number | undefined {
  try {
    const n = Number(parse(readFileSync(path, 'utf8')));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Who holds the workspace's sidecar lock (`sidecar.lock`), if that process is alive. */
export function lockOwner(lockPath: string): number | undefined {
  const pid = readNumber(lockPath, (t) => (JSON.parse(t) as { pid?: unknown }).pid);
  return pid !== undefined && processAlive(pid) ? pid : undefined;
}

/** The supervised app-server's pid as the sidecar recorded it (`app-server.pid` in its state dir). */
export function recordedAppServerPid(stateDir: string): number | undefined {
  const pid = readNumber(join(stateDir, 'app-server.pid'), (t) => t.trim());
  return pid !== undefined && processAlive(pid) ? pid : undefined;
}

/**
 * SIGKILL every target's group and wait until they have all gone (true), or `timeoutMs` passed
 * (false). There is no event for a foreign process ending, so liveness is checked every 25 ms.
 */
export async function killTargets(t: StopTargets, timeoutMs: number): Promise<boolean> {
  const pids = [t.sidecarPid, ...(t.appServerPid !== undefined ? [t.appServerPid] : []), ...t.agentPids];
  for (const pid of pids) signalGroup(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (pids.some(processAlive)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}
