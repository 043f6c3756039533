/**
 * Restores transcript panels after a window reload. The webview persists `{ sessionId, lastSeq }`
 * with `setState`; VS Code hands it back here (activation event `onWebviewPanel:codexFleet.transcript`).
 * The panel reconnects to its session and reloads from a snapshot (the webview's DOM and model do
 * not survive a reload; the seq keeps the event stream consistent from there).
 */
import * as vscode from 'vscode';
import type { TranscriptWebviewState } from '../../protocol/webviewProtocol';
import type { TranscriptPanels } from './transcriptPanel';

export function isTranscriptState(x: unknown): x is TranscriptWebviewState {
  return typeof x === 'object' && x !== null && typeof (x as TranscriptWebviewState).sessionId === 'string' && typeof (x as TranscriptWebviewState).lastSeq === 'number';
}

export class TranscriptSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(
    private readonly panels: TranscriptPanels,
    private readonly log: (message: string) => void,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isTranscriptState(state)) {
      this.log('transcript: a restored panel had no session; closing it');
      panel.dispose();
      return;
    }
    this.log(`transcript: restoring ${state.sessionId} (last seq ${state.lastSeq})`);
    await this.panels.adopt(panel, state.sessionId);
  }
}
