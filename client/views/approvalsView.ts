/**
 * The Approvals view: every pending request of every kind and folder, newest first, with inline
 * Accept / Decline and a details action. The view's badge counts them.
 */
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { RequestNode } from './nodes/requestNode';
import type { ViewNode } from './nodes/viewNode';
import { FleetTreeView } from './fleetTreeView';

export const APPROVALS_VIEW_ID = 'codexFleet.approvals';

export class ApprovalsView extends FleetTreeView {
  constructor(fleet: Fleet) {
    super(fleet, APPROVALS_VIEW_ID, (c) => Boolean(c.requests || c.sessions) /* session names appear in the rows */, 30);
    this.updateHeader();
  }

  static register(ctx: Ctx, fleet: Fleet): ApprovalsView {
    return ctx.ext.add(new ApprovalsView(fleet));
  }

  protected updateHeader(): void {
    const n = this.fleet.requests().length;
    this.treeView.badge = n > 0 ? { value: n, tooltip: `${n} request${n === 1 ? '' : 's'} waiting for you` } : undefined;
  }

  protected rootChildren(): ViewNode[] {
    const multi = this.fleet.multiRoot;
    return this.fleet.requests().map(({ folder, request }) => new RequestNode(folder, request, multi));
  }
}
