import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseCodex, CodexNotFoundError, type CodexBinary } from '../../../server/runtime/codexBinary';
import { CODEX_TESTED_RANGE } from '../../../protocol/codexRange';

/** A stand-in `codex` that only answers `--version` (the probe; app-server is never run here). */
function fakeCodex(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, 'codex');
  writeFileSync(p, `#!/bin/sh\necho "codex-cli ${version}"\n`);
  chmodSync(p, 0o755);
  return p;
}

describe('codex binary choice', () => {
  let root: string;
  let pinnedPath: string;
  const pinned = (): CodexBinary => ({ path: pinnedPath, source: 'pinned', env: { CODEX_MANAGED_BY_NPM: '1' } });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fleet-codexbin-'));
    pinnedPath = fakeCodex(join(root, 'pinned'), CODEX_TESTED_RANGE.min);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('uses the PATH codex when it is inside the tested range', async () => {
    const onPath = fakeCodex(join(root, 'bin'), CODEX_TESTED_RANGE.max);
    const c = await chooseCodex({ PATH: join(root, 'bin') }, undefined, pinned);
    assert.equal(c.bin.path, onPath);
    assert.equal(c.bin.source, 'path');
    assert.equal(c.version, CODEX_TESTED_RANGE.max);
    assert.equal(c.inRange, true);
    assert.equal(c.warning, undefined);
  });

  it('passes over a PATH codex outside the range for the bundled one, and says why', async () => {
    const onPath = fakeCodex(join(root, 'bin'), '9.0.0');
    const c = await chooseCodex({ PATH: join(root, 'bin') }, undefined, pinned);
    assert.equal(c.bin.path, pinnedPath);
    assert.equal(c.bin.source, 'pinned');
    assert.equal(c.version, CODEX_TESTED_RANGE.min);
    assert.equal(c.inRange, true);
    assert.match(c.warning ?? '', new RegExp(`codex 9\\.0\\.0 on PATH \\(${onPath}\\) is outside the tested range`));
    assert.match(c.warning ?? '', /using the bundled codex .* instead \(set codexFleet\.codexPath/);
  });

  it('passes over a PATH codex whose version cannot be read', async () => {
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'codex'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(root, 'bin', 'codex'), 0o755);
    const c = await chooseCodex({ PATH: join(root, 'bin') }, undefined, pinned);
    assert.equal(c.bin.source, 'pinned');
    assert.match(c.warning ?? '', /codex \(version unknown\) on PATH/);
  });

  it('keeps an out-of-range PATH codex when nothing is bundled (with a warning)', async () => {
    const onPath = fakeCodex(join(root, 'bin'), '0.100.0');
    const c = await chooseCodex({ PATH: join(root, 'bin') }, undefined, () => undefined);
    assert.equal(c.bin.path, onPath);
    assert.equal(c.inRange, false);
    assert.match(c.warning ?? '', /using it anyway: the bundled codex is not installed/);
  });

  it('the setting and CODEX_FLEET_CODEX force a path, even outside the range', async () => {
    fakeCodex(join(root, 'bin'), CODEX_TESTED_RANGE.max);
    const forced = fakeCodex(join(root, 'forced'), '0.172.0-alpha.1');
    const bySetting = await chooseCodex({ PATH: join(root, 'bin') }, forced, pinned);
    assert.deepEqual([bySetting.bin.path, bySetting.bin.source, bySetting.inRange], [forced, 'setting', false]);
    assert.match(bySetting.warning ?? '', /outside the tested range .*because the codexFleet\.codexPath setting asks for it/);
    const byEnv = await chooseCodex({ PATH: join(root, 'bin'), CODEX_FLEET_CODEX: forced }, undefined, pinned);
    assert.deepEqual([byEnv.bin.path, byEnv.bin.source, byEnv.inRange], [forced, 'env', false]);
    assert.match(byEnv.warning ?? '', /because CODEX_FLEET_CODEX asks for it/);
    const inside = await chooseCodex({ CODEX_FLEET_CODEX: pinnedPath }, undefined, pinned);
    assert.deepEqual([inside.bin.source, inside.inRange, inside.warning], ['env', true, undefined]);
  });

  it('falls back to the bundled codex with no PATH codex, and fails with none at all', async () => {
    const c = await chooseCodex({ PATH: join(root, 'empty') }, undefined, pinned);
    assert.deepEqual([c.bin.source, c.inRange, c.warning], ['pinned', true, undefined]);
    await assert.rejects(chooseCodex({ PATH: '' }, undefined, () => undefined), CodexNotFoundError);
  });
});
