/**
 * Exactly one sidecar per workspace: an exclusive lock file holding the owner's pid, created
 * atomically (written to a temp file, then hard-linked into place, so nobody ever reads a
 * half-written lock). A lock left by a dead process (or a zombie nobody reaps) is taken over.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export type LockResult = { acquired: true } | { acquired: false; ownerPid: number };

/** Whether `pid` is a running process (a zombie is not). Linux reads /proc; macOS and other Unixes ask `ps`. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform === 'win32') return true; // no zombies to tell apart: kill(0) is the answer
  const state = HAS_PROC ? procState(pid) : psState(pid);
  // Z is a zombie, X dead; no state at all: it went away meanwhile.
  return state !== undefined && state !== 'Z' && state !== 'X';
}

const HAS_PROC = existsSync('/proc/self/stat');

/** The one-letter process state from /proc/<pid>/stat ("pid (comm) S ..."), undefined if there is no such process. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || undefined;
  } catch {
    return undefined;
  }
}

/** The process state from `ps -o stat= -p PID` (first letter: R, S, Z, ...), undefined if there is no such process. */
export function psState(pid: number): string | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    return out ? out[0] : undefined;
  } catch {
    return undefined; // ps exits 1 when there is no such process
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
