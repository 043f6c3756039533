/**
 * Binds every sidecar protocol request (protocol/sidecarProtocol.ts) to the service that answers it.
 * Params arrive validated (protocol/schemas.ts, checked by the hub): handlers only bind.
 */
import * as P from '../protocol/sidecarProtocol';
import type { FleetStatus } from '../protocol/types';
import type { AccountService } from './account/accountService';
import type { ClientHub } from './clients/clientHub';
import type { EventBus } from './events/eventBus';
import type { PendingRequests } from './requests/pendingRequests';
import type { AppServerSupervisor } from './runtime/appServerSupervisor';
import type { SessionService } from './sessions/sessionService';
import type { FleetStateStore } from './store/fleetState';

/** What the handlers use of the sidecar (the sidecar is one; tests may pass another). */
export interface HandlerHost {
  readonly hub: ClientHub;
  readonly sessions: SessionService;
  readonly pending: PendingRequests;
  readonly account: AccountService;
  readonly bus: EventBus;
  readonly supervisor: Pick<AppServerSupervisor, 'restart' | 'connection'>;
  readonly store: Pick<FleetStateStore, 'readAudit'>;
  readonly startedAt: number;
  status(): FleetStatus;
  /** A client asked the sidecar to stop (`fleet/stop`): stop, then end as the process's owner decides. */
  requestStop(by: string): void;
}

export function registerHandlers(s: HandlerHost): void {
  const { hub, sessions, pending, account, bus } = s;

  hub.onRequest(P.Initialize, (p, client) => {
    client.name = p.clientInfo.name || 'unknown';
    client.version = p.clientInfo.version;
    client.wantsLogs = p.initializationOptions?.logs === true;
    hub.identified(client);
    return { capabilities: {}, serverInfo: { name: 'codex-fleet-sidecar', version: s.status().sidecar.version }, status: s.status() };
  });

  // ---- sidecar ----
  hub.onRequest(P.FleetStatusRequest, () => s.status());
  hub.onRequest(P.FleetStop, (_p, client) => {
    setImmediate(() => s.requestStop(client.name));
    return { stopping: true as const };
  });
  hub.onRequest(P.RuntimeRestart, (p) => {
    void s.supervisor.restart(p.codexPath);
    return { restarting: true as const };
  });

  // ---- events ----
  hub.onRequest(P.EventsSubscribe, async (params, client) => {
    const p = params ?? {};
    const stream = hub.streamFor(client);
    stream.setFilter({ sessionIds: p.sessionIds ? new Set(p.sessionIds) : undefined, kinds: p.kinds ? new Set(p.kinds) : undefined });
    let replayed = 0;
    let gap = false;
    const replay = bus.replay(p.sinceSeq !== undefined && p.sinceSeq <= bus.lastSeq ? p.sinceSeq : p.sinceSeq === undefined ? bus.lastSeq : 0);
    if (p.sinceSeq !== undefined) {
      replayed = stream.replay(replay.events);
      // A seq beyond ours comes from an earlier sidecar: everything here is new to the client.
      gap = replay.gap || p.sinceSeq > bus.lastSeq;
    } else {
      stream.replay(replay.events); // marks the stream as caught up to now without sending
    }
    await stream.drained(); // replayed events go out before this result
    return { replayed, gap, oldestSeq: replay.oldestSeq, lastSeq: bus.lastSeq, sidecarStartedAt: s.startedAt };
  });
  hub.onRequest(P.EventsUnsubscribe, (_p, client) => {
    client.stream?.close();
    client.stream = undefined;
    return null;
  });

  // ---- sessions ----
  hub.onRequest(P.SessionsList, (p) => sessions.list(p ?? {}));
  hub.onRequest(P.SessionsStart, async (p) => ({ session: await sessions.start(p ?? {}) }));
  hub.onRequest(P.SessionsDefaults, (p) => ({ defaults: sessions.defaults(p.set) }));
  hub.onRequest(P.SessionsRead, async (p) => {
    const snapshot = await sessions.read(p.sessionId, p.includeItems ?? true);
    return { ...snapshot, lastSeq: bus.lastSeq }; // assembled synchronously after the last await: no event in between
  });
  hub.onRequest(P.SessionsResume, async (p) => ({ session: await sessions.resume(p.sessionId) }));
  hub.onRequest(P.SessionsFork, async (p) => ({ session: await sessions.fork(p.sessionId, p.lastTurnId, p.name) }));
  hub.onRequest(P.SessionsArchive, async (p) => ({ session: await sessions.archive(p.sessionId) }));
  hub.onRequest(P.SessionsUnarchive, async (p) => ({ session: await sessions.unarchive(p.sessionId) }));
  hub.onRequest(P.SessionsRename, async (p) => ({ session: await sessions.rename(p.sessionId, p.name) }));
  hub.onRequest(P.SessionsPin, async (p) => ({ session: await sessions.pin(p.sessionId, p.pinned === true) }));
  hub.onRequest(P.SessionsCompact, async (p) => {
    await sessions.compact(p.sessionId);
    return {};
  });
  hub.onRequest(P.SessionsInterrupt, async (p) => ({ turnId: await sessions.interrupt(p.sessionId) }));
  hub.onRequest(P.SessionsSend, (p, client) => sessions.send(p, client.name));
  hub.onRequest(P.SessionsSteer, async (p) => ({ turnId: await sessions.steer(p.sessionId, p) }));
  hub.onRequest(P.SessionsQueue, (p, client) => sessions.queue(p, client.name));
  hub.onRequest(P.SessionsQueueRemove, (p) => ({ queue: sessions.removeQueued(p.sessionId, p.queuedId) }));
  hub.onRequest(P.SessionsWaitTurn, async (p, client) => {
    const result = await sessions.waitTurn(p.sessionId, p.turnId, p.timeoutMs);
    await client.stream?.drained(); // the turn's events reach this client before the reply
    return result;
  });

  // ---- requests ----
  hub.onRequest(P.RequestsList, (p) => ({ data: pending.list(p.sessionId) }));
  hub.onRequest(P.RequestsAnswer, (p, client) => {
    pending.answer(p.requestId, p.answer, client.name);
    return { requestId: p.requestId };
  });
  hub.onRequest(P.RequestsAudit, (p) => ({ data: s.store.readAudit(p.limit ?? 100) }));

  // ---- account ----
  hub.onRequest(P.AccountRead, async () => {
    if (s.supervisor.connection) return account.refresh().catch(() => account.readiness());
    return account.readiness();
  });
  hub.onRequest(P.AccountLoginStart, (p, client) => account.login(p, client.name));
  hub.onRequest(P.AccountLoginCancel, async (p) => {
    await account.cancelLogin(p.loginId);
    return {};
  });
  hub.onRequest(P.AccountLogout, async (_p, client) => {
    await account.logout(client.name);
    return {};
  });
  hub.onRequest(P.AccountRateLimits, async () => ({ rateLimits: await account.readRateLimits() }));
}
