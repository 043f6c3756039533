/**
 * Binds every sidecar protocol request (protocol/sidecarProtocol.ts) to the service that answers it.
 * Params are validated here at the edge: anything a client can send gets a clear error.
 */
import { ErrorCodes, FleetError } from '../protocol/errors';
import * as P from '../protocol/sidecarProtocol';
import { FLEET_EVENT_KINDS, type FleetEventKind } from '../protocol/types';
import type { Sidecar } from './sidecar';

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value) throw new FleetError(ErrorCodes.InvalidParams, `${field} is required`);
  return value;
}

function requireObject<T>(params: T | undefined | null, method: string): T {
  if (!params || typeof params !== 'object') throw new FleetError(ErrorCodes.InvalidParams, `${method} needs params`);
  return params;
}

export function registerHandlers(s: Sidecar): void {
  const { hub, sessions, pending, account, bus } = s;

  hub.onRequest(P.Initialize, (params, client) => {
    const p = requireObject(params, 'initialize');
    client.name = typeof p.clientInfo?.name === 'string' ? p.clientInfo.name : 'unknown';
    client.version = typeof p.clientInfo?.version === 'string' ? p.clientInfo.version : undefined;
    client.wantsLogs = p.initializationOptions?.logs === true;
    hub.identified(client);
    return { capabilities: {}, serverInfo: { name: 'codex-fleet-sidecar', version: s.status().sidecar.version }, status: s.status() };
  });

  // ---- sidecar ----
  hub.onRequest(P.FleetStatusRequest, () => s.status());
  hub.onRequest(P.FleetStop, (_p, client) => {
    setImmediate(() => void s.stop({ reason: 'requested', by: client.name }).then(() => process.exit(0)));
    return { stopping: true as const };
  });
  hub.onRequest(P.RuntimeRestart, (p) => {
    void s.supervisor.restart(p?.codexPath);
    return { restarting: true as const };
  });

  // ---- events ----
  hub.onRequest(P.EventsSubscribe, async (params, client) => {
    const p = params ?? {};
    if (p.kinds) {
      const bad = p.kinds.filter((k) => !FLEET_EVENT_KINDS.includes(k as FleetEventKind));
      if (bad.length) throw new FleetError(ErrorCodes.InvalidParams, `unknown event kind ${bad.join(', ')}; kinds: ${FLEET_EVENT_KINDS.join(', ')}`);
    }
    if (p.sinceSeq !== undefined && (typeof p.sinceSeq !== 'number' || p.sinceSeq < 0)) throw new FleetError(ErrorCodes.InvalidParams, 'sinceSeq must be a number ≥ 0');
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
  hub.onRequest(P.SessionsDefaults, (p) => ({ defaults: sessions.defaults(p?.set) }));
  hub.onRequest(P.SessionsRead, async (p) => {
    const snapshot = await sessions.read(requireString(p?.sessionId, 'sessionId'), p.includeItems ?? true);
    return { ...snapshot, lastSeq: bus.lastSeq }; // assembled synchronously after the last await: no event in between
  });
  hub.onRequest(P.SessionsResume, async (p) => ({ session: await sessions.resume(requireString(p?.sessionId, 'sessionId')) }));
  hub.onRequest(P.SessionsFork, async (p) => ({ session: await sessions.fork(requireString(p?.sessionId, 'sessionId'), p.lastTurnId, p.name) }));
  hub.onRequest(P.SessionsArchive, async (p) => ({ session: await sessions.archive(requireString(p?.sessionId, 'sessionId')) }));
  hub.onRequest(P.SessionsUnarchive, async (p) => ({ session: await sessions.unarchive(requireString(p?.sessionId, 'sessionId')) }));
  hub.onRequest(P.SessionsRename, async (p) => ({ session: await sessions.rename(requireString(p?.sessionId, 'sessionId'), requireString(p.name, 'name')) }));
  hub.onRequest(P.SessionsPin, async (p) => ({ session: await sessions.pin(requireString(p?.sessionId, 'sessionId'), p.pinned === true) }));
  hub.onRequest(P.SessionsCompact, async (p) => {
    await sessions.compact(requireString(p?.sessionId, 'sessionId'));
    return {};
  });
  hub.onRequest(P.SessionsInterrupt, async (p) => ({ turnId: await sessions.interrupt(requireString(p?.sessionId, 'sessionId')) }));
  hub.onRequest(P.SessionsSend, (p, client) => {
    requireString(p?.sessionId, 'sessionId');
    return sessions.send(p, client.name);
  });
  hub.onRequest(P.SessionsSteer, async (p) => ({ turnId: await sessions.steer(requireString(p?.sessionId, 'sessionId'), p) }));
  hub.onRequest(P.SessionsQueue, (p, client) => {
    requireString(p?.sessionId, 'sessionId');
    return sessions.queue(p, client.name);
  });
  hub.onRequest(P.SessionsQueueRemove, (p) => ({ queue: sessions.removeQueued(requireString(p?.sessionId, 'sessionId'), requireString(p.queuedId, 'queuedId')) }));
  hub.onRequest(P.SessionsWaitTurn, async (p, client) => {
    const result = await sessions.waitTurn(requireString(p?.sessionId, 'sessionId'), requireString(p.turnId, 'turnId'), p.timeoutMs);
    await client.stream?.drained(); // the turn's events reach this client before the reply
    return result;
  });

  // ---- requests ----
  hub.onRequest(P.RequestsList, (p) => ({ data: pending.list(p?.sessionId) }));
  hub.onRequest(P.RequestsAnswer, (p, client) => {
    const id = requireString(p?.requestId, 'requestId');
    if (!p.answer || typeof p.answer !== 'object') throw new FleetError(ErrorCodes.InvalidParams, 'answer is required');
    pending.answer(id, p.answer, client.name);
    return { requestId: id };
  });
  hub.onRequest(P.RequestsAudit, (p) => ({ data: s.store.readAudit(p?.limit ?? 100) }));

  // ---- account ----
  hub.onRequest(P.AccountRead, async () => {
    if (s.supervisor.connection) return account.refresh().catch(() => account.readiness());
    return account.readiness();
  });
  hub.onRequest(P.AccountLoginStart, (p, client) => account.login(requireObject(p, 'account/login/start'), client.name));
  hub.onRequest(P.AccountLoginCancel, async (p) => {
    await account.cancelLogin(requireString(p?.loginId, 'loginId'));
    return {};
  });
  hub.onRequest(P.AccountLogout, async (_p, client) => {
    await account.logout(client.name);
    return {};
  });
  hub.onRequest(P.AccountRateLimits, async () => ({ rateLimits: await account.readRateLimits() }));
}
