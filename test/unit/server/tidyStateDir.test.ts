/** server/store/atomicFile.ts tidyStateDir: leftovers of killed writers go, every file becomes 0600. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tidyStateDir, writeFileAtomic } from '../../../server/store/atomicFile';

describe('server/store tidyStateDir', () => {
  it("removes dead writers' temp files, keeps its own and other files, and makes files 0600", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-tidy-'));
    try {
      const dead = 2 ** 22 - 5; // no such process
      writeFileSync(join(dir, `.state.json.${dead}.tmp`), '{');
      writeFileSync(join(dir, `.agents.json.${process.pid}.tmp`), '{');
      writeFileSync(join(dir, 'sidecar.lock.123.tmp'), ''); // the lock's own temp name: not ours to remove
      writeFileSync(join(dir, 'app-server.pid'), '1', { mode: 0o644 });
      writeFileAtomic(join(dir, 'state.json'), '{}');
      assert.deepEqual(tidyStateDir(dir), [`.state.json.${dead}.tmp`]);
      assert.equal(existsSync(join(dir, `.agents.json.${process.pid}.tmp`)), true);
      for (const name of readdirSync(dir)) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
