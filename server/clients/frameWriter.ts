/**
 * A JSON-RPC message writer for client sockets that sends each message (LSP header + body) in one
 * socket write. vscode-jsonrpc's SocketMessageWriter waits a tick and writes header and body
 * separately: two syscalls per event, measured by `npm run bench` as the relay's largest cost.
 */
import type { Socket } from 'node:net';
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';
import type { FleetEvent } from '../../protocol/types';
import { lspFrame, type EventFrames } from '../events/eventFrame';

export class FrameWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly socket: Socket) {
    super();
    socket.on('error', (e) => this.fireError(e));
    socket.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    const frame = lspFrame(JSON.stringify(msg));
    return new Promise((resolve, reject) => {
      this.socket.write(frame, 'utf8', (err) => {
        if (err) {
          this.fireError(err, msg);
          reject(err);
        } else {
          resolve();
        }
      });
    });
  }

  end(): void {
    this.socket.end();
  }
}

/**
 * Event notifications, the hot path, skip the MessageConnection: their frames (built once per event
 * for all clients) go to the socket in one write. Same bytes as `sendNotification(EventNotification, e)`;
 * the socket is the one the connection's FrameWriter writes to, so order with replies is kept.
 */
export function writeEventFrames(socket: Socket, frames: EventFrames, events: readonly FleetEvent[], done: (err?: Error | null) => void): void {
  let data = '';
  for (const e of events) data += frames.frame(e);
  socket.write(data, 'utf8', done);
}
