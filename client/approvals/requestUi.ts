/**
 * Answering pending requests from VS Code: decisions (Accept / Accept for Session / Decline),
 * user input (a QuickPick per question: its options plus free text), MCP elicitations, and client
 * tool calls. Used by the notifications, the Approvals view and the palette. An answer that lost
 * the race (answered elsewhere, expired) is reported quietly in the status bar.
 */
import * as vscode from 'vscode';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { RequestsAnswer } from '../../protocol/sidecarProtocol';
import type { ApprovalDecision, ElicitationRequest, PendingRequest, RequestAnswer, UserInputQuestion, UserInputRequest } from '../../protocol/types';
import type { Fleet, RequestRef } from '../connection/fleet';
import type { Ctx } from '../ctx';
import { sessionLabel } from '../state/sessionGroups';
import type { TranscriptHost } from '../transcriptHost';
import { DECISION_LABELS, decisionChoices, isApproval, requestDetail, requestTitle } from './requestText';

const ENDED_MEMORY = 200;

export class RequestUi implements vscode.Disposable {
  /** Why recently ended requests ended, to say so when a late click arrives. */
  private readonly ended = new Map<string, { reason: string; by?: string }>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly fleet: Fleet,
    private readonly transcripts: () => TranscriptHost,
  ) {
    this.subs.push(
      fleet.onDidEndRequest((e) => {
        this.ended.set(e.requestId, { reason: e.reason, by: e.by });
        if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.keys().next().value as string);
      }),
    );
  }

  sessionName(ref: RequestRef): string {
    const s = ref.folder.store.sessions.get(ref.request.sessionId);
    return s ? sessionLabel(s) : ref.request.sessionId.slice(0, 8);
  }

  /** Answer with a decision. True when the sidecar took it. */
  decide(ref: RequestRef, decision: ApprovalDecision): Promise<boolean> {
    return this.send(ref, { type: 'decision', decision });
  }

  /** Whatever the request needs: a decision modal, the questions, the elicitation, the tool result. */
  async respond(ref: RequestRef): Promise<boolean> {
    const r = ref.request;
    switch (r.kind) {
      case 'userInput':
        return this.answerUserInput(ref, r);
      case 'elicitation':
        return this.answerElicitation(ref, r);
      case 'toolCall':
        return this.answerToolCall(ref);
      default:
        return this.showDetails(ref);
    }
  }

  /**
   * The full request. File changes open VS Code's diff editor, then ask; everything else opens a
   * modal with the details and the decision buttons.
   */
  async showDetails(ref: RequestRef): Promise<boolean> {
    const r = ref.request;
    if (r.kind === 'fileChangeApproval') {
      const cwd = ref.folder.store.sessions.get(r.sessionId)?.cwd ?? ref.folder.folder.uri.fsPath;
      await this.transcripts().showFileChanges(`Codex: proposed changes (${this.sessionName(ref)})`, r.changes, cwd);
      return this.askDecision(ref, false);
    }
    if (!isApproval(r)) return this.respond(ref);
    return this.askDecision(ref, true);
  }

  /** Ask for a decision (modal with the details, or a notification after a diff was shown). */
  private async askDecision(ref: RequestRef, modal: boolean): Promise<boolean> {
    const r = ref.request;
    const choices = decisionChoices(r);
    const labels = choices.map((d) => DECISION_LABELS[d]);
    const message = `${requestTitle(r, 120)} — ${this.sessionName(ref)}`;
    const transcript = 'Open Transcript';
    const picked = modal
      ? await vscode.window.showInformationMessage(message, { modal: true, detail: requestDetail(r) }, ...labels, transcript)
      : await vscode.window.showInformationMessage(message, ...labels, transcript);
    if (picked === transcript) {
      await this.transcripts().open(r.sessionId, r.id);
      return false;
    }
    const decision = choices[labels.indexOf(picked ?? '')];
    return decision ? this.decide(ref, decision) : false;
  }

  private async answerUserInput(ref: RequestRef, r: UserInputRequest): Promise<boolean> {
    const answers: Record<string, string[]> = {};
    for (let i = 0; i < r.questions.length; i++) {
      const q = r.questions[i];
      const title = `${this.sessionName(ref)}: ${q.header || 'Question'}${r.questions.length > 1 ? ` (${i + 1}/${r.questions.length})` : ''}`;
      const answer = await askQuestion(q, title);
      if (answer === undefined) return false;
      answers[q.id] = [answer];
    }
    return this.send(ref, { type: 'userInput', answers });
  }

  private async answerElicitation(ref: RequestRef, r: ElicitationRequest): Promise<boolean> {
    const open = r.url ? 'Open and Accept' : 'Accept';
    const picked = await vscode.window.showInformationMessage(
      `MCP server ${r.serverName} (${this.sessionName(ref)}) asks: ${r.message}`,
      { modal: true, detail: r.url ? `URL: ${r.url}` : undefined },
      open,
      'Decline',
    );
    if (!picked) return this.send(ref, { type: 'elicitation', action: 'cancel' });
    if (picked === 'Decline') return this.send(ref, { type: 'elicitation', action: 'decline' });
    if (r.url) await vscode.env.openExternal(vscode.Uri.parse(r.url));
    return this.send(ref, { type: 'elicitation', action: 'accept', content: {} });
  }

  private async answerToolCall(ref: RequestRef): Promise<boolean> {
    const picked = await vscode.window.showWarningMessage(
      `${requestTitle(ref.request)} is answered by the client that registered the tool. Fail it from here?`,
      { modal: true, detail: requestDetail(ref.request) },
      'Fail the Tool Call',
    );
    if (!picked) return false;
    return this.send(ref, { type: 'toolResult', success: false, contentItems: [{ type: 'inputText', text: 'The user declined this tool call in VS Code.' }] });
  }

  /** Send the answer; a lost race is said quietly, other errors loudly. */
  async send(ref: RequestRef, answer: RequestAnswer): Promise<boolean> {
    try {
      await ref.folder.client.request(RequestsAnswer, { requestId: ref.request.id, answer });
      this.ctx.log.info(`answered ${ref.request.id} (${ref.request.kind}) with ${answer.type === 'decision' ? answer.decision : answer.type}`);
      return true;
    } catch (e) {
      if (FleetError.is(e, ErrorCodes.AlreadyResolved) || FleetError.is(e, ErrorCodes.RequestNotFound)) {
        this.sayAlreadyResolved(ref.request);
        return false;
      }
      await this.ctx.log.showError(`Could not answer "${requestTitle(ref.request, 60)}"`, e);
      return false;
    }
  }

  /** Quiet: a status bar message and a log line, no notification. */
  sayAlreadyResolved(r: PendingRequest): void {
    const ended = this.ended.get(r.id);
    const why =
      !ended || ended.reason === 'answered' || ended.reason === 'gone'
        ? `was already answered${ended?.by ? ` (by ${ended.by})` : ''}`
        : ended.reason === 'turnEnded'
          ? 'expired: its turn ended'
          : ended.reason === 'runtimeDied'
            ? 'expired: the Codex runtime restarted'
            : ended.reason === 'archived'
              ? 'expired: its session was archived'
              : 'was resolved by Codex';
    const text = `Codex Fleet: "${requestTitle(r, 50)}" ${why}`;
    this.ctx.log.info(text);
    this.ctx.ext.add(vscode.window.setStatusBarMessage(`$(info) ${text}`, 8000));
  }

  /** The request by id, or undefined (with the quiet message) when it is no longer pending. */
  lookup(requestId: string): RequestRef | undefined {
    return this.fleet.findRequest(requestId);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}

/** One question: its options plus free text (QuickPick), or a password box for secrets. */
async function askQuestion(q: UserInputQuestion, title: string): Promise<string | undefined> {
  if (q.secret || q.options.length === 0) {
    return vscode.window.showInputBox({ title, prompt: q.question, password: q.secret, ignoreFocusOut: true });
  }
  const options: vscode.QuickPickItem[] = q.options.map((o) => ({ label: o.label, detail: o.description }));
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = title;
  pick.placeholder = q.allowOther ? `${q.question} (pick or type your own answer)` : q.question;
  pick.items = options;
  pick.ignoreFocusOut = true;
  pick.matchOnDetail = true;
  if (q.allowOther) {
    pick.onDidChangeValue((value) => {
      const typed = value.trim();
      pick.items = typed && !options.some((o) => o.label === typed) ? [{ label: typed, description: 'your answer', alwaysShow: true }, ...options] : options;
    });
  }
  return new Promise<string | undefined>((resolve) => {
    let done = false;
    pick.onDidAccept(() => {
      const label = pick.selectedItems[0]?.label ?? (q.allowOther ? pick.value.trim() : '');
      if (!label) return;
      done = true;
      resolve(label);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}
