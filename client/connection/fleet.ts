/**
 * Every workspace folder's sidecar connection, in workspace order, with their stores and events
 * merged for the views, notifiers and commands. The Fleet itself lives as long as the extension;
 * the folder connections live in the Ctx's connection scope and are rebuilt by {@link Fleet.restart}.
 */
import * as vscode from 'vscode';
import type { AgentSummary, PendingRequest, SessionSummary, FleetEvent } from '../../protocol/types';
import type { Ctx } from '../ctx';
import type { RequestEnded, StoreChange } from '../state/fleetStore';
import { FolderConnection } from './folderConnection';
import type { ConnectInfo } from './sidecarClient';

export interface FolderEvent {
  folder: FolderConnection;
  event: FleetEvent;
}
export interface FolderChange {
  folder: FolderConnection;
  change: StoreChange;
}
export interface SessionRef {
  folder: FolderConnection;
  session: SessionSummary;
}
export interface AgentRef {
  folder: FolderConnection;
  agent: AgentSummary;
}
export interface AgentOutput {
  folder: FolderConnection;
  name: string;
  data: string;
}
export interface RequestRef {
  folder: FolderConnection;
  request: PendingRequest;
}

export class Fleet implements vscode.Disposable {
  private readonly folders = new Map<string, FolderConnection>();
  private readonly changeEmitter = new vscode.EventEmitter<FolderChange | undefined>();
  private readonly eventEmitter = new vscode.EventEmitter<FolderEvent>();
  private readonly addRequestEmitter = new vscode.EventEmitter<RequestRef>();
  private readonly endRequestEmitter = new vscode.EventEmitter<RequestEnded & { folder: FolderConnection }>();
  private readonly connectEmitter = new vscode.EventEmitter<{ folder: FolderConnection; info: ConnectInfo }>();
  private readonly agentOutputEmitter = new vscode.EventEmitter<AgentOutput>();
  /** A store changed (undefined: the set of folders changed). */
  readonly onDidChange = this.changeEmitter.event;
  readonly onEvent = this.eventEmitter.event;
  readonly onDidAddRequest = this.addRequestEmitter.event;
  readonly onDidEndRequest = this.endRequestEmitter.event;
  readonly onDidConnect = this.connectEmitter.event;
  /** Terminal output of attached agents, of every folder. */
  readonly onAgentOutput = this.agentOutputEmitter.event;
  private showArchivedValue = false;
  private started = false;

  constructor(private readonly ctx: Ctx) {
    ctx.ext.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.syncFolders()));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.syncFolders();
  }

  /** Drop every connection (the sidecars keep running unless stopped first) and connect again. */
  restart(): void {
    this.folders.clear();
    this.ctx.resetConnectionScope();
    this.changeEmitter.fire(undefined);
    this.syncFolders();
  }

  private syncFolders(): void {
    if (!this.started) return;
    const wanted = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file') ?? [];
    const keys = new Set(wanted.map((f) => f.uri.fsPath));
    for (const [key, conn] of this.folders) {
      if (!keys.has(key)) {
        this.folders.delete(key);
        this.ctx.connection.delete(conn);
      }
    }
    for (const folder of wanted) {
      if (this.folders.has(folder.uri.fsPath)) continue;
      this.folders.set(folder.uri.fsPath, this.open(folder));
    }
    this.changeEmitter.fire(undefined);
  }

  private open(folder: vscode.WorkspaceFolder): FolderConnection {
    const conn = this.ctx.connection.add(new FolderConnection(this.ctx, folder, () => this.multiRoot));
    const scope = conn.scope;
    scope.add(conn.store.onDidChange((change) => this.changeEmitter.fire({ folder: conn, change })));
    scope.add(conn.onEvent((event) => this.eventEmitter.fire({ folder: conn, event })));
    scope.add(conn.store.onDidAddRequest((request) => this.addRequestEmitter.fire({ folder: conn, request })));
    scope.add(conn.store.onDidEndRequest((ended) => this.endRequestEmitter.fire({ ...ended, folder: conn })));
    scope.add(conn.onDidConnect((info) => this.connectEmitter.fire({ folder: conn, info })));
    scope.add(conn.client.onAgentOutput((o) => this.agentOutputEmitter.fire({ folder: conn, name: o.name, data: o.data })));
    if (this.showArchivedValue) void conn.setShowArchived(true);
    conn.start();
    return conn;
  }

  /** Folders in workspace order. */
  list(): FolderConnection[] {
    const order = vscode.workspace.workspaceFolders ?? [];
    return [...this.folders.values()].sort((a, b) => order.indexOf(a.folder) - order.indexOf(b.folder));
  }

  get multiRoot(): boolean {
    return this.folders.size > 1;
  }

  get(key: string): FolderConnection | undefined {
    return this.folders.get(key);
  }

  /** The folder that owns a workspace URI or path, else the first folder. */
  folderFor(uriOrPath?: vscode.Uri | string): FolderConnection | undefined {
    if (uriOrPath !== undefined) {
      const uri = typeof uriOrPath === 'string' ? vscode.Uri.file(uriOrPath) : uriOrPath;
      const wf = vscode.workspace.getWorkspaceFolder(uri);
      if (wf) return this.folders.get(wf.uri.fsPath);
    }
    return this.list()[0];
  }

  sessions(): SessionRef[] {
    return this.list().flatMap((folder) => [...folder.store.sessions.values()].map((session) => ({ folder, session })));
  }

  findSession(id: string): SessionRef | undefined {
    for (const folder of this.list()) {
      const session = folder.store.sessions.get(id);
      if (session) return { folder, session };
    }
    return undefined;
  }

  /** Agents of every folder, in folder order then by name. */
  agents(): AgentRef[] {
    return this.list().flatMap((folder) => [...folder.store.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((agent) => ({ folder, agent })));
  }

  /** An agent by name (in `folderKey` when given, else the first folder that has one so named). */
  findAgent(name: string, folderKey?: string): AgentRef | undefined {
    for (const folder of folderKey ? [this.folders.get(folderKey)].filter((f) => f !== undefined) : this.list()) {
      const agent = folder.store.agents.get(name);
      if (agent) return { folder, agent };
    }
    return undefined;
  }

  /** Pending requests of every folder, newest first. */
  requests(): RequestRef[] {
    return this.list()
      .flatMap((folder) => [...folder.store.requests.values()].map((request) => ({ folder, request })))
      .sort((a, b) => b.request.createdAt - a.request.createdAt || (a.request.id < b.request.id ? 1 : -1));
  }

  findRequest(id: string): RequestRef | undefined {
    for (const folder of this.list()) {
      const request = folder.store.requests.get(id);
      if (request) return { folder, request };
    }
    return undefined;
  }

  get showArchived(): boolean {
    return this.showArchivedValue;
  }

  async setShowArchived(show: boolean): Promise<void> {
    this.showArchivedValue = show;
    await Promise.all(this.list().map((f) => f.setShowArchived(show)));
  }

  dispose(): void {
    this.folders.clear();
    this.changeEmitter.dispose();
    this.eventEmitter.dispose();
    this.addRequestEmitter.dispose();
    this.endRequestEmitter.dispose();
    this.connectEmitter.dispose();
    this.agentOutputEmitter.dispose();
  }
}
