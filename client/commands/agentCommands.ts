/**
 * Terminal agent commands: create, open terminal, send, stop, start, destroy, show changes, open
 * transcript, refresh, and "Open in Terminal" for sessions (a session agent). Each takes a tree
 * node, a name (or `{ name, folder }`), or nothing (then a picker).
 */
import * as vscode from 'vscode';
import { AgentsCreate, AgentsDestroy, AgentsList, AgentsSend, AgentsStart, AgentsStop, type AgentsCreateParams } from '../../protocol/sidecarProtocol';
import type { AgentSummary } from '../../protocol/types';
import { agentConsent } from '../agents/agentConsent';
import { agentNameFor } from '../agents/agentText';
import { askCreateParams } from '../agents/createAgentFlow';
import type { FolderConnection } from '../connection/folderConnection';
import { sessionLabel } from '../state/sessionGroups';
import { resolveAgent, resolveFolder, resolveSession, type AgentArg, type SessionArg } from './pickers';
import { registerCommand, type Services } from './services';

const isLive = (a: AgentSummary) => a.state === 'RUNNING' || a.state === 'WAITING';

export function registerAgentCommands(s: Services): void {
  const { fleet, agents } = s;

  const create = async (folder: FolderConnection, params: AgentsCreateParams, open: boolean): Promise<AgentSummary> => {
    const { agent } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Codex Fleet: starting agent ${params.name}…` },
      () => folder.client.request(AgentsCreate, params),
    );
    if (open) agents.terminals.show(folder, agent.name);
    return agent;
  };

  /** `(folder?, params?)`: with `params.name` the steps are skipped (API, tests, keybindings). */
  registerCommand(s, 'codexFleet.createAgent', 'Could not create the agent', async (folderArg?: unknown, paramsArg?: unknown) => {
    const folder = await resolveFolder(fleet, folderArg);
    if (!folder) return undefined;
    let params: AgentsCreateParams | undefined;
    if (paramsArg && typeof paramsArg === 'object' && typeof (paramsArg as AgentsCreateParams).name === 'string') {
      params = { ...(paramsArg as AgentsCreateParams) };
      if (params.consent === undefined) {
        const consent = await agentConsent(s.ctx, folder);
        if (consent === undefined) return undefined;
        params.consent = consent;
      }
    } else {
      params = await askCreateParams(s.ctx, folder);
    }
    if (!params) return undefined;
    return (await create(folder, params, true)).name;
  });

  registerCommand(s, 'codexFleet.openSessionInTerminal', 'Could not open the session in a terminal', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Open a Session in a Terminal' });
    if (!ref) return undefined;
    const existing = [...ref.folder.store.agents.values()].find((a) => a.kind === 'session' && a.sessionId === ref.session.id && isLive(a));
    if (existing) {
      agents.terminals.show(ref.folder, existing.name);
      return existing.name;
    }
    const consent = await agentConsent(s.ctx, ref.folder);
    if (consent === undefined) return undefined;
    const name = agentNameFor(sessionLabel(ref.session), ref.session.id, new Set(ref.folder.store.agents.keys()));
    return (await create(ref.folder, { name, kind: 'session', sessionId: ref.session.id, consent }, true)).name;
  });

  registerCommand(s, 'codexFleet.openAgentTerminal', 'Could not open the agent terminal', async (arg?: unknown) => {
    const ref = await resolveAgent(fleet, arg as AgentArg, { title: 'Open an Agent Terminal', emptyMessage: 'Codex Fleet: no agents yet.' });
    if (ref) agents.terminals.show(ref.folder, ref.agent.name);
  });

  registerCommand(s, 'codexFleet.sendToAgent', 'Could not send the message to the agent', async (arg?: unknown, textArg?: unknown) => {
    const ref = await resolveAgent(fleet, arg as AgentArg, { title: 'Send a Message to an Agent', filter: isLive, emptyMessage: 'Codex Fleet: no agent is running.' });
    if (!ref) return undefined;
    const typed =
      typeof textArg === 'string'
        ? textArg
        : await vscode.window.showInputBox({ title: `Message to agent ${ref.agent.name}`, prompt: ref.agent.state === 'RUNNING' ? 'The agent is busy: the message is typed when its turn ends' : 'Your message', ignoreFocusOut: true });
    const text = typed?.trim();
    if (!text) return undefined;
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Sending to ${ref.agent.name}…` }, () =>
      ref.folder.client.request(AgentsSend, { name: ref.agent.name, text, wait: false }),
    );
    if (r.queued) s.ctx.ext.add(vscode.window.setStatusBarMessage(`$(list-ordered) Queued for ${ref.agent.name}: typed when its turn ends`, 5000));
    return r;
  });

  registerCommand(s, 'codexFleet.stopAgent', 'Could not stop the agent', async (arg?: unknown) => {
    const ref = await resolveAgent(fleet, arg as AgentArg, { title: 'Stop an Agent', filter: isLive, emptyMessage: 'Codex Fleet: no agent is running.' });
    if (!ref) return;
    if (ref.agent.state === 'RUNNING') {
      const ok = await vscode.window.showWarningMessage(`Agent ${ref.agent.name} is working. Stop it anyway? Start resumes the conversation later.`, { modal: true }, 'Stop');
      if (ok !== 'Stop') return;
    }
    await ref.folder.client.request(AgentsStop, { name: ref.agent.name });
  });

  registerCommand(s, 'codexFleet.startAgent', 'Could not start the agent', async (arg?: unknown) => {
    const ref = await resolveAgent(fleet, arg as AgentArg, { title: 'Start an Agent', filter: (a) => !isLive(a), emptyMessage: 'Codex Fleet: every agent is running.' });
    if (!ref) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Codex Fleet: starting agent ${ref.agent.name}…` }, () =>
      ref.folder.client.request(AgentsStart, { name: ref.agent.name }),
    );
  });

  registerCommand(s, 'codexFleet.destroyAgent', 'Could not destroy the agent', async (arg?: unknown) => {
    const ref = await resolveAgent(fleet, arg as AgentArg, { title: 'Destroy an Agent', emptyMessage: 'Codex Fleet: no agents.' });
    if (!ref) return;
    const a = ref.agent;
    const detail = `Its process stops; its Codex sessions are kept (moved to your CODEX_HOME).${a.worktree ? `\n\nWorktree: ${a.worktree}\nBranch: ${a.branch ?? '?'}` : ''}`;
    const buttons = a.worktree ? ['Destroy, Remove Worktree and Branch', 'Destroy, Keep Worktree and Branch'] : ['Destroy'];
    const picked = await vscode.window.showWarningMessage(`Destroy agent ${a.name}?`, { modal: true, detail }, ...buttons);
    if (!picked) return;
    await ref.folder.client.request(AgentsDestroy, { name: a.name, keepWorktree: picked.includes('Keep') });
  });

  registerCommand(s, 'codexFleet.showAgentChanges', "Could not show the agent's changes", async (arg?: unknown) => {
    const ref = await resolveAgent(fleet, arg as AgentArg, { title: 'Show Changes of an Agent', filter: (a) => !!a.worktree, emptyMessage: 'Codex Fleet: no agent has a worktree of its own.' });
    if (ref) await agents.changes.show(ref.agent);
  });

  registerCommand(s, 'codexFleet.openAgentTranscript', "Could not open the agent's transcript", async (arg?: unknown) => {
    const ref = await resolveAgent(fleet, arg as AgentArg, { title: 'Open the Transcript of an Agent', emptyMessage: 'Codex Fleet: no agents yet.' });
    if (ref) await agents.transcripts.open(ref.folder.key, ref.agent.name);
  });

  registerCommand(s, 'codexFleet.refreshAgents', 'Could not refresh the agents', () =>
    Promise.all(
      fleet
        .list()
        .filter((f) => f.client.state === 'connected')
        .map(async (f) => f.store.setAgents((await f.client.request(AgentsList)).data)),
    ),
  );
}
