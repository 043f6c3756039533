import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireLock, processAlive, releaseLock } from '../../../server/lock';

const LOCK_MODULE = resolve(__dirname, '../../../server/lock.ts');

/**
 * Run acquireLock in a separate process; resolves with whether it got the lock and a `release` that
 * ends the process. A contender holds what it got until released: one that exited early (as a fixed
 * delay did under load) would leave a stale lock for a slower starter to take over, a second winner.
 */
function contender(lockPath: string): Promise<{ acquired: boolean; release: () => Promise<void> }> {
  const code = `const { acquireLock } = require(${JSON.stringify(LOCK_MODULE)}); const r = acquireLock(${JSON.stringify(lockPath)}); process.stdout.write(String(r.acquired) + '\\n'); process.stdin.on('end', () => process.exit(0)).resume();`;
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.endsWith('\n')) res({ acquired: out.trim() === 'true', release: () => (child.stdin.end(), exited) });
    });
    child.on('exit', () => res({ acquired: false, release: () => exited }));
    child.on('error', rej);
  });
}

describe('sidecar lock', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is exclusive and released by its owner', () => {
    const p = join(dir, 'sidecar.lock');
    assert.deepEqual(acquireLock(p), { acquired: true });
    releaseLock(p);
    assert.deepEqual(acquireLock(p), { acquired: true });
    releaseLock(p);
  });

  it('a stale lock (dead owner) is taken over by exactly one of several racing starters', async () => {
    const p = join(dir, 'sidecar.lock');
    writeFileSync(p, JSON.stringify({ pid: 2 ** 22 - 3, startedAt: 0 })); // no such process
    assert.equal(processAlive(2 ** 22 - 3), false);
    const results = await Promise.all([1, 2, 3, 4].map(() => contender(p)));
    await Promise.all(results.map((r) => r.release()));
    assert.equal(results.filter((r) => r.acquired).length, 1, `winners: ${results.map((r) => r.acquired).join(',')}`);
  });

  it('a live owner keeps its lock', () => {
    const p = join(dir, 'sidecar.lock');
    writeFileSync(p, JSON.stringify({ pid: process.ppid, startedAt: 0 }));
    assert.deepEqual(acquireLock(p), { acquired: false, ownerPid: process.ppid });
  });
});
