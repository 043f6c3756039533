/**
 * The status bar item: pending requests (click → Approvals view), running sessions, rate-limit
 * usage; its tooltip has token usage and limits. Text and tooltip come from `statusText.ts`.
 */
import * as vscode from 'vscode';
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { sessionLabel } from '../state/sessionGroups';
import { statusBarView, type StatusSummary } from './statusText';

const CONNECTION_RANK: Record<StatusSummary['connection'], number> = { connected: 0, none: 0, connecting: 1, reconnecting: 2, failed: 3 };
const RUNTIME_RANK = { ready: 0, stopped: 1, starting: 2, restarting: 3, failed: 4 } as const;

export function summarize(fleet: Fleet): StatusSummary {
  const folders = fleet.list();
  if (folders.length === 0) return { connection: 'none', pending: 0, running: 0, needsSignIn: false };
  let connection: StatusSummary['connection'] = 'connected';
  let runtime: StatusSummary['runtime'];
  let pending = 0;
  let running = 0;
  let needsSignIn = false;
  let rateLimits: StatusSummary['rateLimits'];
  let usage: StatusSummary['usage'];
  let usageAt = 0;
  const codex = new Map<string, NonNullable<StatusSummary['codex']>[number]>();
  for (const f of folders) {
    const s = f.store;
    const conn = s.connection === 'stopped' ? 'failed' : s.connection;
    if (CONNECTION_RANK[conn] > CONNECTION_RANK[connection]) connection = conn;
    if (s.connection !== 'connected') continue;
    if (s.runtime && (!runtime || RUNTIME_RANK[s.runtime.state] > RUNTIME_RANK[runtime])) runtime = s.runtime.state;
    if (s.runtime?.codexPath) {
      const { codexVersion, codexSource, codexPath, codexInRange, codexTestedRange, codexWarning } = s.runtime;
      codex.set(`${codexPath}|${codexVersion}|${codexWarning}`, { codexVersion, codexSource, codexPath, codexInRange, codexTestedRange, codexWarning });
    }
    pending += s.requests.size;
    running += s.runningCount();
    needsSignIn ||= s.needsSignIn();
    rateLimits ??= s.rateLimits;
    for (const [id, u] of s.usage) {
      const session = s.sessions.get(id);
      const at = session?.updatedAt ?? 0;
      if (!usage || at > usageAt) {
        usage = { sessionLabel: session ? sessionLabel(session) : id.slice(0, 8), usage: u };
        usageAt = at;
      }
    }
  }
  return { connection, runtime, pending, running, needsSignIn, rateLimits, usage, codex: codex.size ? [...codex.values()] : undefined };
}

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: Ctx,
    private readonly fleet: Fleet,
  ) {
    this.item = vscode.window.createStatusBarItem('codexFleet.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Codex Fleet';
    this.subs.push(
      fleet.onDidChange(() => this.schedule()),
      ctx.config.onDidChange((c) => c.affects('statusBar') && this.update()),
    );
    this.update();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 50);
  }

  update(): void {
    if (!this.ctx.config.current.statusBar.enabled) {
      this.item.hide();
      return;
    }
    const view = statusBarView(summarize(this.fleet));
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = view.background ? new vscode.ThemeColor(view.background) : undefined;
    this.item.command = view.command;
    this.item.accessibilityInformation = { label: view.label };
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
