/**
 * Exactly one sidecar per workspace: an exclusive lock file holding the owner's pid, created
 * atomically (written to a temp file, then hard-linked into place, so nobody ever reads a
 * half-written lock). A lock left by a dead process (or a zombie nobody reaps) is taken over.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export type LockResult = { acquired: true } | { acquired: false; ownerPid: number };

/** Whether `pid` is a running process (a zombie is not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." — state Z is a zombie, X is dead.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux'; // no /proc: trust kill(0)
  }
}

export function acquireLock(path: string): LockResult {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, startedAt: Date.now() }), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (attempt > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // another starter is mid-takeover
      try {
        linkSync(tmp, path);
        return { acquired: true };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let owner = 0;
      try {
        owner = Number(JSON.parse(readFileSync(path, 'utf8')).pid) || 0;
      } catch {
        // unreadable lock (e.g. from an older version): treat as stale
      }
      if (owner && owner !== process.pid && processAlive(owner)) return { acquired: false, ownerPid: owner };
      removeStale(path, owner, tmp);
    }
    throw new Error(`could not take the sidecar lock ${path}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The lock's owner pid; 0 if unreadable; undefined if there is no lock (someone may be linking theirs). */
function readPid(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 0;
  }
  try {
    return Number(JSON.parse(text).pid) || 0;
  } catch {
    return 0;
  }
}

/**
 * Remove a stale lock — but only the one we judged stale: two starters racing over the same stale
 * lock must not remove the lock one of them has just taken. A takeover guard (O_EXCL) serializes
 * them, and the owner is read again under the guard.
 */
function removeStale(path: string, stalePid: number, tmp: string): void {
  const guard = `${path}.takeover`;
  try {
    // Hard-linked from our complete temp file, so nobody reads a guard without its holder's pid.
    linkSync(tmp, guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const holder = readPid(guard);
    if (holder !== undefined && (!holder || !processAlive(holder))) rmSync(guard, { force: true }); // a guard left by a crash
    return; // someone else is taking over: look again
  }
  try {
    if (readPid(path) === stalePid) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
}

export function releaseLock(path: string): void {
  try {
    const owner = Number(JSON.parse(readFileSync(path, 'utf8')).pid);
    if (owner === process.pid) rmSync(path, { force: true });
  } catch {
    // already gone
  }
}
