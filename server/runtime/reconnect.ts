/**
 * Connecting again to an app-server process that is still running after its WebSocket dropped
 * (app-server closes a connection that sent it something it could not take): retries with backoff
 * while the process lives, for a few seconds at most.
 */
import type { Logger } from '../logger';
import { processAlive } from '../lock';
import { AppServerConnection } from './appServerConnection';

export interface ReconnectOptions {
  socketPath: string;
  pid: number;
  log: Logger;
  /** Runs `initialize`/`initialized` on the new connection; resolves with app-server's user agent. */
  handshake: (conn: AppServerConnection) => Promise<string>;
  /** False once the supervisor moved on (stopped, or a newer generation): give up quietly. */
  wanted: () => boolean;
  timeoutMs?: number;
}

export type ReconnectResult = { conn: AppServerConnection; userAgent: string } | { error: string } | { abandoned: true };

export async function reconnectToLive(o: ReconnectOptions): Promise<ReconnectResult> {
  const deadline = Date.now() + (o.timeoutMs ?? 5000);
  let delay = 20;
  let error = 'it is no longer running';
  while (processAlive(o.pid)) {
    if (!o.wanted()) return { abandoned: true };
    try {
      const conn = await AppServerConnection.connect(o.socketPath, o.log);
      const userAgent = await o.handshake(conn).catch((e: unknown) => {
        conn.close();
        throw e;
      });
      if (o.wanted()) return { conn, userAgent };
      conn.close();
      return { abandoned: true };
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
  return o.wanted() ? { error } : { abandoned: true };
}
