/**
 * Which `codex` the sidecar runs (app-server and agents alike):
 * 1. the `codexFleet.codexPath` setting (restart with a path) or env CODEX_FLEET_CODEX (the extension
 *    passes its setting this way): always used, with a warning when outside the tested range;
 * 2. `codex` on PATH, only when `codex --version` is inside the tested range (protocol/codexRange.ts);
 * 3. the pinned @openai/codex dependency (its native binary, run directly) — also when the PATH
 *    codex was passed over, and the runtime info then says why.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { CODEX_TESTED_RANGE, describeCodexRange, inCodexRange, parseCodexVersion } from '../../protocol/codexRange';
import type { RuntimeInfo } from '../../protocol/types';
import { codexBinaryInPackage, codexPlatform } from '../../shared/codexPlatform';

export interface CodexBinary {
  path: string;
  source: RuntimeInfo['codexSource'];
  /** Extra environment for the binary (what the npm wrapper would have set). */
  env: Record<string, string>;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext);
      if (existsSync(p) && isExecutable(p)) return p;
    }
  }
  return undefined;
}

/** The pinned dependency's native binary, if installed. */
export function pinnedCodex(): CodexBinary | undefined {
  const target = codexPlatform(process.platform, process.arch);
  if (!target) return undefined;
  try {
    const codexRoot = realpathSync(dirname(require.resolve('@openai/codex/package.json')));
    const platformRoot = dirname(require.resolve(`${target.pkg}/package.json`, { paths: [codexRoot] }));
    const bin = join(platformRoot, codexBinaryInPackage(target));
    if (!existsSync(bin)) return undefined;
    return { path: bin, source: 'pinned', env: { CODEX_MANAGED_BY_NPM: '1', CODEX_MANAGED_PACKAGE_ROOT: codexRoot } };
  } catch {
    return undefined;
  }
}

export class CodexNotFoundError extends Error {
  constructor() {
    super('Codex was not found: set CODEX_FLEET_CODEX (or the codexFleet.codexPath setting), put `codex` on PATH, or reinstall Codex Fleet with its dependencies');
    this.name = 'CodexNotFoundError';
  }
}

export function resolveCodex(env: NodeJS.ProcessEnv, override?: string): CodexBinary {
  if (override) return { path: override, source: 'setting', env: {} };
  if (env.CODEX_FLEET_CODEX) return { path: env.CODEX_FLEET_CODEX, source: 'env', env: {} };
  const onPath = findOnPath('codex', env);
  if (onPath) return { path: onPath, source: 'path', env: {} };
  const pinned = pinnedCodex();
  if (pinned) return pinned;
  throw new CodexNotFoundError();
}

/** `codex --version` → "0.169.0" (undefined if it cannot be read). */
export function codexVersion(bin: CodexBinary, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(bin.path, ['--version'], { env: { ...env, ...bin.env }, timeout: 10000 }, (err, stdout) => {
      if (err) return resolve(undefined);
      resolve(parseCodexVersion(stdout));
    });
  });
}

/** The codex to run, its version, and whether (and why) it is outside the tested range. */
export interface CodexChoice {
  bin: CodexBinary;
  version?: string;
  inRange: boolean;
  /** Why this codex and not the expected one (PATH codex passed over, forced out-of-range path). */
  warning?: string;
}

type VersionProbe = (bin: CodexBinary, env: NodeJS.ProcessEnv) => Promise<string | undefined>;

/**
 * Pick the codex per the order above. `pinned` and `probe` are injectable for tests. Throws
 * CodexNotFoundError when there is none at all.
 */
export async function chooseCodex(
  env: NodeJS.ProcessEnv,
  override?: string,
  pinned: () => CodexBinary | undefined = pinnedCodex,
  probe: VersionProbe = codexVersion,
): Promise<CodexChoice> {
  const range = describeCodexRange(CODEX_TESTED_RANGE);
  const forced: CodexBinary | undefined = override
    ? { path: override, source: 'setting', env: {} }
    : env.CODEX_FLEET_CODEX
      ? { path: env.CODEX_FLEET_CODEX, source: 'env', env: {} }
      : undefined;
  if (forced) {
    const version = await probe(forced, env);
    const inRange = inCodexRange(version);
    const by = forced.source === 'setting' ? 'the codexFleet.codexPath setting' : 'CODEX_FLEET_CODEX';
    const warning = inRange ? undefined : `codex ${version ?? '(version unknown)'} at ${forced.path} is outside the tested range ${range}; using it because ${by} asks for it`;
    return { bin: forced, version, inRange, warning };
  }
  const onPath = findOnPath('codex', env);
  const bundled = pinned();
  if (onPath) {
    const bin: CodexBinary = { path: onPath, source: 'path', env: {} };
    const version = await probe(bin, env);
    if (inCodexRange(version)) return { bin, version, inRange: true };
    const found = `codex ${version ?? '(version unknown)'} on PATH (${onPath}) is outside the tested range ${range}`;
    if (!bundled) return { bin, version, inRange: false, warning: `${found}; using it anyway: the bundled codex is not installed` };
    const pinnedVersion = await probe(bundled, env);
    return {
      bin: bundled,
      version: pinnedVersion,
      inRange: inCodexRange(pinnedVersion),
      warning: `${found}; using the bundled codex ${pinnedVersion ?? CODEX_TESTED_RANGE.min} instead (set codexFleet.codexPath or CODEX_FLEET_CODEX to force a path)`,
    };
  }
  if (!bundled) throw new CodexNotFoundError();
  const version = await probe(bundled, env);
  return { bin: bundled, version, inRange: inCodexRange(version) };
}
