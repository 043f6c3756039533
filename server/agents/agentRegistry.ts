/**
 * The persisted agent registry: `<stateDir>/agents/<name>/agent.json` per agent (atomic writes:
 * temp + fsync + rename), plus `<stateDir>/agents/consent.json` with the folders the user agreed to
 * trust / bypass hook trust for (asked once, remembered).
 *
 * Layout of one agent: agent.json, home/ (its CODEX_HOME), inbox/ (hook events), transcript/.
 * Worktrees live apart, in `<stateDir>/worktrees/<name>`, so a kept worktree outlives its agent.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import type { AgentKind, AgentState, AgentSummary, AgentWaitReason, TurnControls } from '../../protocol/types';
import { AtomicJsonFile } from '../store/atomicFile';
import type { WorktreeInfo } from './worktree';

export const AGENT_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function validateAgentName(name: unknown): string {
  if (typeof name !== 'string' || !AGENT_NAME_RE.test(name)) {
    throw new FleetError(
      ErrorCodes.InvalidParams,
      `invalid agent name ${JSON.stringify(name)}: use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit`,
    );
  }
  return name;
}

export interface AgentRecord {
  version: 1;
  name: string;
  kind: AgentKind;
  /** Where the TUI runs (the worktree when there is one). */
  cwd: string;
  createdAt: number;
  updatedAt: number;
  controls?: TurnControls;
  /** Free-form config.toml overrides (dotted keys). */
  configOverrides?: Record<string, unknown>;
  /** Root session (recorded from the hooks, or the session a session agent shows). */
  sessionId?: string;
  transcriptPath?: string;
  worktree?: WorktreeInfo;
  /** The user consented to trusting the folder (and, if needed, bypassing hook trust). */
  consent: boolean;
  /** Our hook hashes were not accepted: run with --dangerously-bypass-hook-trust (only with consent). */
  bypassHookTrust?: boolean;
  /** Last known state (for agents not running after a sidecar restart). */
  state: AgentState;
  waitReason?: AgentWaitReason;
  lastExit?: { code: number; signal?: number; at: number };
}

export function summarize(r: AgentRecord, live: { pid?: number; state?: AgentState; waitReason?: AgentWaitReason } = {}): AgentSummary {
  const s: AgentSummary = {
    name: r.name,
    kind: r.kind,
    state: live.state ?? r.state,
    cwd: r.cwd,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
  const waitReason = live.state ? live.waitReason : r.waitReason;
  if ((live.state ?? r.state) === 'WAITING' && waitReason) s.waitReason = waitReason;
  if (r.sessionId) s.sessionId = r.sessionId;
  if (r.worktree) {
    s.worktree = r.worktree.path;
    s.branch = r.worktree.branch;
    s.baseRef = r.worktree.baseCommit;
  }
  if (live.pid !== undefined) s.pid = live.pid;
  if (r.controls && Object.keys(r.controls).length > 0) s.controls = r.controls;
  return s;
}

function isRecord(v: unknown): v is AgentRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<AgentRecord>;
  return r.version === 1 && typeof r.name === 'string' && (r.kind === 'tui' || r.kind === 'session') && typeof r.cwd === 'string';
}

interface ConsentFile {
  folders: Record<string, { at: number }>;
}

export class AgentRegistry {
  readonly root: string;
  private readonly consentFile: AtomicJsonFile<ConsentFile>;

  constructor(readonly stateDir: string) {
    this.root = join(stateDir, 'agents');
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    this.consentFile = new AtomicJsonFile<ConsentFile>(
      join(this.root, 'consent.json'),
      () => ({ folders: {} }),
      (raw): raw is ConsentFile => typeof raw === 'object' && raw !== null && typeof (raw as ConsentFile).folders === 'object',
    );
  }

  dir(name: string): string {
    return join(this.root, name);
  }

  paths(name: string): { dir: string; file: string; home: string; inbox: string; transcript: string } {
    const dir = this.dir(name);
    return { dir, file: join(dir, 'agent.json'), home: join(dir, 'home'), inbox: join(dir, 'inbox'), transcript: join(dir, 'transcript') };
  }

  worktreePath(name: string): string {
    return join(this.stateDir, 'worktrees', name);
  }

  private file(name: string): AtomicJsonFile<AgentRecord> {
    return new AtomicJsonFile<AgentRecord>(this.paths(name).file, () => {
      throw new FleetError(ErrorCodes.AgentNotFound, `no agent named ${name}`);
    }, isRecord);
  }

  exists(name: string): boolean {
    return existsSync(this.paths(name).file);
  }

  /** Every stored agent (corrupt files are moved aside and reported through `onCorrupt`). */
  loadAll(onCorrupt: (name: string, error: string) => void): AgentRecord[] {
    const out: AgentRecord[] = [];
    for (const name of readdirSync(this.root)) {
      if (!AGENT_NAME_RE.test(name) || !this.exists(name)) continue;
      try {
        const r = this.file(name).load();
        if (r.error) onCorrupt(name, `${r.error} (moved to ${r.movedAside})`);
        else out.push(r.value);
      } catch (e) {
        onCorrupt(name, e instanceof Error ? e.message : String(e));
      }
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  save(r: AgentRecord): void {
    mkdirSync(this.paths(r.name).dir, { recursive: true, mode: 0o700 });
    r.updatedAt = Date.now();
    this.file(r.name).save(r);
  }

  remove(name: string): void {
    rmSync(this.dir(name), { recursive: true, force: true });
  }

  hasConsent(folder: string): boolean {
    return this.consentFile.load().value.folders[folder] !== undefined;
  }

  rememberConsent(folder: string): void {
    const c = this.consentFile.load().value;
    c.folders[folder] = { at: Date.now() };
    this.consentFile.save(c);
  }
}
