/** Terminal agents in VS Code: the Agents view, agent terminals, transcript documents, changes. */
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { AgentsView } from '../views/agentsView';
import { AgentChanges } from './agentChanges';
import { AgentTerminals } from './agentTerminal';
import { AgentTranscriptDocs } from './agentTranscriptDocs';

export interface AgentServices {
  view: AgentsView;
  terminals: AgentTerminals;
  transcripts: AgentTranscriptDocs;
  changes: AgentChanges;
}

export function registerAgents(ctx: Ctx, fleet: Fleet): AgentServices {
  return {
    view: AgentsView.register(ctx, fleet),
    terminals: ctx.ext.add(new AgentTerminals(fleet, ctx.log)),
    transcripts: ctx.ext.add(new AgentTranscriptDocs(fleet)),
    changes: ctx.ext.add(new AgentChanges()),
  };
}
