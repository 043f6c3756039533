import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

/** A stand-in peer speaking app-server's framing (one JSON per frame, no "jsonrpc") — for framing only. */
export async function peer(onMessage: (ws: WebSocket, msg: { id?: number; method?: string }) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-ws-'));
  const path = join(dir, 's.sock');
  const http = createServer();
  const server = new WebSocketServer({ server: http });
  server.on('connection', (ws) => ws.on('message', (d) => onMessage(ws, JSON.parse(d.toString()))));
  await new Promise<void>((r) => http.listen(path, r));
  return { path, close: () => new Promise<void>((r) => { for (const c of server.clients) c.terminate(); server.close(); http.close(() => { rmSync(dir, { recursive: true, force: true }); r(); }); }) };
}
