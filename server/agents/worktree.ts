/**
 * Per-agent isolation: a git branch and worktree under the sidecar's state directory.
 * Every git call is `execFile('git', [args...])` — no shell, names never interpreted.
 */
import { runGit } from '../../shared/git';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export class WorktreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorktreeError';
  }
}

export interface WorktreeInfo {
  /** Absolute worktree directory. */
  path: string;
  branch: string;
  /** The ref the user asked for (default HEAD). */
  baseRef: string;
  /** The commit the branch started from (what "Show Changes" diffs against). */
  baseCommit: string;
  /** Top level of the repository the worktree belongs to. */
  repoRoot: string;
}

async function git(cwd: string, args: string[], timeoutMs = 30_000): Promise<string> {
  try {
    return (await runGit(cwd, args, { timeoutMs })).trim();
  } catch (e) {
    throw new WorktreeError(e instanceof Error ? e.message : String(e));
  }
}

/** The repository top level containing `dir`, or undefined outside a git repository. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  try {
    return await git(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    return undefined;
  }
}

/** `codex-fleet/<agent name>` (agent names are already restricted to safe characters). */
export function branchFor(agentName: string): string {
  return `codex-fleet/${agentName}`;
}

export async function createWorktree(opts: { repoDir: string; path: string; branch: string; baseRef?: string }): Promise<WorktreeInfo> {
  const repoRoot = await gitTopLevel(opts.repoDir);
  if (!repoRoot) throw new WorktreeError(`${opts.repoDir} is not inside a git repository: --worktree needs one (create the agent without it, or run \`git init\`)`);
  const baseRef = opts.baseRef ?? 'HEAD';
  if (baseRef.startsWith('-')) throw new WorktreeError(`invalid base ref ${JSON.stringify(baseRef)}`);
  let baseCommit: string;
  try {
    baseCommit = await git(repoRoot, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${baseRef}^{commit}`]);
  } catch {
    throw new WorktreeError(`base ref ${JSON.stringify(baseRef)} is not a commit in ${repoRoot}`);
  }
  try {
    await git(repoRoot, ['check-ref-format', '--branch', opts.branch]);
  } catch {
    throw new WorktreeError(`${JSON.stringify(opts.branch)} is not a valid branch name`);
  }
  const exists = await git(repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${opts.branch}`]).then(
    () => true,
    () => false,
  );
  if (exists) throw new WorktreeError(`branch ${opts.branch} already exists in ${repoRoot}: delete it (git branch -D ${opts.branch}) or choose another agent name`);
  if (existsSync(opts.path)) throw new WorktreeError(`worktree directory ${opts.path} already exists`);
  mkdirSync(dirname(opts.path), { recursive: true });
  await git(repoRoot, ['worktree', 'add', '-b', opts.branch, '--', opts.path, baseCommit], 120_000);
  return { path: opts.path, branch: opts.branch, baseRef, baseCommit, repoRoot };
}

/** Remove the worktree (forcefully: the agent's uncommitted work goes) and delete its branch. */
export async function removeWorktree(info: Pick<WorktreeInfo, 'path' | 'branch' | 'repoRoot'>, opts: { deleteBranch: boolean }): Promise<void> {
  if (existsSync(info.path)) await git(info.repoRoot, ['worktree', 'remove', '--force', '--', info.path], 120_000);
  await git(info.repoRoot, ['worktree', 'prune']).catch(() => undefined);
  if (opts.deleteBranch) await git(info.repoRoot, ['branch', '-D', '--', info.branch]).catch(() => undefined);
}
