import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, runGit } from '../../../shared/git';

describe('shared/git', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-git-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('returns stdout untrimmed, arguments passed as is (no shell)', async () => {
    await runGit(dir, ['init', '-q', '-b', 'main']);
    writeFileSync(join(dir, 'a $(echo no).txt'), 'x\n');
    await runGit(dir, ['add', '--', 'a $(echo no).txt']);
    await runGit(dir, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'init']);
    assert.equal(await runGit(dir, ['show', 'HEAD:a $(echo no).txt']), 'x\n');
  });

  it('rejects with a GitError naming the subcommand and what git said', async () => {
    await assert.rejects(runGit(dir, ['rev-parse', '--verify', 'no-such-ref']), (e: unknown) => {
      assert.ok(e instanceof GitError);
      assert.match(e.message, /^git rev-parse failed: fatal: /);
      assert.deepEqual(e.args, ['rev-parse', '--verify', 'no-such-ref']);
      return true;
    });
  });
});
