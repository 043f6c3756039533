/**
 * Every `codexFleet.*` context key, set in this one place from the fleet's state, so `when`
 * clauses (menus, palette, welcome views) show commands only when they can work.
 */
import * as vscode from 'vscode';
import type { Fleet } from './connection/fleet';
import type { Ctx } from './ctx';

export const ContextKeys = {
  /** 'none' (no folder) | 'connecting' | 'connected' | 'failed' */
  state: 'codexFleet.state',
  hasSessions: 'codexFleet.hasSessions',
  hasRunningSessions: 'codexFleet.hasRunningSessions',
  hasPendingRequests: 'codexFleet.hasPendingRequests',
  showArchived: 'codexFleet.showArchived',
  needsSignIn: 'codexFleet.needsSignIn',
  signedIn: 'codexFleet.signedIn',
  codexMissing: 'codexFleet.codexMissing',
  runtimeFailed: 'codexFleet.runtimeFailed',
  multiRoot: 'codexFleet.multiRoot',
  hasAgents: 'codexFleet.hasAgents',
  hasLiveAgents: 'codexFleet.hasLiveAgents',
} as const;

type Values = Record<(typeof ContextKeys)[keyof typeof ContextKeys], string | boolean>;

export class ContextKeyController implements vscode.Disposable {
  private readonly sent = new Map<string, string | boolean>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly fleet: Fleet) {
    this.subs.push(fleet.onDidChange(() => this.schedule()));
    this.update();
  }

  static register(ctx: Ctx, fleet: Fleet): ContextKeyController {
    return ctx.ext.add(new ContextKeyController(fleet));
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 30);
  }

  /** Compute every key now. */
  update(): void {
    for (const [key, value] of Object.entries(this.compute())) {
      if (this.sent.get(key) === value) continue;
      this.sent.set(key, value);
      void vscode.commands.executeCommand('setContext', key, value);
    }
  }

  private compute(): Values {
    const folders = this.fleet.list();
    const states = folders.map((f) => f.store.connection);
    const state =
      folders.length === 0
        ? 'none'
        : states.includes('connected')
          ? 'connected'
          : states.every((s) => s === 'failed' || s === 'stopped')
            ? 'failed'
            : 'connecting';
    const connected = folders.filter((f) => f.store.connection === 'connected');
    const sessions = this.fleet.sessions().filter((r) => this.fleet.showArchived || !r.session.archived);
    return {
      [ContextKeys.state]: state,
      [ContextKeys.hasSessions]: sessions.length > 0,
      [ContextKeys.hasRunningSessions]: sessions.some((r) => !r.session.archived && (r.session.activity === 'running' || !!r.session.activeTurnId)),
      [ContextKeys.hasPendingRequests]: folders.some((f) => f.store.requests.size > 0),
      [ContextKeys.showArchived]: this.fleet.showArchived,
      [ContextKeys.needsSignIn]: connected.some((f) => f.store.needsSignIn()),
      [ContextKeys.signedIn]: connected.some((f) => !!f.store.auth && !f.store.needsSignIn() && f.store.auth.account?.type !== undefined && f.store.auth.account.type !== 'none'),
      [ContextKeys.codexMissing]: connected.some((f) => f.store.codexMissing()),
      [ContextKeys.runtimeFailed]: connected.some((f) => f.store.runtime?.state === 'failed'),
      [ContextKeys.multiRoot]: folders.length > 1,
      [ContextKeys.hasAgents]: folders.some((f) => f.store.agents.size > 0),
      [ContextKeys.hasLiveAgents]: folders.some((f) => [...f.store.agents.values()].some((a) => a.state === 'RUNNING' || a.state === 'WAITING')),
    } as Values;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
