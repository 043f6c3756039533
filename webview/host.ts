/**
 * The webview's side of the channel to the extension host: typed `post`, validated incoming
 * messages, persisted state, and request/reply matching for commands that carry an `id`.
 */
import {
  isHostToWebviewMessage,
  isImagesPickedMessage,
  isResultMessage,
  type HostMessageOf,
  type HostToWebviewMessage,
  type TranscriptWebviewState,
  type WebviewToHostMessage,
} from '../protocol/webviewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Reply = HostMessageOf<'result'> | HostMessageOf<'imagesPicked'>;
/** Distributive Omit, so each variant of the union keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type CommandWithoutId = WithoutId<Extract<WebviewToHostMessage, { id: number }>>;

export class HostChannel {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextId = 1;
  private readonly replies = new Map<number, (m: Reply) => void>();

  /** Listen for host messages; replies to commands are routed to their `command()` promise instead. */
  listen(handler: (m: HostToWebviewMessage) => void): void {
    window.addEventListener('message', (ev: MessageEvent<unknown>) => {
      const m = ev.data;
      if (!isHostToWebviewMessage(m)) return;
      if (isResultMessage(m) || isImagesPickedMessage(m)) {
        const resolve = this.replies.get(m.replyTo);
        this.replies.delete(m.replyTo);
        resolve?.(m);
        return;
      }
      handler(m);
    });
  }

  post(message: WebviewToHostMessage): void {
    this.api.postMessage(message);
  }

  /** Post a command with a fresh id and resolve with the host's reply. */
  command(message: CommandWithoutId): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.api.postMessage({ ...message, id });
    });
  }

  getState(): TranscriptWebviewState | undefined {
    const s = this.api.getState();
    if (s && typeof s === 'object' && typeof (s as TranscriptWebviewState).sessionId === 'string') return s as TranscriptWebviewState;
    return undefined;
  }

  setState(state: TranscriptWebviewState): void {
    this.api.setState(state);
  }
}
