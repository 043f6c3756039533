/**
 * Where Codex's native binary lives for each platform: `@openai/codex` ships one npm package per
 * `<platform>-<arch>` with the binary under `vendor/<triple>/bin/`. The table is JSON
 * (codexPlatforms.json) so the packaging scripts, which are plain .mjs, read the same one.
 */
import table from './codexPlatforms.json';

export interface CodexPlatform {
  /** `<process.platform>-<process.arch>`, e.g. `linux-x64`. */
  key: string;
  /** The platform package, e.g. `@openai/codex-linux-x64`. */
  pkg: string;
  /** Rust target triple: the folder under the package's `vendor/`. */
  triple: string;
  /** `.exe` on Windows, '' elsewhere. */
  exe: string;
}

const TABLE: Record<string, { triple: string; exe: string }> = table;

export const CODEX_PLATFORM_KEYS: readonly string[] = Object.keys(TABLE);

/** The platform's entry, or undefined where Codex ships no binary. */
export function codexPlatform(platform: string, arch: string): CodexPlatform | undefined {
  const key = `${platform}-${arch}`;
  const entry = TABLE[key];
  return entry && { key, pkg: `@openai/codex-${key}`, triple: entry.triple, exe: entry.exe };
}

/** The binary's path inside its platform package, '/'-separated: `vendor/<triple>/bin/codex[.exe]`. */
export function codexBinaryInPackage(p: CodexPlatform): string {
  return `vendor/${p.triple}/bin/codex${p.exe}`;
}
