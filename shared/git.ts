/**
 * Running git: `execFile('git', [args...])`, never a shell, so names are never interpreted; no
 * credential prompts (GIT_TERMINAL_PROMPT=0). Node only (the sidecar and the extension host).
 */
import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  /** Kill git after this long (default 30 s). */
  timeoutMs?: number;
  /** Largest stdout accepted (default 16 MiB). */
  maxBuffer?: number;
}

/** git's stdout as is (not trimmed: `git show` content keeps its last newline); a {@link GitError} naming the subcommand and git's last words otherwise. */
export function runGit(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, timeout: opts.timeoutMs ?? 30_000, maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout, stderr) => {
        if (err) {
          const detail = (stderr.trim() || err.message).split('\n').slice(-3).join(' ');
          reject(new GitError(`git ${args[0]} failed: ${detail}`, args));
        } else resolve(stdout);
      },
    );
  });
}
