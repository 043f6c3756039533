import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireLock, processAlive, psState, releaseLock } from '../../../server/lock';

const LOCK_MODULE = resolve(__dirname, '../../../server/lock.ts');

/**
 * Run acquireLock in a separate process that keeps running (so its lock stays live) until `release`
 * is called: starters spawned under load may start far apart, and a winner that exited early would
 * rightly leave a stale lock for a late one to take over.
 */
function contender(lockPath: string): { pid: number; acquired: Promise<boolean>; release: () => Promise<void> } {
  const code = `const { acquireLock } = require(${JSON.stringify(LOCK_MODULE)}); const r = acquireLock(${JSON.stringify(lockPath)}); process.stdout.write(String(r.acquired)); process.stdin.on('end', () => process.exit(0)).resume();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const acquired = new Promise<boolean>((res, rej) => {
    child.stdout.once('data', (d: Buffer) => res(d.toString() === 'true'));
    child.on('error', rej);
    void exited.then(() => res(false));
  });
  return { pid: child.pid!, acquired, release: () => (child.stdin.end(), exited) };
}

describe('sidecar lock', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is exclusive and released by its owner', async () => {
    const p = join(dir, 'sidecar.lock');
    const holder = contender(p);
    assert.equal(await holder.acquired, true);
    // Held by a live process: nobody else gets it, and they learn who holds it.
    assert.deepEqual(acquireLock(p), { acquired: false, ownerPid: holder.pid });
    await holder.release(); // it exits without releasing: a stale lock, taken over
    assert.deepEqual(acquireLock(p), { acquired: true });
    releaseLock(p);
    assert.equal(existsSync(p), false, 'its owner released it');
    const next = contender(p);
    assert.equal(await next.acquired, true);
    await next.release();
  });

  it('tells a running process from a missing one with ps too (macOS has no /proc)', () => {
    assert.match(psState(process.pid) ?? '', /^[RS]$/);
    assert.equal(psState(2 ** 22 - 3), undefined);
  });

  it('a stale lock (dead owner) is taken over by exactly one of several racing starters', async () => {
    const p = join(dir, 'sidecar.lock');
    writeFileSync(p, JSON.stringify({ pid: 2 ** 22 - 3, startedAt: 0 })); // no such process
    assert.equal(processAlive(2 ** 22 - 3), false);
    const starters = [1, 2, 3, 4].map(() => contender(p));
    const results = await Promise.all(starters.map((c) => c.acquired));
    await Promise.all(starters.map((c) => c.release()));
    assert.equal(results.filter(Boolean).length, 1, `winners: ${results.join(',')}`);
  });

  it('a live owner keeps its lock', () => {
    const p = join(dir, 'sidecar.lock');
    writeFileSync(p, JSON.stringify({ pid: process.ppid, startedAt: 0 }));
    assert.deepEqual(acquireLock(p), { acquired: false, ownerPid: process.ppid });
  });
});
