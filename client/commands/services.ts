/**
 * What command handlers need, and one way to register them: every command id `codexFleet.verbNoun`,
 * failures logged in full and shown short with "Open Log".
 */
import * as vscode from 'vscode';
import type { AccountService } from '../account/accountService';
import type { AgentServices } from '../agents';
import type { RequestUi } from '../approvals/requestUi';
import type { Fleet } from '../connection/fleet';
import type { Ctx } from '../ctx';
import type { TranscriptHost } from '../transcriptHost';

export interface Services {
  ctx: Ctx;
  fleet: Fleet;
  requests: RequestUi;
  transcripts: () => TranscriptHost;
  account: AccountService;
  agents: AgentServices;
}

export function registerCommand(s: Services, id: `codexFleet.${string}`, failure: string, handler: (...args: unknown[]) => unknown): void {
  s.ctx.ext.add(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        void s.ctx.log.showError(failure, e);
        return undefined;
      }
    }),
  );
}
