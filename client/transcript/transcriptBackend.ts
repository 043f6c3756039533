/**
 * What transcripts need from the sidecar connection. The VS Code client implements it over its
 * vscode-languageclient connection (one per workspace folder); tests implement it over a fake.
 * Deliberately free of vscode and languageclient imports.
 */
import type { RequestType } from 'vscode-jsonrpc';
import type { FleetEvent } from '../../protocol/types';

import type { Disposable } from '../../shared/disposable';
export type { Disposable };

export interface TranscriptBackend {
  /** Send a sidecar request (protocol/sidecarProtocol.ts); errors reject (ideally as FleetError). */
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  /** Every event this connection receives, in seq order (all sessions; transcripts filter). */
  onEvent(listener: (e: FleetEvent) => void): Disposable;
  /**
   * Make sure events about `sessionId` reach `onEvent` until the returned handle is disposed.
   * (The connection may already receive everything; then this only counts interest. It must not
   * replace a filter other views rely on.)
   */
  subscribe(sessionId: string): Promise<Disposable>;
  /**
   * Fired after the connection came back (reconnect or sidecar restart) and events were replayed
   * from the last seq seen. `gap: true` when that replay could not be complete (buffer overrun, new
   * sidecar): every open transcript then reloads its snapshot.
   */
  onDidReconnect(listener: (e: { gap: boolean }) => void): Disposable;
  /** Highest seq seen on this connection (stamps snapshots when `sessions/read` returns no lastSeq). */
  readonly lastSeq: number;
}

/** A backend, or a way to find the one owning a session (multi-root: one sidecar per folder). */
export type TranscriptBackendSource = TranscriptBackend | ((sessionId: string) => Promise<TranscriptBackend | undefined>);

export async function resolveBackend(source: TranscriptBackendSource, sessionId: string): Promise<TranscriptBackend | undefined> {
  return typeof source === 'function' ? source(sessionId) : source;
}
