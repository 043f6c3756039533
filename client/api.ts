/**
 * The API `activate` returns to other extensions (types in `apiTypes.ts`, a file they can copy).
 * Thin over the fleet: sessions, start, send, events, requests. Compile-time checks below keep the
 * protocol's types assignable to the published shapes.
 */
import { ErrorCodes, FleetError } from '../protocol/errors';
import { RequestsAnswer, RequestsList, SessionsList, SessionsSend, SessionsStart } from '../protocol/sidecarProtocol';
import { eventSessionId, type FleetEvent, type PendingRequest, type RequestAnswer, type SessionSummary } from '../protocol/types';
import type { CodexFleetApi, FleetApiEvent, FleetEventFilter, FleetPendingRequest, FleetRequestAnswer, FleetSession } from './apiTypes';
import type { Fleet } from './connection/fleet';
import type { FolderConnection } from './connection/folderConnection';
import { compareSessions } from './state/sessionGroups';

type Assignable<T extends U, U> = T;
// If one of these stops compiling, the published API drifted from the protocol: bump or adapt.
export type ApiChecks = [
  Assignable<SessionSummary, FleetSession>,
  Assignable<PendingRequest, FleetPendingRequest>,
  Assignable<FleetRequestAnswer, RequestAnswer>,
  Assignable<FleetEvent & { folder: string }, FleetApiEvent>,
];

function toApiEvent(folder: FolderConnection, e: FleetEvent): FleetApiEvent {
  return { ...e, folder: folder.key };
}

function matches(filter: FleetEventFilter, e: FleetEvent): boolean {
  if (filter.kinds && !filter.kinds.includes(e.kind)) return false;
  if (filter.sessionIds) {
    const id = eventSessionId(e);
    if (id !== undefined && !filter.sessionIds.includes(id)) return false;
  }
  return true;
}

export function createApi(fleet: Fleet): CodexFleetApi {
  const folderOf = (path?: string): FolderConnection => {
    const f = path ? (fleet.get(path) ?? fleet.folderFor(path)) : fleet.list()[0];
    if (!f) throw new FleetError(ErrorCodes.InvalidParams, path ? `no workspace folder ${path}` : 'no workspace folder is open');
    return f;
  };
  const owner = async (sessionId: string): Promise<FolderConnection> => {
    const known = fleet.findSession(sessionId);
    if (known) return known.folder;
    if (fleet.list().length === 1) return fleet.list()[0];
    throw new FleetError(ErrorCodes.SessionNotFound, `no session ${sessionId} in any workspace folder`);
  };
  const subscribe = (filter: FleetEventFilter, listener: (e: FleetApiEvent) => void) =>
    fleet.onEvent(({ folder, event }) => {
      if (matches(filter, event)) listener(toApiEvent(folder, event));
    });

  return {
    version: 1,
    async listSessions(options = {}) {
      const folders = options.folder ? [folderOf(options.folder)] : fleet.list();
      const out: SessionSummary[] = [];
      for (const f of folders) {
        let cursor: string | undefined;
        do {
          const page = await f.client.request(SessionsList, { archived: options.archived ?? false, cursor, limit: 200 });
          out.push(...page.data);
          cursor = page.nextCursor;
        } while (cursor);
      }
      return out.sort(compareSessions);
    },
    async startSession(options = {}) {
      const { folder: path, text, ...params } = options;
      const folder = folderOf(path);
      const { session } = await folder.client.request(SessionsStart, { cwd: folder.folder.uri.fsPath, ...params });
      if (text) await folder.client.request(SessionsSend, { sessionId: session.id, text });
      return session;
    },
    async send(sessionId, text, options = {}) {
      const folder = await owner(sessionId);
      const r = await folder.client.request(SessionsSend, { sessionId, text, images: options.images, controls: options.controls, whileRunning: options.whileRunning ?? 'queue' });
      return { delivery: r.delivery, turnId: r.turnId };
    },
    async listRequests(options = {}) {
      const all: PendingRequest[] = [];
      for (const f of fleet.list()) all.push(...(await f.client.request(RequestsList, { sessionId: options.sessionId })).data);
      return all.sort((a, b) => b.createdAt - a.createdAt);
    },
    async answerRequest(requestId, answer) {
      const ref = fleet.findRequest(requestId);
      const folders = ref ? [ref.folder] : fleet.list();
      let last: unknown;
      for (const f of folders) {
        try {
          await f.client.request(RequestsAnswer, { requestId, answer });
          return;
        } catch (e) {
          last = e;
          if (!FleetError.is(e, ErrorCodes.RequestNotFound)) throw e;
        }
      }
      throw last ?? new FleetError(ErrorCodes.RequestNotFound, `no pending request ${requestId}`);
    },
    onEvent: (listener) => subscribe({}, listener),
    subscribe,
  };
}
