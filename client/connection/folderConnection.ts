/**
 * One workspace folder: its sidecar connection (connection lifetime) and its store (kept across
 * reconnects so the views do not flicker). Feeds events into the store and re-reads snapshots on
 * every (re)connect — replayed events and snapshots agree, so this is safe and catches gaps.
 */
import * as vscode from 'vscode';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { AgentsList, FleetStatusRequest, RequestsList, SessionsList } from '../../protocol/sidecarProtocol';
import type { FleetEvent, SessionSummary } from '../../protocol/types';
import type { Ctx } from '../ctx';
import { FleetStore } from '../state/fleetStore';
import { DisposableStore, Emitter } from '../util/emitter';
import { SidecarClient, type ConnectInfo } from './sidecarClient';

const PAGE = 200;
const MAX_SESSIONS = 2000;

export class FolderConnection implements vscode.Disposable {
  readonly store: FleetStore;
  readonly client: SidecarClient;
  /** Disposed with this connection. */
  readonly scope = new DisposableStore();
  private readonly eventEmitter = new Emitter<FleetEvent>();
  private readonly connectEmitter = new Emitter<ConnectInfo>();
  /** Every event from the sidecar, after the store applied it. */
  readonly onEvent = this.eventEmitter.event;
  /** After a (re)connect and the snapshot refresh that follows it. */
  readonly onDidConnect = this.connectEmitter.event;
  private showArchived = false;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly ctx: Ctx,
    readonly folder: vscode.WorkspaceFolder,
    private readonly multiRoot: () => boolean,
  ) {
    this.store = new FleetStore(folder.uri.fsPath, folder.name);
    this.client = new SidecarClient(ctx, folder);
    this.scope.add(this.client);
    this.scope.add(this.client.onEvent((e) => this.onSidecarEvent(e)));
    this.scope.add(this.client.onLog((m) => ctx.log.fromSidecar(m, this.multiRoot() ? folder.name : undefined)));
    this.scope.add(this.client.onDidChangeState((s) => this.store.setConnection(s, this.client.lastError)));
    this.scope.add(
      this.client.onDidConnect((info) => {
        this.store.setStatus(info.status);
        void this.refresh().then(() => this.connectEmitter.fire(info));
      }),
    );
  }

  get key(): string {
    return this.folder.uri.fsPath;
  }

  start(): void {
    this.client.start();
  }

  private onSidecarEvent(e: FleetEvent): void {
    this.store.applyEvent(e);
    this.eventEmitter.fire(e);
  }

  /** Re-read sessions, requests, status and agents (one refresh at a time). */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    try {
      const status = await this.client.request(FleetStatusRequest);
      this.store.setStatus(status);
      this.store.setSessions(await this.listSessions(false), false);
      if (this.showArchived) this.store.setSessions(await this.listSessions(true), true);
      this.store.setRequests((await this.client.request(RequestsList, {})).data);
      try {
        this.store.setAgents((await this.client.request(AgentsList)).data);
      } catch (e) {
        // Agents arrive with a later sidecar; an older one simply has none.
        if (!FleetError.is(e, ErrorCodes.MethodNotFound)) throw e;
      }
    } catch (e) {
      this.ctx.log.error(`${this.folder.name}: could not read the sidecar's state`, e);
    }
  }

  private async listSessions(archived: boolean): Promise<SessionSummary[]> {
    const all: SessionSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.request(SessionsList, { archived, cursor, limit: PAGE });
      all.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor && all.length < MAX_SESSIONS);
    return all;
  }

  /** Show or hide archived sessions (loaded on demand). */
  async setShowArchived(show: boolean): Promise<void> {
    this.showArchived = show;
    if (!show) {
      this.store.dropArchived();
      return;
    }
    if (this.client.state !== 'connected') return;
    try {
      this.store.setSessions(await this.listSessions(true), true);
    } catch (e) {
      this.ctx.log.error(`${this.folder.name}: could not list archived sessions`, e);
    }
  }

  dispose(): void {
    this.scope.dispose();
    this.eventEmitter.dispose();
    this.connectEmitter.dispose();
    this.store.dispose();
  }
}
