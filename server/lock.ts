/**
 * Exactly one sidecar per workspace: an exclusive lock file holding the owner's pid. A lock left by
 * a dead process is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export type LockResult = { acquired: true } | { acquired: false; ownerPid: number };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(path: string): LockResult {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: Date.now() }));
      closeSync(fd);
      return { acquired: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner = 0;
    try {
      owner = Number(JSON.parse(readFileSync(path, 'utf8')).pid) || 0;
    } catch {
      // half-written or corrupt: treat as stale
    }
    if (owner && owner !== process.pid && alive(owner)) return { acquired: false, ownerPid: owner };
    rmSync(path, { force: true });
  }
  throw new Error(`could not take the sidecar lock ${path}`);
}

export function releaseLock(path: string): void {
  try {
    const owner = Number(JSON.parse(readFileSync(path, 'utf8')).pid);
    if (owner === process.pid) rmSync(path, { force: true });
  } catch {
    // already gone
  }
}
