/**
 * The Agents view: every terminal agent with its state (RUNNING spins; WAITING says why), kind and
 * branch; one level of folders first when the workspace has several. Reads the stores only; an
 * empty tree lets the welcome view offer "Create an agent".
 */
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { AgentFolderNode, agentChildren } from './nodes/agentFolderNode';
import type { ViewNode } from './nodes/viewNode';
import { FleetTreeView } from './fleetTreeView';

export const AGENTS_VIEW_ID = 'codexFleet.agents';
const REFRESH_DEBOUNCE_MS = 50;

export class AgentsView extends FleetTreeView {
  constructor(fleet: Fleet) {
    super(fleet, AGENTS_VIEW_ID, (c) => Boolean(c.agents || c.connection), REFRESH_DEBOUNCE_MS);
  }

  static register(ctx: Ctx, fleet: Fleet): AgentsView {
    return ctx.ext.add(new AgentsView(fleet));
  }

  protected updateHeader(): void {
    const running = this.fleet.agents().filter((r) => r.agent.state === 'RUNNING').length;
    this.treeView.description = running > 0 ? `${running} running` : undefined;
  }

  protected rootChildren(): ViewNode[] {
    const folders = this.fleet.list();
    if (folders.length > 1) return folders.map((f) => new AgentFolderNode(f));
    if (folders.length === 0) return [];
    return agentChildren(folders[0], false);
  }
}
