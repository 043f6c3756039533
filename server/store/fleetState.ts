/**
 * What the sidecar owns durably (Codex keeps transcripts in its own rollouts): session names and
 * pins, default controls, queued follow-ups, and the request-resolution audit.
 *
 * Queued follow-ups live one file each in `queue/` (`q-<n>.json`), so a write costs what changed:
 * queueing a message writes that message (and the small state.json with the next id), delivering
 * it removes its file — never a rewrite of every queued message.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { QueuedMessage, RequestAuditEntry, TurnControls } from '../../protocol/types';
import { FORBIDDEN_KEYS } from '../../protocol/limits';
import type { Logger } from '../logger';
import { AtomicJsonFile, tidyStateDir, writeFileAtomic } from './atomicFile';

export interface SessionMeta {
  pinned?: boolean;
}

export interface FleetStateData {
  version: 1;
  sessions: Record<string, SessionMeta>;
  defaults: TurnControls;
  queue: Record<string, QueuedMessage[]>;
  nextQueuedId: number;
  /** Request ids stay unique across sidecar restarts (clients remember which ones they showed). */
  nextRequestId?: number;
}

function isFleetState(raw: unknown): raw is FleetStateData {
  if (!raw || typeof raw !== 'object') return false;
  const r = raw as Partial<FleetStateData>;
  return r.version === 1 && typeof r.sessions === 'object' && typeof r.queue === 'object' && typeof r.nextQueuedId === 'number';
}

/**
 * A map keyed by client-supplied ids as a null-prototype object (`__proto__` & co. are plain keys
 * there, never the prototype); forbidden keys read from the file are dropped.
 */
function idMap<V>(from: Record<string, V> | undefined): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [k, v] of Object.entries(from ?? {})) if (!FORBIDDEN_KEYS.has(k)) out[k] = v;
  return out;
}

const AUDIT_MAX_BYTES = 2 * 1024 * 1024;

export class FleetStateStore {
  private readonly file: AtomicJsonFile<FleetStateData>;
  private data: FleetStateData;
  private readonly auditPath: string;
  private readonly queueDir: string;
  /** Queued follow-ups by session (null-prototype), oldest first; persisted in `queue/`. */
  private readonly queue: Record<string, QueuedMessage[]> = idMap<QueuedMessage[]>({});

  constructor(stateDir: string, private readonly log: Logger, onWarning: (message: string) => void) {
    this.file = new AtomicJsonFile(join(stateDir, 'state.json'), () => ({ version: 1, sessions: {}, defaults: {}, queue: {}, nextQueuedId: 1 }), isFleetState);
    const loaded = this.file.load();
    this.data = { ...loaded.value, sessions: idMap(loaded.value.sessions), queue: {} };
    if (loaded.movedAside) {
      const msg = `state.json was unreadable (${loaded.error}); moved aside to ${loaded.movedAside} and started fresh`;
      log.error(msg);
      onWarning(msg);
    }
    this.auditPath = join(stateDir, 'audit.jsonl');
    this.queueDir = join(stateDir, 'queue');
    this.loadQueue(Object.values(idMap(loaded.value.queue)).flat(), onWarning);
  }

  private queuePath(id: string): string {
    return join(this.queueDir, `${id}.json`);
  }

  /** Read `queue/`; messages an earlier version kept inside state.json move to their own files. */
  private loadQueue(legacy: QueuedMessage[], onWarning: (message: string) => void): void {
    mkdirSync(this.queueDir, { recursive: true, mode: 0o700 });
    tidyStateDir(this.queueDir);
    const all: QueuedMessage[] = [];
    for (const name of readdirSync(this.queueDir)) {
      if (!/^q-\d+\.json$/.test(name)) continue;
      try {
        all.push(JSON.parse(readFileSync(join(this.queueDir, name), 'utf8')) as QueuedMessage);
      } catch (e) {
        const aside = join(this.queueDir, `${name}.corrupt-${Date.now()}`);
        renameSync(join(this.queueDir, name), aside);
        onWarning(`queued message ${name} was unreadable (${e instanceof Error ? e.message : String(e)}); moved aside to ${aside}`);
      }
    }
    for (const q of legacy) {
      if (all.some((m) => m.id === q.id)) continue;
      writeFileAtomic(this.queuePath(q.id), JSON.stringify(q));
      all.push(q);
    }
    const num = (q: QueuedMessage) => Number(q.id.slice(2)) || 0;
    all.sort((a, b) => num(a) - num(b));
    for (const q of all) {
      if (typeof q.sessionId !== 'string' || FORBIDDEN_KEYS.has(q.sessionId)) continue;
      (this.queue[q.sessionId] ??= []).push(q);
      this.data.nextQueuedId = Math.max(this.data.nextQueuedId, num(q) + 1);
    }
    if (legacy.length) this.commit();
  }

  get state(): Readonly<FleetStateData> {
    return this.data;
  }

  private commit(): void {
    this.file.save({ ...this.data, queue: {} });
  }

  sessionMeta(id: string): SessionMeta {
    return this.data.sessions[id] ?? {};
  }

  /** The next pending-request number; persisted so ids are never reused by a later sidecar. */
  allocateRequestId(): number {
    const n = this.data.nextRequestId ?? 1;
    this.data.nextRequestId = n + 1;
    this.commit();
    return n;
  }

  setDefaults(defaults: TurnControls): void {
    this.data.defaults = { ...defaults };
    this.commit();
  }

  setPinned(id: string, pinned: boolean): void {
    this.data.sessions[id] = { ...this.data.sessions[id], pinned };
    this.commit();
  }

  // ---- queued follow-ups ----------------------------------------------------------------------

  queueFor(sessionId: string): QueuedMessage[] {
    return this.queue[sessionId] ?? [];
  }

  allQueued(): QueuedMessage[] {
    return Object.values(this.queue).flat();
  }

  enqueue(msg: Omit<QueuedMessage, 'id'>): QueuedMessage {
    const queued: QueuedMessage = { ...msg, id: `q-${this.data.nextQueuedId++}` };
    this.commit(); // the id first: a later sidecar never reuses it, even if we die right here
    writeFileAtomic(this.queuePath(queued.id), JSON.stringify(queued));
    (this.queue[msg.sessionId] ??= []).push(queued);
    return queued;
  }

  /** Remove a queued message; returns it, or undefined if it was not queued. */
  dequeue(sessionId: string, queuedId: string): QueuedMessage | undefined {
    const list = this.queue[sessionId];
    const i = list?.findIndex((q) => q.id === queuedId) ?? -1;
    if (!list || i < 0) return undefined;
    const [removed] = list.splice(i, 1);
    if (list.length === 0) delete this.queue[sessionId];
    rmSync(this.queuePath(queuedId), { force: true });
    return removed;
  }

  // ---- audit ----------------------------------------------------------------------------------

  audit(entry: RequestAuditEntry): void {
    try {
      if (existsSync(this.auditPath) && statSync(this.auditPath).size > AUDIT_MAX_BYTES) {
        renameSync(this.auditPath, `${this.auditPath}.1`);
      }
      appendFileSync(this.auditPath, JSON.stringify(entry) + '\n', { mode: 0o600 });
    } catch (e) {
      this.log.error(`could not write the audit log: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  readAudit(limit = 100): RequestAuditEntry[] {
    if (!existsSync(this.auditPath)) return [];
    const out: RequestAuditEntry[] = [];
    for (const line of readFileSync(this.auditPath, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as RequestAuditEntry);
      } catch {
        // a torn last line after a crash: skip it
      }
    }
    return out.slice(-limit);
  }
}
