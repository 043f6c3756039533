/**
 * The extension's own native executables, made executable again when an install lost their exec
 * bit (some VSIX installers and copies do): the bundled codex and the tools it runs (rg, bwrap),
 * and node-pty's macOS spawn-helper. Only this platform's files, only when the bit is missing.
 * No-op on Windows (no exec bit) and in a development checkout whose files are already executable.
 */
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files under `extensionPath` that must be executable on `platform-arch` (those that exist). */
export function bundledExecutables(extensionPath: string, platform: string = process.platform, arch: string = process.arch): string[] {
  if (platform === 'win32') return [];
  const target = `${platform}-${arch}`;
  const modules = join(extensionPath, 'node_modules');
  const files = [join(modules, 'node-pty', 'prebuilds', target, 'spawn-helper')];
  const vendor = join(modules, '@openai', `codex-${target}`, 'vendor');
  if (existsSync(vendor)) {
    for (const triple of readdirSync(vendor)) {
      const root = join(vendor, triple);
      files.push(join(root, 'bin', 'codex'), join(root, 'codex-path', 'rg'), join(root, 'codex-resources', 'bwrap'));
    }
  }
  return files.filter((f) => existsSync(f));
}

export interface ExecBitsResult {
  /** Files that lacked the exec bit and have it now. */
  fixed: string[];
  /** Files that lack it and could not be changed (e.g. a read-only install), with the reason. */
  failed: { file: string; reason: string }[];
}

/** chmod a+x each bundled executable missing its exec bit. */
export function restoreExecBits(extensionPath: string, platform: string = process.platform, arch: string = process.arch): ExecBitsResult {
  const result: ExecBitsResult = { fixed: [], failed: [] };
  for (const file of bundledExecutables(extensionPath, platform, arch)) {
    try {
      const mode = statSync(file).mode & 0o7777;
      if ((mode & 0o111) === 0o111) continue;
      chmodSync(file, mode | 0o755);
      result.fixed.push(file);
    } catch (e) {
      result.failed.push({ file, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return result;
}
