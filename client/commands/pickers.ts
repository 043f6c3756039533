/**
 * Turning a command's argument into a session, request or folder: a tree node, an id (from the API,
 * keybindings or tests), or nothing — then a QuickPick over what fits the command.
 */
import * as vscode from 'vscode';
import { SessionsList } from '../../protocol/sidecarProtocol';
import type { AgentSummary, PendingRequest, SessionSummary } from '../../protocol/types';
import { agentStateText } from '../agents/agentText';
import type { AgentRef, Fleet, RequestRef, SessionRef } from '../connection/fleet';
import type { FolderConnection } from '../connection/folderConnection';
import { requestTitle } from '../approvals/requestText';
import { activityText, compareSessions, sessionLabel } from '../state/sessionGroups';
import { relativeTime } from '../util/time';
import { AgentNode } from '../views/nodes/agentNode';
import { SessionNode } from '../views/nodes/sessionNode';
import { RequestNode } from '../views/nodes/requestNode';

/** What session commands accept: a tree node, a session id, `{ sessionId }`, or nothing. */
export type SessionArg = SessionNode | string | { sessionId: string } | undefined;
export type RequestArg = RequestNode | string | { requestId: string } | undefined;

interface SessionPickItem extends vscode.QuickPickItem {
  ref: SessionRef;
}

export interface SessionPickOptions {
  title: string;
  filter?: (s: SessionSummary, folder: FolderConnection) => boolean;
  /** Include archived sessions (fetched from the sidecars). */
  archived?: boolean;
  /** Said when nothing fits. */
  emptyMessage?: string;
}

function sessionIdOf(arg: SessionArg): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof SessionNode) return arg.session.id;
  if (arg && typeof arg === 'object' && typeof arg.sessionId === 'string') return arg.sessionId;
  return undefined;
}

/** The session the command is about, or undefined when the user cancelled or none fits. */
export async function resolveSession(fleet: Fleet, arg: SessionArg, opts: SessionPickOptions): Promise<SessionRef | undefined> {
  if (arg instanceof SessionNode) return fleet.findSession(arg.session.id) ?? { folder: arg.folder, session: arg.session };
  const id = sessionIdOf(arg);
  if (id) {
    const ref = fleet.findSession(id) ?? (await findArchived(fleet, id));
    if (!ref) void vscode.window.showWarningMessage(`Codex Fleet: no session ${id}`);
    return ref;
  }
  return pickSession(fleet, opts);
}

async function findArchived(fleet: Fleet, id: string): Promise<SessionRef | undefined> {
  for (const ref of await archivedSessions(fleet)) if (ref.session.id === id) return ref;
  return undefined;
}

async function archivedSessions(fleet: Fleet): Promise<SessionRef[]> {
  const out: SessionRef[] = [];
  for (const folder of fleet.list()) {
    if (folder.client.state !== 'connected') continue;
    const page = await folder.client.request(SessionsList, { archived: true, limit: 200 });
    for (const session of page.data) out.push({ folder, session });
  }
  return out;
}

export async function pickSession(fleet: Fleet, opts: SessionPickOptions): Promise<SessionRef | undefined> {
  const refs = opts.archived ? await archivedSessions(fleet) : fleet.sessions().filter((r) => !r.session.archived);
  const fitting = refs.filter((r) => !opts.filter || opts.filter(r.session, r.folder)).sort((a, b) => compareSessions(a.session, b.session));
  if (fitting.length === 0) {
    void vscode.window.showInformationMessage(opts.emptyMessage ?? 'Codex Fleet: no session fits.');
    return undefined;
  }
  const multi = fleet.multiRoot;
  const items: SessionPickItem[] = fitting.map((ref) => {
    const pending = ref.folder.store.sessionsWithPending().has(ref.session.id);
    return {
      label: sessionLabel(ref.session),
      description: [activityText(ref.session, pending), relativeTime(ref.session.updatedAt), multi ? ref.folder.folder.name : ''].filter(Boolean).join(' · '),
      detail: ref.session.name && ref.session.preview ? ref.session.preview.slice(0, 120) : undefined,
      ref,
    };
  });
  const picked = await vscode.window.showQuickPick(items, { title: opts.title, placeHolder: 'Pick a session', matchOnDescription: true, matchOnDetail: true });
  return picked?.ref;
}

function requestIdOf(arg: RequestArg): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof RequestNode) return arg.request.id;
  if (arg && typeof arg === 'object' && typeof arg.requestId === 'string') return arg.requestId;
  return undefined;
}

/**
 * The pending request the command is about. A node or id that is no longer pending yields
 * `{ gone }` so the caller can say so quietly.
 */
export async function resolveRequest(
  fleet: Fleet,
  arg: RequestArg,
  title: string,
  filter?: (r: PendingRequest) => boolean,
): Promise<RequestRef | { gone: PendingRequest | string } | undefined> {
  const id = requestIdOf(arg);
  if (id) return fleet.findRequest(id) ?? { gone: arg instanceof RequestNode ? arg.request : id };
  const refs = fleet.requests().filter((r) => !filter || filter(r.request));
  if (refs.length === 0) {
    void vscode.window.showInformationMessage('Codex Fleet: nothing is waiting for you.');
    return undefined;
  }
  const items = refs.map((ref) => {
    const s = ref.folder.store.sessions.get(ref.request.sessionId);
    return {
      label: requestTitle(ref.request),
      description: [s ? sessionLabel(s) : ref.request.sessionId.slice(0, 8), relativeTime(ref.request.createdAt)].join(' · '),
      ref,
    };
  });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a request', matchOnDescription: true });
  return picked?.ref;
}

/** The workspace folder to act in: the argument's, the only one, or picked. */
export async function resolveFolder(fleet: Fleet, arg?: unknown): Promise<FolderConnection | undefined> {
  if (typeof arg === 'string') {
    const f = fleet.get(arg) ?? fleet.folderFor(arg);
    if (f) return f;
  }
  if (arg instanceof vscode.Uri) return fleet.folderFor(arg);
  const folders = fleet.list();
  if (folders.length <= 1) {
    if (folders.length === 0) void vscode.window.showInformationMessage('Codex Fleet needs a workspace folder: open a folder first.');
    return folders[0];
  }
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: f.folder.name, description: f.folder.uri.fsPath, f })),
    { title: 'Codex Fleet: pick a workspace folder', placeHolder: 'Workspace folder' },
  );
  return picked?.f;
}

/** What agent commands accept: a tree node, a name, `{ name, folder? }`, or nothing. */
export type AgentArg = AgentNode | string | { name: string; folder?: string } | undefined;

/** The agent the command is about, or undefined when the user cancelled or none fits. */
export async function resolveAgent(
  fleet: Fleet,
  arg: AgentArg,
  opts: { title: string; filter?: (a: AgentSummary) => boolean; emptyMessage?: string },
): Promise<AgentRef | undefined> {
  if (arg instanceof AgentNode) return fleet.findAgent(arg.agent.name, arg.folder.key) ?? { folder: arg.folder, agent: arg.agent };
  const name = typeof arg === 'string' ? arg : arg && typeof arg === 'object' && typeof arg.name === 'string' ? arg.name : undefined;
  if (name) {
    const ref = fleet.findAgent(name, typeof arg === 'object' ? arg.folder : undefined);
    if (!ref) void vscode.window.showWarningMessage(`Codex Fleet: no agent named ${name}`);
    return ref;
  }
  const refs = fleet.agents().filter((r) => !opts.filter || opts.filter(r.agent));
  if (refs.length === 0) {
    void vscode.window.showInformationMessage(opts.emptyMessage ?? 'Codex Fleet: no agent fits.');
    return undefined;
  }
  const multi = fleet.multiRoot;
  const items = refs.map((ref) => ({
    label: ref.agent.name,
    description: [agentStateText(ref.agent), ref.agent.kind, ref.agent.branch ?? '', multi ? ref.folder.folder.name : ''].filter(Boolean).join(' · '),
    ref,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: opts.title, placeHolder: 'Pick an agent', matchOnDescription: true });
  return picked?.ref;
}
