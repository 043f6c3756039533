/**
 * Transcript panels: one WebviewPanel per session, reused when reopened, restored after a reload
 * (transcriptSerializer.ts). Strict CSP with a crypto nonce; scripts enabled; resources only from
 * dist/webview and media; no retained context (the webview reloads from a snapshot when shown).
 */
import * as vscode from 'vscode';
import { TRANSCRIPT_VIEW_TYPE } from '../../protocol/webviewProtocol';
import type { DiffDocuments } from './diffDocuments';
import { resolveBackend, type TranscriptBackendSource } from './transcriptBackend';
import { TranscriptController } from './transcriptController';
import { transcriptHtml } from './transcriptHtml';
import { VscodeTranscriptUi, themeKind, type TranscriptUiOptions } from './transcriptUi';

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    enableFindWidget: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

class TranscriptPanel implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly controller: TranscriptController,
    onDispose: () => void,
  ) {
    this.subs.push(panel.webview.onDidReceiveMessage((m: unknown) => void controller.onWebviewMessage(m)));
    this.subs.push(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) controller.webviewGone();
      }),
    );
    this.subs.push(panel.onDidDispose(() => onDispose()));
  }

  dispose(): void {
    this.controller.dispose();
    for (const d of this.subs.splice(0)) d.dispose();
  }
}

export class TranscriptPanels implements vscode.Disposable {
  private readonly panels = new Map<string, TranscriptPanel>();
  private readonly visibility = new vscode.EventEmitter<{ sessionId: string; visible: boolean }>();
  /** A transcript became visible or hidden (notifications can skip watched sessions). */
  readonly onDidChangeVisibility = this.visibility.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backends: TranscriptBackendSource,
    private readonly diffs: DiffDocuments,
    private readonly uiOptions: TranscriptUiOptions,
  ) {
    this.subs.push(
      vscode.window.onDidChangeActiveColorTheme((t) => {
        for (const p of this.panels.values()) p.controller.postTheme(themeKind(t.kind));
      }),
    );
  }

  /** Open (or reveal) the session's transcript; optionally scroll to a pending request's card. */
  async open(sessionId: string, focusRequestId?: string): Promise<void> {
    const existing = this.panels.get(sessionId);
    if (existing) {
      existing.panel.reveal(undefined, false);
      if (focusRequestId) existing.controller.focusRequest(focusRequestId);
      return;
    }
    const panel = vscode.window.createWebviewPanel(TRANSCRIPT_VIEW_TYPE, 'Codex transcript', { viewColumn: vscode.ViewColumn.Active }, panelOptions(this.extensionUri));
    await this.adopt(panel, sessionId, focusRequestId);
  }

  /** Wire a panel (new, or restored by the serializer) to its session. */
  async adopt(panel: vscode.WebviewPanel, sessionId: string, focusRequestId?: string): Promise<void> {
    if (this.panels.has(sessionId)) {
      panel.dispose();
      return this.open(sessionId, focusRequestId);
    }
    panel.webview.options = panelOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'transcript-icon.svg');
    const backend = await resolveBackend(this.backends, sessionId);
    if (!backend) {
      panel.webview.html = unavailableHtml(`No Codex Fleet sidecar knows session ${sessionId}. Open its workspace folder and try again.`);
      return;
    }
    const ui = new VscodeTranscriptUi(panel, this.diffs, this.uiOptions);
    const controller = new TranscriptController(sessionId, backend, { post: (m) => panel.webview.postMessage(m) }, ui);
    if (focusRequestId) controller.focusRequest(focusRequestId);
    const entry = new TranscriptPanel(panel, controller, () => {
      this.panels.delete(sessionId);
      entry.dispose();
      this.visibility.fire({ sessionId, visible: false });
    });
    this.panels.set(sessionId, entry);
    entry.panel.onDidChangeViewState((e) => this.visibility.fire({ sessionId, visible: e.webviewPanel.visible }));
    const webview = panel.webview;
    const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    webview.html = transcriptHtml({
      cspSource: webview.cspSource,
      scriptUri: uri('dist', 'webview', 'transcript.js'),
      cssUri: uri('media', 'transcript.css'),
      codiconsUri: uri('dist', 'webview', 'codicons', 'codicon.css'),
    });
    this.visibility.fire({ sessionId, visible: panel.visible });
  }

  isVisible(sessionId: string): boolean {
    return this.panels.get(sessionId)?.panel.visible ?? false;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
    for (const d of this.subs.splice(0)) d.dispose();
    this.visibility.dispose();
  }
}

/** A static page (no scripts) for a transcript that cannot be shown. */
function unavailableHtml(message: string): string {
  const text = message.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${text}</p></body></html>`;
}
