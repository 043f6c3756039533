/**
 * A notification when a turn finishes or fails in a session whose transcript is not visible
 * (`codexFleet.notifications.turnFinished`: always | whenTranscriptHidden (default) | never),
 * and a short error notification when a session reports an error Codex will not retry.
 */
import * as vscode from 'vscode';
import type { Fleet, FolderEvent } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { oneLine, sessionLabel } from '../state/sessionGroups';
import type { TranscriptHost } from '../transcriptHost';

const OPEN = 'Open Transcript';

export class TurnNotifier implements vscode.Disposable {
  private readonly sub: vscode.Disposable;
  private readonly activatedAt = Date.now();

  constructor(
    private readonly ctx: Ctx,
    fleet: Fleet,
    private readonly transcripts: () => TranscriptHost,
  ) {
    this.sub = fleet.onEvent((e) => this.onEvent(e));
  }

  private wanted(sessionId: string): boolean {
    switch (this.ctx.config.current.notifications.turnFinished) {
      case 'never':
        return false;
      case 'whenTranscriptHidden':
        return !this.transcripts().isVisible(sessionId);
      default:
        return true;
    }
  }

  private onEvent({ folder, event: e }: FolderEvent): void {
    // Replayed events from before this window started are old news.
    if (e.time < this.activatedAt) return;
    if (e.kind === 'turn/completed') {
      if (e.status === 'interrupted' || !this.wanted(e.sessionId)) return;
      const s = folder.store.sessions.get(e.sessionId);
      const name = s ? sessionLabel(s) : e.sessionId.slice(0, 8);
      const open = () => void vscode.commands.executeCommand('codexFleet.openTranscript', e.sessionId);
      if (e.status === 'failed') {
        const why = e.error?.message ? `: ${oneLine(e.error.message, 160)}` : '';
        void vscode.window.showErrorMessage(`Codex turn failed in "${name}"${why}`, OPEN).then((p) => p && open());
      } else {
        const reply = e.reply ? ` — ${oneLine(e.reply, 120)}` : '';
        void vscode.window.showInformationMessage(`Codex finished in "${name}"${reply}`, OPEN).then((p) => p && open());
      }
    } else if (e.kind === 'session/error' && !e.willRetry) {
      this.ctx.log.error(`${folder.folder.name}: session ${e.sessionId}: ${e.message}`);
    } else if (e.kind === 'sidecar/warning') {
      this.ctx.log.warn(`${folder.folder.name}: ${e.message}`);
    } else if (e.kind === 'runtime/state' && e.runtime.state === 'failed') {
      void this.ctx.log
        .showError(`Codex stopped working in ${folder.folder.name}`, e.runtime.lastError ?? 'the app-server failed repeatedly', 'Restart Codex')
        .then((p) => p && vscode.commands.executeCommand('codexFleet.restartRuntime', folder.key));
    }
  }

  dispose(): void {
    this.sub.dispose();
  }
}
