/**
 * Durable JSON files: atomic replace (temp file, fsync, rename, fsync of the directory) and
 * corrupt-file handling (moved aside as `<name>.corrupt-<time>` and reported, never overwritten).
 */
import { chmodSync, closeSync, existsSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../lock';

export interface LoadResult<T> {
  value: T;
  /** Set when the file existed but could not be parsed; it was moved to this path. */
  movedAside?: string;
  error?: string;
}

export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dfd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename is still atomic.
  }
}

/**
 * At start (the workspace lock held, so no other process writes here): remove temp files left by a
 * writer that was killed mid-write, and make every regular file in the state directory 0600.
 * Returns the names of the temp files removed.
 */
export function tidyStateDir(dir: string): string[] {
  const removed: string[] = [];
  const me = process.getuid?.();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const m = /^\..+\.(\d+)\.tmp$/.exec(name);
    if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) {
      rmSync(path, { force: true });
      removed.push(name);
      continue;
    }
    if (process.platform === 'win32') continue;
    const st = lstatSync(path);
    if (st.isFile() && st.uid === me && st.mode & 0o077) chmodSync(path, 0o600);
  }
  return removed;
}

export class AtomicJsonFile<T> {
  constructor(
    readonly path: string,
    private readonly defaults: () => T,
    private readonly validate: (raw: unknown) => raw is T,
  ) {}

  load(): LoadResult<T> {
    if (!existsSync(this.path)) return { value: this.defaults() };
    let raw: unknown;
    let error: string | undefined;
    try {
      raw = JSON.parse(readFileSync(this.path, 'utf8'));
      if (!this.validate(raw)) error = 'unexpected shape';
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (error === undefined) return { value: raw as T };
    const movedAside = `${this.path}.corrupt-${Date.now()}`;
    renameSync(this.path, movedAside);
    return { value: this.defaults(), movedAside, error };
  }

  save(value: T): void {
    writeFileAtomic(this.path, JSON.stringify(value, null, 1) + '\n');
  }
}
