/**
 * Transcripts, as the rest of the extension sees them:
 *
 *   const transcripts = registerTranscripts(context, backend, { log: (m) => log.info(m) });
 *   await transcripts.open(sessionId, requestId);   // "Details" on an approval notification
 *   transcripts.isVisible(sessionId);               // skip notifications for watched sessions
 *
 * `backend` is one TranscriptBackend, or `(sessionId) => Promise<backend | undefined>` when several
 * sidecars run (multi-root). Registers the panel serializer and the diff document provider.
 */
import * as vscode from 'vscode';
import { TRANSCRIPT_VIEW_TYPE } from '../../protocol/webviewProtocol';
import { DiffDocuments, showChangesDiff } from './diffDocuments';
import type { TranscriptBackendSource } from './transcriptBackend';
import { TranscriptPanels } from './transcriptPanel';
import { TranscriptSerializer } from './transcriptSerializer';
import type { TranscriptUiOptions } from './transcriptUi';
import type { DiffTarget } from '../../protocol/webviewProtocol';

export type { TranscriptBackend, TranscriptBackendSource } from './transcriptBackend';

export interface Transcripts extends vscode.Disposable {
  open(sessionId: string, focusRequestId?: string): Promise<void>;
  isVisible(sessionId: string): boolean;
  readonly onDidChangeVisibility: vscode.Event<{ sessionId: string; visible: boolean }>;
  /** The same diff view "Open Diff" uses (e.g. for an approval's details). */
  showDiff(target: DiffTarget, cwd: string): Promise<void>;
}

export function registerTranscripts(context: vscode.ExtensionContext, backend: TranscriptBackendSource, options: TranscriptUiOptions = {}): Transcripts {
  const diffs = new DiffDocuments();
  const panels = new TranscriptPanels(context.extensionUri, backend, diffs, options);
  const serializer = vscode.window.registerWebviewPanelSerializer(TRANSCRIPT_VIEW_TYPE, new TranscriptSerializer(panels, (m) => options.log?.(m)));
  const api: Transcripts = {
    open: (sessionId, focusRequestId) => panels.open(sessionId, focusRequestId),
    isVisible: (sessionId) => panels.isVisible(sessionId),
    onDidChangeVisibility: panels.onDidChangeVisibility,
    showDiff: (target, cwd) => showChangesDiff(diffs, target, cwd),
    dispose: () => {
      serializer.dispose();
      panels.dispose();
      diffs.dispose();
    },
  };
  context.subscriptions.push(api);
  return api;
}
