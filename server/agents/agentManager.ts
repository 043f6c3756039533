/**
 * Terminal agents: create / list / send / stop / start / destroy / adopt / transcript / attach,
 * mirroring the `agents/*` protocol. Agents persist in the registry; their processes live in the
 * sidecar (and end with it: after a restart they show STOPPED until started again).
 * Operations on one agent are serialized; different agents proceed in parallel.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import type { AgentsCreateParams } from '../../protocol/sidecarProtocol';
import type { AgentSummary, FleetEventBody } from '../../protocol/types';
import { AgentRegistry, validateAgentName, type AgentRecord } from './agentRegistry';
import { preferNativeCodex, type AgentLog, type AttachHandle, type RuntimeContext } from './agentRuntime';
import { SessionAgentRuntime, type SessionBridge } from './sessionAgent';
import { DeliveryError } from './tuiDriver';
import { TuiAgentRuntime, type SendResult } from './tuiAgent';
import type { CodexBinary } from '../runtime/codexBinary';
import { checkForUpdate, runCodexUpdate, type UpdatePolicy } from './updates';
import { branchFor, createWorktree, removeWorktree, WorktreeError } from './worktree';

export interface AgentDeps {
  workspace: string;
  stateDir: string;
  /** The codex to run (the npm wrapper is replaced by its native binary for TUIs). */
  codexPath: string;
  codexEnv?: Record<string, string>;
  /** 'pinned' codex is never updated by AUTO policy (it belongs to Codex Fleet's install). */
  codexSource?: 'env' | 'setting' | 'path' | 'pinned';
  /**
   * The codex the sidecar chose (the same as app-server's, range-checked); asked before each agent
   * process starts and replaces codexPath/codexEnv/codexSource. Without it those are used as given.
   */
  chooseCodex?: () => Promise<CodexBinary>;
  userCodexHome: string;
  /** Base environment of agent processes (default: the sidecar's). */
  env?: NodeJS.ProcessEnv;
  /** The app-server's unix socket, for session agents (`--remote unix://...`). */
  appServerSocket(): string | undefined;
  /** Session layer for session agents; without it only TUI agents can be created. */
  sessions?: SessionBridge;
  emit(body: FleetEventBody): void;
  log: AgentLog;
  maxAgents: number;
  updatePolicy?: UpdatePolicy;
}

export type CreateParams = AgentsCreateParams & { configOverrides?: Record<string, unknown> };

type Runtime = TuiAgentRuntime | SessionAgentRuntime;

export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

export class AgentManager {
  readonly registry: AgentRegistry;
  private readonly runtimes = new Map<string, Runtime>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly ctx: RuntimeContext;
  private readonly reportedUpdates = new Set<string>();
  private disposed = false;
  /** The chosen codex as found (the npm wrapper, if that is what it is: `codex update` needs it). */
  private codexPath: string;
  private codexSource: AgentDeps['codexSource'];

  constructor(private readonly deps: AgentDeps) {
    this.registry = new AgentRegistry(deps.stateDir);
    this.codexPath = deps.codexPath;
    this.codexSource = deps.codexSource;
    this.ctx = {
      registry: this.registry,
      codexPath: preferNativeCodex(deps.codexPath),
      codexEnv: deps.codexEnv ?? {},
      env: deps.env ?? process.env,
      userCodexHome: deps.userCodexHome,
      log: deps.log,
      onSummary: (agent) => deps.emit({ kind: 'agent/updated', agent }),
      warn: (message) => {
        deps.log.warn(message);
        deps.emit({ kind: 'sidecar/warning', message });
      },
    };
    for (const r of this.registry.loadAll((name, err) => deps.log.error(`agent ${name}: registry entry unreadable: ${err}`))) {
      if (r.state !== 'DONE') r.state = 'STOPPED';
      this.runtimes.set(r.name, this.makeRuntime(r));
    }
  }

  private makeRuntime(r: AgentRecord, prompt?: string): Runtime {
    if (r.kind === 'session') {
      if (!this.deps.sessions) throw new FleetError(ErrorCodes.RuntimeUnavailable, 'session agents need the sidecar session layer');
      return new SessionAgentRuntime(r, this.ctx, this.deps.sessions, () => this.deps.appServerSocket());
    }
    return new TuiAgentRuntime(r, this.ctx, prompt);
  }

  /** Start an agent's process with the codex the sidecar chose. */
  private async startRuntime(rt: Runtime): Promise<void> {
    if (this.deps.chooseCodex) {
      const codex = await this.deps.chooseCodex();
      this.codexPath = codex.path;
      this.ctx.codexPath = preferNativeCodex(codex.path);
      this.ctx.codexEnv = codex.env;
      this.codexSource = codex.source;
    }
    await rt.start();
  }

  /** Run `fn` after earlier operations on the same agent finished. */
  private serialize<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(name, tail);
    void tail.then(() => {
      if (this.locks.get(name) === tail) this.locks.delete(name);
    });
    return next;
  }

  private get(name: string): Runtime {
    validateAgentName(name);
    const rt = this.runtimes.get(name);
    if (!rt) throw new FleetError(ErrorCodes.AgentNotFound, `no agent named ${name} (see \`codex-fleet agents list\`)`);
    return rt;
  }

  /** The live runtime (tests, and the VS Code side's richer views). */
  runtime(name: string): Runtime {
    return this.get(name);
  }

  list(): AgentSummary[] {
    return [...this.runtimes.values()].map((r) => r.summary());
  }

  private checkCapacity(name: string): void {
    if (this.disposed) throw new FleetError(ErrorCodes.ShuttingDown, 'the sidecar is shutting down');
    validateAgentName(name);
    if (this.runtimes.has(name) || this.registry.exists(name)) throw new FleetError(ErrorCodes.Conflict, `an agent named ${name} already exists`);
    if (this.runtimes.size >= this.deps.maxAgents) {
      throw new FleetError(ErrorCodes.Conflict, `the maximum of ${this.deps.maxAgents} agents is reached: destroy one first (or raise the limit)`);
    }
  }

  /** Consent is remembered per workspace: asked once. */
  private consentFor(given: boolean | undefined): boolean {
    const key = canonical(this.deps.workspace);
    if (given) this.registry.rememberConsent(key);
    return given === true || this.registry.hasConsent(key);
  }

  async create(p: CreateParams): Promise<AgentSummary> {
    this.checkCapacity(p.name);
    const name = p.name;
    return this.serialize(name, async () => {
      this.checkCapacity(name);
      const kind = p.kind ?? 'tui';
      if (kind === 'session' && p.worktree) throw new FleetError(ErrorCodes.InvalidParams, 'session agents run on the workspace app-server: --worktree applies to TUI agents only');
      const controls = { model: p.model, effort: p.effort, approvalPolicy: p.approvalPolicy, sandbox: p.sandbox, networkAccess: p.networkAccess };
      for (const k of Object.keys(controls) as Array<keyof typeof controls>) if (controls[k] === undefined) delete controls[k];
      const now = Date.now();
      const record: AgentRecord = {
        version: 1,
        name,
        kind,
        cwd: canonical(this.deps.workspace),
        createdAt: now,
        updatedAt: now,
        consent: this.consentFor(p.consent),
        state: 'STOPPED',
      };
      if (Object.keys(controls).length) record.controls = controls;
      if (p.configOverrides) record.configOverrides = p.configOverrides;
      if (p.worktree) {
        try {
          record.worktree = await createWorktree({ repoDir: this.deps.workspace, path: this.registry.worktreePath(name), branch: branchFor(name), baseRef: p.baseRef });
        } catch (e) {
          throw new FleetError(ErrorCodes.InvalidParams, e instanceof WorktreeError ? e.message : String(e));
        }
        record.cwd = record.worktree.path;
      }
      try {
        if (kind === 'session') {
          const bridge = this.deps.sessions;
          if (!bridge) throw new FleetError(ErrorCodes.RuntimeUnavailable, 'session agents need the sidecar session layer');
          record.sessionId = p.sessionId ?? (await bridge.start({ cwd: record.cwd, controls: record.controls, name })).sessionId;
        }
        this.registry.save(record);
        const rt = this.makeRuntime(record, kind === 'tui' ? p.prompt : undefined);
        this.runtimes.set(name, rt);
        await this.startRuntime(rt);
        if (kind === 'session' && p.prompt && rt instanceof SessionAgentRuntime) await rt.send(p.prompt);
        this.deps.log.info(`agent ${name}: created (${kind}${record.worktree ? `, worktree ${record.worktree.path} on ${record.worktree.branch}` : ''})`);
        if (kind === 'tui') void this.checkUpdates();
        return rt.summary();
      } catch (e) {
        await this.cleanupFailedCreate(record);
        throw e instanceof FleetError ? e : new FleetError(ErrorCodes.Internal, `creating agent ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  private async cleanupFailedCreate(record: AgentRecord): Promise<void> {
    const rt = this.runtimes.get(record.name);
    this.runtimes.delete(record.name);
    await rt?.dispose().catch(() => undefined);
    if (record.worktree) await removeWorktree(record.worktree, { deleteBranch: true }).catch(() => undefined);
    this.registry.remove(record.name);
  }

  async adopt(sessionId: string, name: string, consent?: boolean): Promise<AgentSummary> {
    this.checkCapacity(name);
    if (!/^[0-9a-fA-F-]{8,64}$/.test(sessionId)) throw new FleetError(ErrorCodes.InvalidParams, `invalid session id ${JSON.stringify(sessionId)}`);
    const rollout = findRollout(this.deps.userCodexHome, sessionId);
    if (!rollout) throw new FleetError(ErrorCodes.SessionNotFound, `no rollout for session ${sessionId} in ${this.deps.userCodexHome}`);
    return this.serialize(name, async () => {
      this.checkCapacity(name);
      const now = Date.now();
      const record: AgentRecord = { version: 1, name, kind: 'tui', cwd: canonical(this.deps.workspace), createdAt: now, updatedAt: now, consent: this.consentFor(consent), state: 'STOPPED', sessionId };
      const target = join(this.registry.paths(name).home, relative(this.deps.userCodexHome, rollout.path).replace(/^archived_sessions/, 'sessions'));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(rollout.path, target);
      record.transcriptPath = target;
      try {
        this.registry.save(record);
        const rt = this.makeRuntime(record);
        this.runtimes.set(name, rt);
        await this.startRuntime(rt);
        return rt.summary();
      } catch (e) {
        await this.cleanupFailedCreate(record);
        throw e instanceof FleetError ? e : new FleetError(ErrorCodes.Internal, `adopting ${sessionId} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  /** Deliver a message. With `wait` false a busy agent's message is queued and this returns at once. */
  async send(name: string, text: string, opts: { timeoutMs?: number; wait?: boolean } = {}): Promise<SendResult> {
    const rt = this.get(name);
    if (typeof text !== 'string' || text.trim() === '') throw new FleetError(ErrorCodes.InvalidParams, 'the message text is empty');
    if (rt instanceof SessionAgentRuntime) {
      await rt.send(text);
      return { delivered: true, queued: false };
    }
    try {
      return await rt.send(text, opts.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS, opts.wait ?? true);
    } catch (e) {
      if (e instanceof DeliveryError) throw new FleetError(e.message.includes('not running') ? ErrorCodes.Conflict : ErrorCodes.Timeout, `agent ${name}: ${e.message}`);
      throw e;
    }
  }

  stop(name: string): Promise<AgentSummary> {
    const rt = this.get(name);
    return this.serialize(name, async () => {
      await rt.stop();
      return rt.summary();
    });
  }

  start(name: string): Promise<AgentSummary> {
    const rt = this.get(name);
    return this.serialize(name, async () => {
      if (this.disposed) throw new FleetError(ErrorCodes.ShuttingDown, 'the sidecar is shutting down');
      try {
        await this.startRuntime(rt);
      } catch (e) {
        throw new FleetError(ErrorCodes.Internal, `starting agent ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return rt.summary();
    });
  }

  destroy(name: string, opts: { keepWorktree?: boolean; deleteSessions?: boolean } = {}): Promise<{ removed: true; keptWorktree?: string; movedSessions: number }> {
    const rt = this.get(name);
    return this.serialize(name, async () => {
      await rt.stop().catch((e: unknown) => this.deps.log.warn(`agent ${name}: stop before destroy: ${String(e)}`));
      await rt.dispose();
      const r = rt.record;
      let movedSessions = 0;
      if (r.kind === 'tui' && !opts.deleteSessions) movedSessions = moveSessionsAside(join(this.registry.paths(name).home, 'sessions'), join(this.deps.userCodexHome, 'sessions'));
      let keptWorktree: string | undefined;
      if (r.worktree) {
        if (opts.keepWorktree) keptWorktree = r.worktree.path;
        else await removeWorktree(r.worktree, { deleteBranch: true }).catch((e: unknown) => this.ctx.warn(`agent ${name}: removing its worktree failed: ${String(e)}`));
      }
      this.runtimes.delete(name);
      this.registry.remove(name);
      this.deps.emit({ kind: 'agent/removed', name });
      this.deps.log.info(`agent ${name}: destroyed (${movedSessions} session file(s) moved to ${join(this.deps.userCodexHome, 'sessions')}${keptWorktree ? `, worktree kept at ${keptWorktree}` : ''})`);
      return { removed: true as const, keptWorktree, movedSessions };
    });
  }

  transcript(name: string, opts: { raw?: boolean; since?: number } = {}): { entries: unknown[]; next: number } {
    return this.get(name).transcript(opts.raw ?? false, opts.since ?? 0);
  }

  attach(name: string, cols: number | undefined, rows: number | undefined, onOutput: (data: string) => void): AttachHandle {
    return this.get(name).attach(cols, rows, onOutput);
  }

  input(name: string, data: string): void {
    this.get(name).input(data);
  }

  resize(name: string, cols: number, rows: number): void {
    this.get(name).resize(cols, rows);
  }

  /** Compare the installed codex with version.json; act per policy. Never throws, never blocks. */
  async checkUpdates(): Promise<void> {
    try {
      const c = await checkForUpdate(this.ctx.codexPath, this.deps.userCodexHome, { ...this.ctx.env, ...this.ctx.codexEnv });
      if (!c.updateAvailable || !c.latest || this.reportedUpdates.has(c.latest)) return;
      this.reportedUpdates.add(c.latest);
      const policy = this.deps.updatePolicy ?? 'ASK';
      const what = `Codex ${c.latest} is available (agents run ${c.current})`;
      if (policy === 'AUTO' && this.codexSource !== 'pinned') {
        this.deps.log.info(`${what}: running \`codex update\``);
        const r = await runCodexUpdate(this.codexPath, { ...this.ctx.env, ...this.ctx.codexEnv });
        this.ctx.warn(r.ok ? `${what}: updated; restart agents to use it` : `${what}: \`codex update\` failed: ${r.output}`);
      } else if (policy === 'NEVER') this.deps.log.info(`${what}; updates are off (policy NEVER)`);
      else this.ctx.warn(`${what}. Update with \`codex update\`${this.codexSource === 'pinned' ? ' (or update Codex Fleet, which pins its own copy)' : ''}.`);
    } catch (e) {
      this.deps.log.warn(`update check failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Stop every agent process (the sidecar is exiting); records keep their last state. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.runtimes.values()].map((r) => r.dispose().catch(() => undefined)));
  }
}

/** The rollout of `sessionId` in a CODEX_HOME (sessions/ first, then archived_sessions/). */
export function findRollout(codexHome: string, sessionId: string): { path: string } | undefined {
  for (const top of ['sessions', 'archived_sessions']) {
    const found = walk(join(codexHome, top), (f) => f.endsWith(`-${sessionId}.jsonl`));
    if (found) return { path: found };
  }
  return undefined;
}

function walk(dir: string, pred: (file: string) => boolean): string | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? 1 : -1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const f = walk(p, pred);
      if (f) return f;
    } else if (pred(e.name)) return p;
  }
  return undefined;
}

/** Move rollout files into `target` (same relative layout), never overwriting. Returns the count. */
function moveSessionsAside(source: string, target: string): number {
  let n = 0;
  const visit = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith('.jsonl')) {
        const dest = join(target, relative(source, p));
        if (existsSync(dest)) continue;
        mkdirSync(dirname(dest), { recursive: true });
        try {
          renameSync(p, dest);
        } catch {
          copyFileSync(p, dest); // another filesystem
        }
        n++;
      }
    }
  };
  visit(source);
  return n;
}
