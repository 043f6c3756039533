import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODEX_PLATFORM_KEYS, codexBinaryInPackage, codexPlatform } from '../../../shared/codexPlatform';

describe('shared/codexPlatform', () => {
  it('knows every platform Codex ships, Windows included', () => {
    assert.deepEqual([...CODEX_PLATFORM_KEYS].sort(), ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64']);
  });

  it('names the package and the binary inside it', () => {
    const linux = codexPlatform('linux', 'x64');
    assert.deepEqual(linux, { key: 'linux-x64', pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl', exe: '' });
    assert.equal(codexBinaryInPackage(linux), 'vendor/x86_64-unknown-linux-musl/bin/codex');
    const win = codexPlatform('win32', 'arm64');
    assert.ok(win);
    assert.equal(codexBinaryInPackage(win), 'vendor/aarch64-pc-windows-msvc/bin/codex.exe');
    assert.equal(codexPlatform('freebsd', 'x64'), undefined);
  });

  it('is the table the packaging script reads', async () => {
    const script = pathToFileURL(resolve(__dirname, '../../../scripts/packaging/targets.mjs')).href;
    const { TARGET_NAMES, targetInfo } = (await import(script)) as {
      TARGET_NAMES: string[];
      targetInfo(t: string): { codexTriple: string; exe: string };
    };
    assert.deepEqual(TARGET_NAMES, [...CODEX_PLATFORM_KEYS]);
    for (const t of TARGET_NAMES) {
      const [platform, arch] = t.split('-') as [string, string];
      const p = codexPlatform(platform, arch);
      assert.deepEqual({ codexTriple: targetInfo(t).codexTriple, exe: targetInfo(t).exe }, { codexTriple: p?.triple, exe: p?.exe });
    }
  });
});
