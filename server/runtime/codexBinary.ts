/**
 * Which `codex` the sidecar runs: env CODEX_FLEET_CODEX (the extension passes its setting this way)
 * → `codex` on PATH → the pinned @openai/codex dependency (its native binary, run directly).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { RuntimeInfo } from '../../protocol/types';

export interface CodexBinary {
  path: string;
  source: RuntimeInfo['codexSource'];
  /** Extra environment for the binary (what the npm wrapper would have set). */
  env: Record<string, string>;
}

const TARGETS: Record<string, { pkg: string; triple: string }> = {
  'linux-x64': { pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { pkg: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { pkg: '@openai/codex-darwin-x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { pkg: '@openai/codex-darwin-arm64', triple: 'aarch64-apple-darwin' },
  'win32-x64': { pkg: '@openai/codex-win32-x64', triple: 'x86_64-pc-windows-msvc' },
  'win32-arm64': { pkg: '@openai/codex-win32-arm64', triple: 'aarch64-pc-windows-msvc' },
};

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
  const target = TARGETS[`${process.platform}-${process.arch}`];
  if (!target) return undefined;
  try {
    const codexRoot = realpathSync(dirname(require.resolve('@openai/codex/package.json')));
    const platformRoot = dirname(require.resolve(`${target.pkg}/package.json`, { paths: [codexRoot] }));
    const bin = join(platformRoot, 'vendor', target.triple, 'bin', process.platform === 'win32' ? 'codex.exe' : 'codex');
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
      const m = /(\d+\.\d+\.\d+[^\s]*)/.exec(stdout);
      resolve(m?.[1]);
    });
  });
}
