/**
 * Checks in the manner of OpenSSH's StrictModes before anything connects to a sidecar or listens
 * for one: the state directory and the sockets in it must belong to the current user, must not be
 * symbolic links, and must not be writable by group or others; the directory holding the state
 * directory must not let another user replace it (owned by the user or root, and not writable by
 * others unless sticky, like /tmp). Otherwise another local user could pre-create the (predictable)
 * directory on a shared state root, serve a fake sidecar and receive what clients send, keys included.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ErrorCodes, FleetError } from '../protocol/errors';

const FIX = 'set CODEX_FLEET_STATE_DIR (or XDG_STATE_HOME) to a directory only you can write (mode 0700)';

function fail(what: string, path: string, problem: string, fix: string): never {
  throw new FleetError(ErrorCodes.UnsafeStateDir, `refusing to use the ${what} ${path}: ${problem}; ${fix}`, { path });
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function mode(st: Stats): string {
  return `0${(st.mode & 0o7777).toString(8)}`;
}

function currentUid(): number | undefined {
  return process.platform === 'win32' ? undefined : process.getuid?.();
}

/**
 * Throw {@link FleetError} `UnsafeStateDir` unless `dir` is private to this user. With `mayBeMissing`,
 * a directory that does not exist yet passes (nothing to connect to; whoever creates it checks again).
 */
export function assertPrivateDir(dir: string, opts: { mayBeMissing?: boolean } = {}): void {
  const me = currentUid();
  if (me === undefined) return;
  const st = lstatOrUndefined(dir);
  if (!st) {
    if (opts.mayBeMissing) return;
    fail('state directory', dir, 'it does not exist', FIX);
  }
  const removeIt = `remove it if it is not yours, or ${FIX}`;
  if (st.isSymbolicLink()) fail('state directory', dir, 'it is a symbolic link', removeIt);
  if (!st.isDirectory()) fail('state directory', dir, 'it is not a directory', removeIt);
  if (st.uid !== me) fail('state directory', dir, `it belongs to uid ${st.uid}, not to you (uid ${me})`, removeIt);
  if (st.mode & 0o022) fail('state directory', dir, `group or others can write to it (mode ${mode(st)})`, `run \`chmod 700 ${dir}\``);
  const parent = dirname(dir);
  const ps = statSync(parent);
  if (ps.uid !== me && ps.uid !== 0) fail('state root', parent, `it belongs to uid ${ps.uid}, who could replace the state directory`, FIX);
  if (ps.mode & 0o022 && !(ps.mode & 0o1000)) {
    fail('state root', parent, `group or others can write to it without the sticky bit (mode ${mode(ps)}), so they could replace the state directory`, `run \`chmod 700 ${parent}\` or ${FIX}`);
  }
}

/** Throw `UnsafeStateDir` unless the socket at `path` (if any) is this user's own, not a symlink, not group/other-writable. */
export function assertPrivateSocket(path: string): void {
  const me = currentUid();
  if (me === undefined) return;
  const st = lstatOrUndefined(path);
  if (!st) return;
  const removeIt = `remove it if it is not yours, or ${FIX}`;
  if (st.isSymbolicLink()) fail('socket', path, 'it is a symbolic link', removeIt);
  if (!st.isSocket()) fail('socket', path, 'it is not a socket', removeIt);
  if (st.uid !== me) fail('socket', path, `it belongs to uid ${st.uid}, not to you (uid ${me})`, removeIt);
  if (st.mode & 0o022) fail('socket', path, `group or others can write to it (mode ${mode(st)})`, removeIt);
}
