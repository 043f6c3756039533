/** sdk/strictModes.ts: a state directory or socket not private to the user is refused, saying what to fix. */
import { strict as assert } from 'node:assert';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, FleetError } from '../../../protocol/errors';
import { assertPrivateDir, assertPrivateSocket } from '../../../sdk/strictModes';

const OTHER_UID = 4242;

function refuses(f: () => void, re: RegExp): void {
  assert.throws(f, (e: unknown) => FleetError.is(e, ErrorCodes.UnsafeStateDir) && re.test(e.message) && /CODEX_FLEET_STATE_DIR|chmod/.test(e.message));
}

describe('sdk/strictModes', () => {
  let root: string;
  let server: Server | undefined;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fleet-strict-'));
  });
  afterEach(() => {
    server?.close();
    server = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('accepts a private directory (also under a sticky world-writable root) and a missing one when allowed', () => {
    const dir = join(root, 'ws');
    mkdirSync(dir, { mode: 0o700 });
    assertPrivateDir(dir);
    chmodSync(root, 0o1777);
    assertPrivateDir(dir);
    assertPrivateDir(join(root, 'missing'), { mayBeMissing: true });
    refuses(() => assertPrivateDir(join(root, 'missing')), /does not exist/);
  });

  it('refuses a symlink, a group/other-writable directory, and a root others can write without the sticky bit', () => {
    const real = join(root, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, join(root, 'link'));
    refuses(() => assertPrivateDir(join(root, 'link')), /symbolic link/);
    chmodSync(real, 0o770);
    refuses(() => assertPrivateDir(real), /group or others can write to it \(mode 0770\)/);
    chmodSync(real, 0o700);
    chmodSync(root, 0o777);
    refuses(() => assertPrivateDir(real), /without the sticky bit/);
    writeFileSync(join(root, 'file'), '');
    chmodSync(root, 0o700);
    refuses(() => assertPrivateDir(join(root, 'file')), /not a directory/);
  });

  it("refuses another user's directory and socket", async function () {
    if (process.getuid?.() !== 0) this.skip(); // chown to another uid needs root (CI runs as root)
    const dir = join(root, 'theirs');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, OTHER_UID, OTHER_UID);
    refuses(() => assertPrivateDir(dir), /belongs to uid 4242, not to you \(uid 0\)/);
    const sock = join(root, 'sidecar.sock');
    const s = createServer();
    server = s;
    await new Promise<void>((r) => s.listen(sock, () => r()));
    chmodSync(sock, 0o600);
    assertPrivateSocket(sock);
    chmodSync(sock, 0o666);
    refuses(() => assertPrivateSocket(sock), /group or others can write/);
    chmodSync(sock, 0o600);
    chownSync(sock, OTHER_UID, OTHER_UID);
    refuses(() => assertPrivateSocket(sock), /belongs to uid 4242/);
    assertPrivateSocket(join(root, 'none.sock'));
    symlinkSync(sock, join(root, 'link.sock'));
    refuses(() => assertPrivateSocket(join(root, 'link.sock')), /symbolic link/);
  });
});
