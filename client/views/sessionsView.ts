/**
 * The Sessions view: sessions grouped by what they need (Needs you, Running, Idle, Archived behind a
 * toggle), one level of folders first when the workspace has several. Reads the stores only; an
 * empty tree lets the welcome views (contributes.viewsWelcome) say what to do.
 */
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { FolderNode, folderChildren } from './nodes/folderNode';
import type { ViewNode } from './nodes/viewNode';
import { FleetTreeView } from './fleetTreeView';

export const SESSIONS_VIEW_ID = 'codexFleet.sessions';
const REFRESH_DEBOUNCE_MS = 50;
const CLOCK_REFRESH_MS = 60_000;

export class SessionsView extends FleetTreeView {
  private readonly clock: NodeJS.Timeout;

  constructor(fleet: Fleet) {
    super(fleet, SESSIONS_VIEW_ID, (c) => Boolean(c.sessions || c.requests || c.connection), REFRESH_DEBOUNCE_MS, { showCollapseAll: true });
    // Relative times ("5 min ago") age while nothing changes.
    this.clock = setInterval(() => {
      if (this.treeView.visible) this.refreshSoon();
    }, CLOCK_REFRESH_MS);
  }

  static register(ctx: Ctx, fleet: Fleet): SessionsView {
    return ctx.ext.add(new SessionsView(fleet));
  }

  protected updateHeader(): void {
    const running = this.fleet.list().reduce((n, f) => n + f.store.runningCount(), 0);
    this.treeView.description = running > 0 ? `${running} running` : undefined;
  }

  protected rootChildren(): ViewNode[] {
    const folders = this.fleet.list();
    if (folders.length > 1) return folders.map((f) => new FolderNode(f, this.fleet.showArchived));
    if (folders.length === 0) return [];
    // Single folder: no folder row; an empty tree shows the welcome view for the current state.
    return folderChildren(folders[0], this.fleet.showArchived, false);
  }

  override dispose(): void {
    clearInterval(this.clock);
    super.dispose();
  }
}
