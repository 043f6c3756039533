/**
 * Codex updates for terminal agents, without a network call of our own: compare `codex --version`
 * with `latest_version` in CODEX_HOME/version.json (written by Codex's own update check).
 * Policy AUTO runs `codex update`, ASK asks the user (a warning event clients can act on), NEVER
 * only notifies. Never blocks creating an agent; each version is reported once.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type UpdatePolicy = 'AUTO' | 'ASK' | 'NEVER';

export interface UpdateCheck {
  current?: string;
  latest?: string;
  updateAvailable: boolean;
}

/** Numeric semver-ish comparison (pre-release tags sort before the release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): { nums: number[]; pre: string } => {
    const [main = '', pre = ''] = v.trim().replace(/^v/, '').split('-', 2);
    return { nums: main.split('.').map((n) => parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return x.pre < y.pre ? -1 : 1;
}

export function readLatestVersion(codexHome: string): string | undefined {
  try {
    const v: unknown = JSON.parse(readFileSync(join(codexHome, 'version.json'), 'utf8'));
    if (v && typeof v === 'object' && 'latest_version' in v && typeof v.latest_version === 'string') return v.latest_version;
  } catch {
    // no version.json yet
  }
  return undefined;
}

export function codexVersionOf(codexPath: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(codexPath, ['--version'], { env, timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve(undefined);
      resolve(/(\d+\.\d+\.\d+[^\s]*)/.exec(stdout)?.[1]);
    });
  });
}

export async function checkForUpdate(codexPath: string, codexHome: string, env?: NodeJS.ProcessEnv): Promise<UpdateCheck> {
  const latest = readLatestVersion(codexHome);
  if (!latest) return { updateAvailable: false };
  const current = await codexVersionOf(codexPath, env);
  return { current, latest, updateAvailable: current !== undefined && compareVersions(current, latest) < 0 };
}

/** `codex update` (AUTO policy). Resolves with its outcome; never throws. */
export function runCodexUpdate(codexPath: string, env?: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(codexPath, ['update'], { env, timeout: 300_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: !err, output: `${stdout}${stderr}`.trim().split('\n').slice(-5).join('\n') });
    });
  });
}
