/** Registers every `codexFleet.*` command (extension lifetime). */
import { registerAgentCommands } from './agentCommands';
import { registerFleetCommands } from './fleetCommands';
import { registerRequestCommands } from './requestCommands';
import { registerSessionCommands } from './sessionCommands';
import type { Services } from './services';

export type { Services } from './services';

export function registerCommands(s: Services): void {
  registerSessionCommands(s);
  registerRequestCommands(s);
  registerFleetCommands(s);
  registerAgentCommands(s);
}
