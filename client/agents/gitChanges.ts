/** Parsing git's `-z` listings of an agent's changed files (pure; used by agentChanges.ts). */

export interface ChangedFile {
  status: 'added' | 'modified' | 'deleted';
  /** Path relative to the worktree root. */
  path: string;
}

/** `git diff --name-status -z` output (renames split into delete + add) plus untracked files. */
export function parseChanges(nameStatusZ: string, untrackedZ: string): ChangedFile[] {
  const out: ChangedFile[] = [];
  const f = nameStatusZ.split('\0');
  for (let i = 0; i < f.length - 1; ) {
    const code = f[i++];
    if (!code) continue;
    if (code.startsWith('R') || code.startsWith('C')) {
      const from = f[i++];
      const to = f[i++];
      if (code.startsWith('R')) out.push({ status: 'deleted', path: from });
      out.push({ status: 'added', path: to });
    } else {
      const p = f[i++];
      out.push({ status: code.startsWith('A') ? 'added' : code.startsWith('D') ? 'deleted' : 'modified', path: p });
    }
  }
  for (const p of untrackedZ.split('\0')) if (p) out.push({ status: 'added', path: p });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
