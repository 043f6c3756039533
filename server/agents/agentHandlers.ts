/**
 * Wiring terminal agents into the sidecar: the `agents/*` request handlers, the per-connection
 * terminal attachments (`agents/attach` → `agents/output` notifications, `agents/input`,
 * `agents/resize`, detached when the client goes away), the session bridge for session agents,
 * and a busy probe (running agents keep the sidecar alive).
 *
 * The sidecar (an {@link AgentHost}) calls `const agents = wireAgents(this)` after `registerHandlers(this)` and
 * `await agents.dispose()` first thing in `stop()`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import * as P from '../../protocol/sidecarProtocol';
import { truncate } from '../../protocol/limits';
import type { Client, ClientHub } from '../clients/clientHub';
import { fromJson } from './agentHome';
import { splitDottedKey } from './toml';
import type { FileLogger } from '../logger';
import type { EventBus } from '../events/eventBus';
import type { AppServerSupervisor } from '../runtime/appServerSupervisor';
import type { SessionService } from '../sessions/sessionService';
import type { StatePaths } from '../../sdk/stateDir';
import { AgentManager, type AgentDeps } from './agentManager';
import type { AttachHandle } from './agentRuntime';
import type { SessionBridge } from './sessionAgent';
import type { UpdatePolicy } from './updates';

/** How long session-agent operations wait for a starting Codex runtime. */
const RUNTIME_WAIT_MS = 30_000;

/** What the schema cannot say about `agents/create` (protocol/schemas.ts validated the rest). */
export function validateCreate(p: P.AgentsCreateParams): P.AgentsCreateParams {
  if (p.baseRef !== undefined && !p.worktree) throw new FleetError(ErrorCodes.InvalidParams, 'baseRef needs worktree');
  for (const [key, value] of Object.entries(p.configOverrides ?? {})) {
    try {
      splitDottedKey(key);
      fromJson(value);
    } catch (e) {
      throw new FleetError(ErrorCodes.InvalidParams, `configOverrides[${JSON.stringify(truncate(key))}]: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const out = { ...p };
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
    const r = await manager.send(p.name, p.text, { timeoutMs: p.timeoutMs, wait: p.wait !== false });
    return { delivered: r.delivered, queued: r.queued || undefined };
  });
  hub.onRequest(P.AgentsStop, async (p) => ({ agent: await manager.stop(p.name) }));
  hub.onRequest(P.AgentsStart, async (p) => ({ agent: await manager.start(p.name) }));
  hub.onRequest(P.AgentsDestroy, async (p) => {
    const name = p.name;
    for (const c of [...attachments.keys()]) detach(c, name);
    await manager.destroy(name, { keepWorktree: p.keepWorktree === true, deleteSessions: p.deleteSessions === true });
    return { removed: true as const };
  });
  hub.onRequest(P.AgentsAdopt, async (p) => ({ agent: await manager.adopt(p.sessionId, p.name, p.consent === true) }));
  hub.onRequest(P.AgentsTranscript, (p) => manager.transcript(p.name, { raw: p.raw === true, since: p.since }));
  hub.onRequest(P.AgentsAttach, (p, client) => {
    const name = p.name;
    detach(client, name);
    const handle = manager.attach(name, p.cols, p.rows, (data) => {
      void client.connection.sendNotification(P.AgentsOutput, { name, data }).catch(() => detach(client, name));
    });
    let mine = attachments.get(client);
    if (!mine) attachments.set(client, (mine = new Map()));
    mine.set(name, handle);
    return { screen: handle.screen };
  });
  hub.onRequest(P.AgentsDetach, (p, client) => {
    detach(client, p.name);
    return {};
  });
  hub.onNotification(P.AgentsInput, (p, client) => {
    if (attachments.get(client)?.has(p.name)) manager.input(p.name, p.data);
  });
  hub.onNotification(P.AgentsResize, (p) => manager.resize(p.name, p.cols, p.rows));
  hub.onDidDisconnect((client) => detach(client));
}

/** What the agents use of the sidecar. */
export interface AgentHost {
  readonly opts: { readonly env: NodeJS.ProcessEnv; readonly paths: Pick<StatePaths, 'workspace' | 'dir' | 'appServerSocket'> };
  readonly supervisor: Pick<AppServerSupervisor, 'whenReady' | 'codexChoice' | 'info'>;
  readonly sessions: Pick<SessionService, 'start' | 'send' | 'summary' | 'resume'>;
  readonly bus: Pick<EventBus, 'onEvent' | 'emit'>;
  readonly hub: ClientHub;
  readonly log: FileLogger;
  addBusyProbe(probe: () => number): void;
}

/** Session agents through the sidecar's own session layer. */
export function sidecarSessionBridge(s: AgentHost): SessionBridge {
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
export function wireAgents(s: AgentHost, overrides: Partial<AgentDeps> = {}): AgentManager {
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
