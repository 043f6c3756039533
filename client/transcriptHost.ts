/**
 * The transcript webview (`client/transcript/`) wired to the sidecar connections: one
 * TranscriptBackend per workspace folder over its vscode-languageclient connection, found by the
 * session a transcript shows. Everything else opens transcripts and asks whether one is visible
 * (notifications skip sessions the user is watching) through {@link TranscriptHost}.
 */
import * as vscode from 'vscode';
import type { RequestType } from 'vscode-jsonrpc';
import { SessionsRead } from '../protocol/sidecarProtocol';
import type { FileChangeSummary, FleetEvent } from '../protocol/types';
import type { Fleet } from './connection/fleet';
import type { FolderConnection } from './connection/folderConnection';
import type { Ctx } from './ctx';
import { registerTranscripts, type TranscriptBackend, type Transcripts } from './transcript';

export interface TranscriptHost {
  /** Open (or reveal) a session's transcript, optionally scrolled to a pending request. */
  open(sessionId: string, focusRequestId?: string): Promise<void>;
  /** The session's transcript is visible in an editor group right now. */
  isVisible(sessionId: string): boolean;
  /** File changes in VS Code's diff editor (approval details). */
  showFileChanges(title: string, changes: FileChangeSummary[], cwd: string): Promise<void>;
}

/** A folder's connection as the transcripts see it. */
class FolderTranscriptBackend implements TranscriptBackend {
  constructor(private readonly folder: FolderConnection) {}

  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    return this.folder.client.request(type, params);
  }

  onEvent(listener: (e: FleetEvent) => void): vscode.Disposable {
    return this.folder.onEvent(listener);
  }

  /** This connection already receives every event (it subscribes without a filter). */
  subscribe(): Promise<vscode.Disposable> {
    return Promise.resolve({ dispose: () => undefined });
  }

  onDidReconnect(listener: (e: { gap: boolean }) => void): vscode.Disposable {
    return this.folder.onDidConnect((info) => listener({ gap: info.resync }));
  }

  get lastSeq(): number {
    return this.folder.client.lastSeenSeq;
  }
}

export function createTranscriptHost(ctx: Ctx, fleet: Fleet): TranscriptHost {
  const backends = new WeakMap<FolderConnection, FolderTranscriptBackend>();
  const backendOf = (folder: FolderConnection): FolderTranscriptBackend => {
    let b = backends.get(folder);
    if (!b) backends.set(folder, (b = new FolderTranscriptBackend(folder)));
    return b;
  };
  /** The folder owning a session: known to a store, the only folder, or the first that can read it. */
  const owner = async (sessionId: string): Promise<FolderConnection | undefined> => {
    const known = fleet.findSession(sessionId);
    if (known) return known.folder;
    const folders = fleet.list();
    if (folders.length <= 1) return folders[0];
    for (const f of folders) {
      const found = await f.client.request(SessionsRead, { sessionId }).then(
        () => true,
        () => false,
      );
      if (found) return f;
    }
    return undefined;
  };
  const transcripts: Transcripts = registerTranscripts(ctx.extension, async (sessionId) => {
    const folder = await owner(sessionId);
    return folder && backendOf(folder);
  }, {
    log: (m) => ctx.log.info(`transcript: ${m}`),
    defaults: () => ctx.config.current.newSession,
  });
  return {
    open: (sessionId, focusRequestId) => transcripts.open(sessionId, focusRequestId),
    isVisible: (sessionId) => transcripts.isVisible(sessionId),
    showFileChanges: (title, changes, cwd) => transcripts.showDiff({ kind: 'files', title, changes }, cwd),
  };
}
