import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundledExecutables, restoreExecBits } from '../../../client/util/execBits';

/** An installed extension's layout with the given files at the given modes. */
function installed(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'exec-bits-'));
  for (const [rel, mode] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '');
    chmodSync(p, mode);
  }
  return root;
}

const codex = (target: string, triple: string, file: string) => `node_modules/@openai/codex-${target}/vendor/${triple}/${file}`;
const mode = (root: string, rel: string) => statSync(join(root, rel)).mode & 0o777;

describe('client/util/execBits', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it('restores the exec bit of codex, rg, bwrap and spawn-helper when an install lost it', () => {
    const files = {
      [codex('darwin-arm64', 'aarch64-apple-darwin', 'bin/codex')]: 0o644,
      [codex('darwin-arm64', 'aarch64-apple-darwin', 'codex-path/rg')]: 0o600,
      'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper': 0o644,
      'node_modules/node-pty/prebuilds/darwin-arm64/pty.node': 0o644,
    };
    const root = installed(files);
    roots.push(root);
    const result = restoreExecBits(root, 'darwin', 'arm64');
    assert.equal(result.fixed.length, 3);
    assert.deepEqual(result.failed, []);
    assert.equal(mode(root, codex('darwin-arm64', 'aarch64-apple-darwin', 'bin/codex')), 0o755);
    assert.equal(mode(root, codex('darwin-arm64', 'aarch64-apple-darwin', 'codex-path/rg')), 0o755);
    assert.equal(mode(root, 'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper'), 0o755);
    assert.equal(mode(root, 'node_modules/node-pty/prebuilds/darwin-arm64/pty.node'), 0o644, 'a shared library is left alone');
  });

  it('leaves files that are executable alone and touches only this platform', () => {
    const root = installed({
      [codex('linux-x64', 'x86_64-unknown-linux-musl', 'bin/codex')]: 0o755,
      [codex('linux-x64', 'x86_64-unknown-linux-musl', 'codex-resources/bwrap')]: 0o644,
      'node_modules/node-pty/prebuilds/darwin-x64/spawn-helper': 0o644,
    });
    roots.push(root);
    assert.deepEqual(restoreExecBits(root, 'linux', 'x64').fixed, [join(root, codex('linux-x64', 'x86_64-unknown-linux-musl', 'codex-resources/bwrap'))]);
    assert.equal(mode(root, 'node_modules/node-pty/prebuilds/darwin-x64/spawn-helper'), 0o644);
  });

  it('has nothing to do on Windows', () => {
    const root = installed({ [codex('win32-x64', 'x86_64-pc-windows-msvc', 'bin/codex.exe')]: 0o644 });
    roots.push(root);
    assert.deepEqual(bundledExecutables(root, 'win32', 'x64'), []);
  });
});
