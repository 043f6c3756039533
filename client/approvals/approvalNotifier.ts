/**
 * A notification per new request, naming the session and the command (or files), with buttons
 * that answer it right there: Accept, Accept for Session, Decline, Details (approvals); Answer…
 * (user input); Respond… (MCP elicitations). `codexFleet.notifications.approvals` says when:
 * always, whenTranscriptHidden (default), never. A click on a request that meanwhile ended says so
 * quietly.
 */
import * as vscode from 'vscode';
import type { Fleet, RequestRef } from '../connection/fleet';
import type { Ctx } from '../ctx';
import type { TranscriptHost } from '../transcriptHost';
import { DECISION_LABELS, decisionChoices, isApproval, notificationMessage } from './requestText';
import type { RequestUi } from './requestUi';

const DETAILS = 'Details';
const ANSWER = 'Answer…';
const RESPOND = 'Respond…';

export class ApprovalNotifier implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private readonly summarized = new Set<string>();
  /** Requests whose notification is still up: a request re-listed after a reconnect keeps its id and its toast. */
  private readonly showing = new Set<string>();

  constructor(
    private readonly ctx: Ctx,
    private readonly fleet: Fleet,
    private readonly ui: RequestUi,
    private readonly transcripts: () => TranscriptHost,
  ) {
    this.subs.push(
      fleet.onDidAddRequest((ref) => {
        if (this.shouldNotify(ref)) void this.notify(ref);
      }),
      // Requests already waiting when this window first connects: one summary, not a flood.
      fleet.onDidConnect(({ folder }) => {
        if (this.summarized.has(folder.key)) return;
        this.summarized.add(folder.key);
        const n = folder.store.requests.size;
        if (n === 0 || ctx.config.current.notifications.approvals === 'never') return;
        if (n === 1) {
          const request = [...folder.store.requests.values()][0];
          if (this.shouldNotify({ folder, request })) void this.notify({ folder, request });
          return;
        }
        void vscode.window.showInformationMessage(`Codex: ${n} requests are waiting for you in ${folder.folder.name}.`, 'Show Approvals').then((picked) => {
          if (picked) void vscode.commands.executeCommand('codexFleet.approvals.focus');
        });
      }),
    );
  }

  private shouldNotify(ref: RequestRef): boolean {
    // Tool calls are answered by the client that registered the tool, not by the user.
    if (ref.request.kind === 'toolCall') return false;
    switch (this.ctx.config.current.notifications.approvals) {
      case 'never':
        return false;
      case 'whenTranscriptHidden':
        return !this.transcripts().isVisible(ref.request.sessionId);
      default:
        return true;
    }
  }

  /** Show the notification for one request and act on the click. */
  async notify(ref: RequestRef): Promise<void> {
    const r = ref.request;
    if (this.showing.has(r.id)) return;
    const message = notificationMessage(r, this.ui.sessionName(ref));
    const choices = decisionChoices(r);
    const buttons = isApproval(r) ? [...choices.map((d) => DECISION_LABELS[d]), DETAILS] : r.kind === 'userInput' ? [ANSWER] : [RESPOND];
    this.showing.add(r.id);
    const picked = await vscode.window.showInformationMessage(message, ...buttons).then(
      (p) => p,
      () => undefined,
    );
    this.showing.delete(r.id);
    if (!picked) return;
    // Answer what is pending now: the request may have ended while the notification was up.
    const current = this.fleet.findRequest(r.id);
    if (!current) {
      this.ui.sayAlreadyResolved(r);
      return;
    }
    if (picked === DETAILS) {
      await this.ui.showDetails(current);
      return;
    }
    if (picked === ANSWER || picked === RESPOND) {
      await this.ui.respond(current);
      return;
    }
    const decision = choices.find((d) => DECISION_LABELS[d] === picked);
    if (decision) await this.ui.decide(current, decision);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
