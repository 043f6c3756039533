/**
 * Wiring terminal agents into the sidecar: the `agents/*` request handlers, the per-connection
 * terminal attachments (`agents/attach` → `agents/output` notifications, `agents/input`,
 * `agents/resize`, detached when the client goes away), the session bridge for session agents,
 * and a busy probe (running agents keep the sidecar alive).
 *
 * The sidecar calls `const agents = wireAgents(this)` after `registerHandlers(this)` and
 * `await agents.dispose()` first thing in `stop()`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import * as P from '../../protocol/sidecarProtocol';
import { APPROVAL_POLICIES, REASONING_EFFORTS, SANDBOX_MODES } from '../../protocol/types';
import type { Client, ClientHub } from '../clients/clientHub';
import type { Sidecar } from '../sidecar';
import { AgentManager, type AgentDeps } from './agentManager';
import type { AttachHandle } from './agentRuntime';
import type { SessionBridge } from './sessionAgent';
import type { UpdatePolicy } from './updates';

/** How long session-agent operations wait for a starting Codex runtime. */
const RUNTIME_WAIT_MS = 30_000;

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw new FleetError(ErrorCodes.InvalidParams, `${field} is required (a string)`);
  return v;
}

function optEnum<T extends string>(v: unknown, field: string, allowed: readonly T[]): T | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v as T)) throw new FleetError(ErrorCodes.InvalidParams, `${field} must be one of ${allowed.join(', ')}`);
  return v as T;
}

function optNumber(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new FleetError(ErrorCodes.InvalidParams, `${field} must be a positive number`);
  return v;
}

/** Validate `agents/create` params at the edge. */
export function validateCreate(p: P.AgentsCreateParams | undefined): P.AgentsCreateParams {
  if (!p || typeof p !== 'object') throw new FleetError(ErrorCodes.InvalidParams, 'agents/create needs params');
  const out: P.AgentsCreateParams = { name: str(p.name, 'name') };
  out.kind = optEnum(p.kind, 'kind', ['tui', 'session'] as const);
  out.approvalPolicy = optEnum(p.approvalPolicy, 'approvalPolicy', APPROVAL_POLICIES);
  out.sandbox = optEnum(p.sandbox, 'sandbox', SANDBOX_MODES);
  out.effort = optEnum(p.effort, 'effort', REASONING_EFFORTS);
  if (p.model !== undefined) out.model = str(p.model, 'model');
  if (p.networkAccess !== undefined) out.networkAccess = p.networkAccess === true;
  if (p.worktree !== undefined) out.worktree = p.worktree === true;
  if (p.baseRef !== undefined) out.baseRef = str(p.baseRef, 'baseRef');
  if (p.baseRef !== undefined && !out.worktree) throw new FleetError(ErrorCodes.InvalidParams, 'baseRef needs worktree');
  if (p.prompt !== undefined) out.prompt = str(p.prompt, 'prompt');
  if (p.sessionId !== undefined) out.sessionId = str(p.sessionId, 'sessionId');
  if (p.consent !== undefined) out.consent = p.consent === true;
  if (p.configOverrides !== undefined) {
    if (!p.configOverrides || typeof p.configOverrides !== 'object' || Array.isArray(p.configOverrides)) throw new FleetError(ErrorCodes.InvalidParams, 'configOverrides must be an object');
    out.configOverrides = p.configOverrides;
  }
  for (const k of Object.keys(out) as Array<keyof P.AgentsCreateParams>) if (out[k] === undefined) delete out[k];
  return out;
}

/** Register the `agents/*` handlers on the hub. */
export function registerAgentHandlers(hub: ClientHub, manager: AgentManager): void {
  const attachments = new Map<Client, Map<string, AttachHandle>>();
  const detach = (client: Client, name?: string): void => {
    const mine = attachments.get(client);
    if (!mine) return;
    for (const [n, h] of [...mine]) {
      if (name !== undefined && n !== name) continue;
      h.detach();
      mine.delete(n);
    }
    if (mine.size === 0) attachments.delete(client);
  };

  hub.onRequest(P.AgentsCreate, async (p) => ({ agent: await manager.create(validateCreate(p)) }));
  hub.onRequest(P.AgentsList, () => ({ data: manager.list() }));
  hub.onRequest(P.AgentsSend, async (p) => {
    const name = str(p?.name, 'name');
    const r = await manager.send(name, str(p.text, 'text'), { timeoutMs: optNumber(p.timeoutMs, 'timeoutMs'), wait: p.wait !== false });
    return { delivered: r.delivered, queued: r.queued || undefined };
  });
  hub.onRequest(P.AgentsStop, async (p) => ({ agent: await manager.stop(str(p?.name, 'name')) }));
  hub.onRequest(P.AgentsStart, async (p) => ({ agent: await manager.start(str(p?.name, 'name')) }));
  hub.onRequest(P.AgentsDestroy, async (p) => {
    const name = str(p?.name, 'name');
    for (const c of [...attachments.keys()]) detach(c, name);
    await manager.destroy(name, { keepWorktree: p.keepWorktree === true, deleteSessions: p.deleteSessions === true });
    return { removed: true as const };
  });
  hub.onRequest(P.AgentsAdopt, async (p) => ({ agent: await manager.adopt(str(p?.sessionId, 'sessionId'), str(p.name, 'name'), p.consent === true) }));
  hub.onRequest(P.AgentsTranscript, (p) => {
    if (p?.since !== undefined && (typeof p.since !== 'number' || !Number.isInteger(p.since) || p.since < 0)) throw new FleetError(ErrorCodes.InvalidParams, 'since must be an entry index ≥ 0');
    return manager.transcript(str(p?.name, 'name'), { raw: p.raw === true, since: p.since });
  });
  hub.onRequest(P.AgentsAttach, (p, client) => {
    const name = str(p?.name, 'name');
    detach(client, name);
    const handle = manager.attach(name, optNumber(p.cols, 'cols'), optNumber(p.rows, 'rows'), (data) => {
      void client.connection.sendNotification(P.AgentsOutput, { name, data }).catch(() => detach(client, name));
    });
    let mine = attachments.get(client);
    if (!mine) attachments.set(client, (mine = new Map()));
    mine.set(name, handle);
    return { screen: handle.screen };
  });
  hub.onRequest(P.AgentsDetach, (p, client) => {
    detach(client, str(p?.name, 'name'));
    return {};
  });
  hub.onDidConnect((client) => {
    client.connection.onNotification(P.AgentsInput, (p) => {
      if (typeof p?.name === 'string' && typeof p.data === 'string' && attachments.get(client)?.has(p.name)) manager.input(p.name, p.data);
    });
    client.connection.onNotification(P.AgentsResize, (p) => {
      if (typeof p?.name === 'string' && typeof p.cols === 'number' && typeof p.rows === 'number') manager.resize(p.name, p.cols, p.rows);
    });
  });
  hub.onDidDisconnect((client) => detach(client));
}

/** Session agents through the sidecar's own session layer. */
export function sidecarSessionBridge(s: Sidecar): SessionBridge {
  const ready = () => s.supervisor.whenReady(RUNTIME_WAIT_MS);
  return {
    start: async ({ cwd, controls, name }) => {
      await ready();
      return { sessionId: (await s.sessions.start({ cwd, name, ...controls })).id };
    },
    send: async (sessionId, text) => {
      await ready();
      await s.sessions.send({ sessionId, text, whileRunning: 'queue' }, 'agents');
    },
    read: async (sessionId) => {
      await ready();
      const sum = s.sessions.summary(sessionId) ?? (await s.sessions.resume(sessionId));
      return { activity: sum.activity, path: sum.path };
    },
    onActivity: (listener) =>
      s.bus.onEvent((e) => {
        if (e.kind === 'session/updated') listener({ sessionId: e.session.id, activity: e.session.activity, path: e.session.path });
      }),
  };
}

/** Build the manager from the sidecar, register handlers and the busy probe. */
export function wireAgents(s: Sidecar, overrides: Partial<AgentDeps> = {}): AgentManager {
  const env = s.opts.env;
  // Agents run the codex app-server runs (chosen and range-checked by the supervisor).
  const chooseCodex = async () => (await s.supervisor.codexChoice()).bin;
  const policy = (env.CODEX_FLEET_AGENT_UPDATES ?? 'ASK').toUpperCase();
  const manager = new AgentManager({
    workspace: s.opts.paths.workspace,
    stateDir: s.opts.paths.dir,
    codexPath: 'codex',
    chooseCodex,
    userCodexHome: env.CODEX_HOME || join(homedir(), '.codex'),
    env,
    appServerSocket: () => s.supervisor.info.listenSocket ?? s.opts.paths.appServerSocket,
    sessions: sidecarSessionBridge(s),
    emit: (body) => s.bus.emit(body),
    log: s.log,
    maxAgents: Number(env.CODEX_FLEET_MAX_AGENTS ?? 8) || 8,
    updatePolicy: (['AUTO', 'ASK', 'NEVER'].includes(policy) ? policy : 'ASK') as UpdatePolicy,
    ...overrides,
  });
  registerAgentHandlers(s.hub, manager);
  s.addBusyProbe(() => manager.list().filter((a) => a.pid !== undefined).length);
  return manager;
}
