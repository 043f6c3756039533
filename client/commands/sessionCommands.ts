/**
 * Session commands: start, open transcript, send / steer / queue, interrupt, fork, rename,
 * archive / unarchive, pin / unpin, compact, copy id, archived toggle, refresh. Each takes a tree
 * node, a session id, or nothing (then a picker of the sessions it can work on).
 */
import * as vscode from 'vscode';
import {
  SessionsArchive,
  SessionsCompact,
  SessionsFork,
  SessionsInterrupt,
  SessionsPin,
  SessionsQueue,
  SessionsRename,
  SessionsSend,
  SessionsStart,
  SessionsSteer,
  SessionsUnarchive,
} from '../../protocol/sidecarProtocol';
import type { SessionSummary } from '../../protocol/types';
import type { SessionRef } from '../connection/fleet';
import { sessionLabel } from '../state/sessionGroups';
import { resolveFolder, resolveSession, type SessionArg } from './pickers';
import { registerCommand, type Services } from './services';

const SHOW_ARCHIVED_KEY = 'codexFleet.showArchived';

const isRunning = (s: SessionSummary) => s.activity === 'running' || !!s.activeTurnId;

async function askText(title: string, prompt: string, value?: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true });
  return text?.trim() ? text.trim() : undefined;
}

export function registerSessionCommands(s: Services): void {
  const { fleet } = s;

  registerCommand(s, 'codexFleet.startSession', 'Could not start a Codex session', async (folderArg?: unknown, textArg?: unknown) => {
    const folder = await resolveFolder(fleet, folderArg);
    if (!folder) return undefined;
    let text = typeof textArg === 'string' ? textArg : undefined;
    if (textArg === undefined) {
      const typed = await vscode.window.showInputBox({
        title: `New Codex session in ${folder.folder.name}`,
        prompt: 'What should Codex do? (Leave empty to start without a message.)',
        ignoreFocusOut: true,
      });
      if (typed === undefined) return undefined;
      text = typed.trim() || undefined;
    }
    const controls = s.ctx.config.forFolder(folder.folder.uri).newSession;
    const { session } = await folder.client.request(SessionsStart, { ...controls, cwd: folder.folder.uri.fsPath });
    if (text) await folder.client.request(SessionsSend, { sessionId: session.id, text });
    await s.transcripts().open(session.id);
    return session.id;
  });

  registerCommand(s, 'codexFleet.openTranscript', 'Could not open the transcript', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Open Transcript' });
    if (ref) await s.transcripts().open(ref.session.id);
  });

  registerCommand(s, 'codexFleet.sendMessage', 'Could not send the message', async (arg?: unknown, textArg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Send Message to a Codex Session' });
    if (!ref) return undefined;
    const text = typeof textArg === 'string' ? textArg : await askText(`Message to "${sessionLabel(ref.session)}"`, 'Your message');
    if (!text) return undefined;
    let whileRunning: 'steer' | 'queue' | undefined;
    if (isRunning(ref.session)) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: '$(debug-step-into) Steer now', detail: 'Add the message to the turn in flight', value: 'steer' as const },
          { label: '$(list-ordered) Queue', detail: 'Deliver it when the current turn ends', value: 'queue' as const },
        ],
        { title: 'Codex is working on this session', placeHolder: 'Steer the running turn or queue the message?' },
      );
      if (!picked) return undefined;
      whileRunning = picked.value;
    }
    return ref.folder.client.request(SessionsSend, { sessionId: ref.session.id, text, whileRunning: whileRunning ?? 'queue' });
  });

  registerCommand(s, 'codexFleet.steerSession', 'Could not steer the turn', async (arg?: unknown, textArg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Steer a Running Turn', filter: isRunning, emptyMessage: 'Codex Fleet: no session is running.' });
    if (!ref) return undefined;
    const text = typeof textArg === 'string' ? textArg : await askText(`Steer "${sessionLabel(ref.session)}"`, 'Added to the running turn now');
    if (text) return ref.folder.client.request(SessionsSteer, { sessionId: ref.session.id, text });
    return undefined;
  });

  registerCommand(s, 'codexFleet.queueMessage', 'Could not queue the message', async (arg?: unknown, textArg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Queue a Follow-up' });
    if (!ref) return undefined;
    const text = typeof textArg === 'string' ? textArg : await askText(`Queue for "${sessionLabel(ref.session)}"`, 'Delivered when the current turn ends (at once if idle)');
    if (text) return ref.folder.client.request(SessionsQueue, { sessionId: ref.session.id, text });
    return undefined;
  });

  registerCommand(s, 'codexFleet.interruptSession', 'Could not interrupt the turn', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Interrupt a Running Turn', filter: isRunning, emptyMessage: 'Codex Fleet: no session is running.' });
    if (ref) await ref.folder.client.request(SessionsInterrupt, { sessionId: ref.session.id });
  });

  registerCommand(s, 'codexFleet.forkSession', 'Could not fork the session', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Fork a Session' });
    if (!ref) return;
    const name = await vscode.window.showInputBox({ title: 'Fork session', prompt: 'Name of the fork (optional)', value: `${sessionLabel(ref.session)} (fork)`, ignoreFocusOut: true });
    if (name === undefined) return;
    const { session } = await ref.folder.client.request(SessionsFork, { sessionId: ref.session.id, name: name.trim() || undefined });
    await s.transcripts().open(session.id);
  });

  registerCommand(s, 'codexFleet.renameSession', 'Could not rename the session', async (arg?: unknown, nameArg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Rename a Session' });
    if (!ref) return;
    const name = typeof nameArg === 'string' ? nameArg : await askText('Rename session', 'New name', ref.session.name ?? sessionLabel(ref.session));
    if (name) await ref.folder.client.request(SessionsRename, { sessionId: ref.session.id, name });
  });

  registerCommand(s, 'codexFleet.archiveSession', 'Could not archive the session', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Archive a Session' });
    if (!ref || !(await confirmIfRunning(ref, 'Archive'))) return;
    await ref.folder.client.request(SessionsArchive, { sessionId: ref.session.id });
  });

  registerCommand(s, 'codexFleet.unarchiveSession', 'Could not unarchive the session', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Unarchive a Session', archived: true, emptyMessage: 'Codex Fleet: no archived sessions.' });
    if (ref) await ref.folder.client.request(SessionsUnarchive, { sessionId: ref.session.id });
  });

  for (const [id, pinned] of [
    ['codexFleet.pinSession', true],
    ['codexFleet.unpinSession', false],
  ] as const) {
    registerCommand(s, id, `Could not ${pinned ? 'pin' : 'unpin'} the session`, async (arg?: unknown) => {
      const ref = await resolveSession(fleet, arg as SessionArg, { title: pinned ? 'Pin a Session' : 'Unpin a Session', filter: (x) => x.pinned !== pinned });
      if (ref) await ref.folder.client.request(SessionsPin, { sessionId: ref.session.id, pinned });
    });
  }

  registerCommand(s, 'codexFleet.compactSession', 'Could not compact the session', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Compact a Session', filter: (x) => !isRunning(x) });
    if (ref) await ref.folder.client.request(SessionsCompact, { sessionId: ref.session.id });
  });

  registerCommand(s, 'codexFleet.copySessionId', 'Could not copy the session id', async (arg?: unknown) => {
    const ref = await resolveSession(fleet, arg as SessionArg, { title: 'Copy Session Id' });
    if (!ref) return;
    await vscode.env.clipboard.writeText(ref.session.id);
    s.ctx.ext.add(vscode.window.setStatusBarMessage(`$(copy) Copied session id ${ref.session.id}`, 4000));
  });

  const setArchived = async (show: boolean) => {
    await s.ctx.extension.workspaceState.update(SHOW_ARCHIVED_KEY, show);
    await fleet.setShowArchived(show);
  };
  registerCommand(s, 'codexFleet.showArchived', 'Could not list archived sessions', () => setArchived(true));
  registerCommand(s, 'codexFleet.hideArchived', 'Could not hide archived sessions', () => setArchived(false));
  if (s.ctx.extension.workspaceState.get<boolean>(SHOW_ARCHIVED_KEY)) void fleet.setShowArchived(true);

  registerCommand(s, 'codexFleet.refreshSessions', 'Could not refresh', () => Promise.all(fleet.list().map((f) => f.refresh())));
}

async function confirmIfRunning(ref: SessionRef, verb: string): Promise<boolean> {
  if (!isRunning(ref.session)) return true;
  const picked = await vscode.window.showWarningMessage(
    `"${sessionLabel(ref.session)}" is running. ${verb} it anyway? Its turn stops and pending approvals expire.`,
    { modal: true },
    verb,
  );
  return picked === verb;
}
