/**
 * The connection to one workspace folder's sidecar, over vscode-languageclient. The server options
 * connect to the sidecar's socket with the shared launcher (`connectOrStart`: attach if it runs,
 * start it detached on VS Code's own Node otherwise). On a dropped connection the error handler
 * restarts the client (which starts a sidecar again if needed) and we re-subscribe from the last
 * `seq` seen; a different sidecar or a replay gap makes listeners re-read everything.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type InitializeParams as LspInitializeParams,
  type LanguageClientOptions,
  type StreamInfo,
} from 'vscode-languageclient/node';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import {
  AgentsOutput,
  EventNotification,
  EventsSubscribe,
  FleetStop,
  LogNotification,
  StoppingNotification,
  type StoppingParams,
  type InitializeResult,
  type LogMessage,
  type SubscribeResult,
} from '../../protocol/sidecarProtocol';
import { PROTOCOL_VERSION, type FleetEvent, type FleetStatus } from '../../protocol/types';
import { connectOrStart } from '../../sdk/launcher';
import { sidecarLaunchSettings } from '../configModel';
import type { Ctx } from '../ctx';
import type { ConnectionState } from '../state/fleetStore';
import { describeError } from '../log';
import { Emitter } from '../util/emitter';
import { CrashBudget } from '../../shared/crashBudget';

export interface ConnectInfo {
  status: FleetStatus;
  /** Events were possibly missed (new sidecar, first connection, or a replay gap): re-read state. */
  resync: boolean;
  /** Events replayed from the sidecar's buffer before this fired. */
  replayed: number;
  /** This window started the sidecar. */
  started: boolean;
}

/** LanguageClient that reports connection trouble through us instead of its own notifications. */
class FleetLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    super.error(message, data, false);
  }
  override info(message: string, data?: unknown, _showNotification?: boolean): void {
    // The library passes `!handled` as data on restarts; a bare boolean is noise in the log.
    super.info(message, typeof data === 'boolean' ? undefined : data, false);
  }
}

function isFleetInitializeResult(v: unknown): v is InitializeResult {
  const status = (v as { status?: Partial<FleetStatus> } | undefined)?.status;
  return !!status && typeof status === 'object' && !!status.sidecar && !!status.runtime;
}

const CONNECT_WAIT_MS = 20_000;
/** Attempts to come back from one outage before giving up (backoff 0.25 s doubling to 8 s: about a minute). */
const MAX_ATTEMPTS_PER_OUTAGE = 10;

export class SidecarClient implements vscode.Disposable {
  private readonly eventEmitter = new Emitter<FleetEvent>();
  private readonly logEmitter = new Emitter<LogMessage>();
  private readonly connectEmitter = new Emitter<ConnectInfo>();
  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly agentOutputEmitter = new Emitter<{ name: string; data: string }>();
  readonly onEvent = this.eventEmitter.event;
  readonly onLog = this.logEmitter.event;
  readonly onDidConnect = this.connectEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  /** Terminal output of an agent this connection is attached to (`agents/output`). */
  readonly onAgentOutput = this.agentOutputEmitter.event;

  private client: FleetLanguageClient | undefined;
  private stateValue: ConnectionState = 'connecting';
  private errorValue: string | undefined;
  private lastSeq = 0;
  private sidecarIdentity: string | undefined;
  private everConnected = false;
  private expectRestart = false;
  private startedSidecar = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Stopped on purpose ({@link stop}): no reconnecting until {@link reconnect}. */
  private halted = false;
  /** Reconnect attempts: 5 within 3 minutes (vscode-languageclient's rule), the sixth loss gives up. */
  /**
   * Lost connections (an established one closing): the 6th within 3 minutes stops reconnecting.
   * One outage counts once, however many attempts it takes to come back from it.
   */
  private readonly budget = new CrashBudget({ maxCrashes: 6, windowMs: 3 * 60_000, initialDelayMs: 250, maxDelayMs: 8000 });
  /** Failed attempts since the connection was last established (bounded by {@link MAX_ATTEMPTS_PER_OUTAGE}). */
  private outageAttempts = 0;
  /** An established connection was lost and not yet counted in {@link budget}. */
  private lossCounted = false;
  private versionWarned = false;
  /** Why the current connection attempt failed (launcher error), if it did. */
  private attemptError: string | undefined;

  constructor(
    private readonly ctx: Ctx,
    readonly folder: vscode.WorkspaceFolder,
  ) {}

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Highest event seq seen from the current sidecar. */
  get lastSeenSeq(): number {
    return this.lastSeq;
  }

  /** Why the last connection attempt failed, if it did. */
  get lastError(): string | undefined {
    return this.errorValue;
  }

  start(): void {
    if (this.disposed || this.client) return;
    void this.connect();
  }

  /** Forget the failure budget and connect again now (the user asked). */
  async reconnect(): Promise<void> {
    if (this.disposed) return;
    this.halted = false;
    this.budget.reset();
    this.outageAttempts = 0;
    clearTimeout(this.retryTimer);
    const old = this.client;
    this.client = undefined;
    if (old) await this.discard(old);
    await this.connect();
  }

  /** Send a request; errors come back as {@link FleetError}. Waits briefly while (re)connecting. */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  async request<R>(type: RequestType0<R, void>): Promise<R>;
  async request<P, R>(type: RequestType<P, R, void> | RequestType0<R, void>, params?: P): Promise<R> {
    const client = await this.whenConnected();
    try {
      if (params === undefined) return await client.sendRequest<R>(type.method);
      return await client.sendRequest<R>(type.method, params);
    } catch (e) {
      throw FleetError.from(e);
    }
  }

  /** Send a notification if connected (dropped otherwise: terminal input has no meaning offline). */
  notify<P>(type: NotificationType<P>, params: P): boolean {
    const client = this.client;
    if (this.stateValue !== 'connected' || !client) return false;
    client.sendNotification(type.method, params).catch((e: unknown) => this.ctx.log.warn(`${this.folder.name}: ${type.method}: ${describeError(e, false)}`));
    return true;
  }

  private async whenConnected(): Promise<FleetLanguageClient> {
    if (this.stateValue === 'connected' && this.client) return this.client;
    if (this.stateValue === 'failed' || this.stateValue === 'stopped' || this.disposed) {
      throw new FleetError(ErrorCodes.RuntimeUnavailable, `Not connected to the Codex Fleet sidecar of ${this.folder.name}${this.errorValue ? `: ${this.errorValue}` : ''}`);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new FleetError(ErrorCodes.Timeout, `Still connecting to the Codex Fleet sidecar of ${this.folder.name}; try again in a moment`));
      }, CONNECT_WAIT_MS);
      const sub = this.onDidChangeState((s) => {
        if (s === 'connected' && this.client) {
          clearTimeout(timer);
          sub.dispose();
          resolve(this.client);
        } else if (s === 'failed' || s === 'stopped') {
          clearTimeout(timer);
          sub.dispose();
          reject(new FleetError(ErrorCodes.RuntimeUnavailable, `Could not connect to the Codex Fleet sidecar of ${this.folder.name}${this.errorValue ? `: ${this.errorValue}` : ''}`));
        }
      });
    });
  }

  private setState(state: ConnectionState, error?: string): void {
    this.errorValue = error;
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }

  private async connect(): Promise<void> {
    if (this.disposed || this.halted) return;
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    const client = this.createClient();
    this.client = client;
    client.onDidChangeState((e) => this.onClientState(client, e.newState));
    try {
      await client.start();
    } catch (e) {
      // onClientState saw the client stop and schedules the retry; only log here.
      this.ctx.log.warn(`${this.folder.name}: could not connect to the sidecar: ${describeError(e, true)}`);
    }
  }

  private createClient(): FleetLanguageClient {
    const serverOptions = async (): Promise<StreamInfo> => {
      const config = this.ctx.config.forFolder(this.folder.uri);
      const { env, sidecarArgs } = sidecarLaunchSettings(config, this.folder.uri.fsPath, process.env);
      let launched: Awaited<ReturnType<typeof connectOrStart>>;
      try {
        launched = await connectOrStart({ workspace: this.folder.uri.fsPath, env, sidecarArgs, sidecarScript: this.ctx.sidecarScript });
      } catch (e) {
        this.attemptError = describeError(e, false);
        throw e;
      }
      const { socket, started, paths } = launched;
      this.attemptError = undefined;
      this.startedSidecar = started;
      this.ctx.log.info(`${this.folder.name}: ${started ? 'started a sidecar' : 'attached to the sidecar'} at ${paths.socketPath}`);
      return { reader: socket, writer: socket };
    };
    const errorHandler: ErrorHandler = {
      error: (_error, _message, count): ErrorHandlerResult => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: (): CloseHandlerResult => {
        if (this.disposed || this.halted) return { action: CloseAction.DoNotRestart, handled: true };
        const counted = this.lossCounted;
        this.lossCounted = true;
        if (!counted && this.budget.recordCrash(Date.now()).action === 'fail') {
          return { action: CloseAction.DoNotRestart, handled: true, message: `The sidecar connection of ${this.folder.name} closed too often; not reconnecting` };
        }
        this.expectRestart = true;
        this.ctx.log.warn(`${this.folder.name}: the sidecar connection closed; reconnecting (from seq ${this.lastSeq})`);
        return { action: CloseAction.Restart, handled: true };
      },
    };
    const options: LanguageClientOptions = {
      documentSelector: [],
      outputChannel: this.ctx.log.channel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { logs: true },
      initializationFailedHandler: () => false,
      errorHandler,
    };
    const client = new FleetLanguageClient('codexFleetSidecar', `Codex Fleet (${this.folder.name})`, serverOptions, options);
    const version = this.ctx.version;
    client.registerFeature({
      fillInitializeParams: (params: LspInitializeParams) => {
        params.clientInfo = { name: 'vscode', version };
      },
      fillClientCapabilities: () => undefined,
      initialize: () => undefined,
      getState: () => ({ kind: 'static' }),
      clear: () => undefined,
    });
    client.onNotification(EventNotification.method, (e: FleetEvent) => {
      if (client !== this.client) return;
      if (e.seq <= this.lastSeq) return; // already seen (an overlapping replay)
      this.lastSeq = e.seq;
      this.eventEmitter.fire(e);
    });
    client.onNotification(LogNotification.method, (m: LogMessage) => this.logEmitter.fire(m));
    client.onNotification(StoppingNotification.method, (p: StoppingParams) => {
      if (client !== this.client || p?.reason !== 'requested') return;
      // Stopped on purpose (e.g. `codex-fleet stop`): do not start a new sidecar behind the user's back.
      this.ctx.log.info(`${this.folder.name}: the sidecar was stopped by ${p.by ?? 'a client'}; not reconnecting (use Codex Fleet: Reconnect)`);
      this.errorValue = `stopped by ${p.by ?? 'a client'}`;
      void this.stop();
    });
    client.onNotification(AgentsOutput.method, (o: { name: string; data: string }) => {
      if (client === this.client && typeof o?.name === 'string' && typeof o.data === 'string') this.agentOutputEmitter.fire(o);
    });
    return client;
  }

  private onClientState(client: FleetLanguageClient, newState: State): void {
    if (client !== this.client || this.disposed || this.halted) return;
    if (newState === State.Running) {
      void this.onRunning(client);
    } else if (newState === State.Starting) {
      this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    } else if (newState === State.Stopped) {
      if (this.expectRestart) {
        // The error handler chose Restart: the client starts again on its own.
        this.expectRestart = false;
        this.setState('reconnecting');
        return;
      }
      this.expectRestart = false;
      this.client = undefined;
      void this.discard(client);
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    const cause = this.attemptError ?? 'the connection closed';
    this.outageAttempts++;
    if (this.outageAttempts > MAX_ATTEMPTS_PER_OUTAGE) {
      this.setState('failed', cause);
      this.ctx.log.error(`${this.folder.name}: giving up on the sidecar connection (${cause}); run "Codex Fleet: Reconnect" to try again`);
      return;
    }
    const delay = Math.min(8000, 250 * 2 ** (this.outageAttempts - 1));
    this.setState(this.everConnected ? 'reconnecting' : 'connecting', cause);
    this.ctx.log.info(`${this.folder.name}: retrying the sidecar connection in ${delay} ms`);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private async onRunning(client: FleetLanguageClient): Promise<void> {
    const init = client.initializeResult;
    if (!isFleetInitializeResult(init)) {
      this.setState('failed', 'the socket did not answer like a Codex Fleet sidecar');
      return;
    }
    const status = init.status;
    if (status.sidecar.protocolVersion !== PROTOCOL_VERSION && !this.versionWarned) {
      this.versionWarned = true;
      this.ctx.log.warn(`${this.folder.name}: the sidecar speaks protocol ${status.sidecar.protocolVersion}, this extension ${PROTOCOL_VERSION}; restart the sidecar if things misbehave`);
    }
    const identity = `${status.sidecar.pid}:${status.sidecar.startedAt}`;
    const sameSidecar = identity === this.sidecarIdentity;
    if (!sameSidecar) this.lastSeq = 0;
    this.sidecarIdentity = identity;
    let sub: SubscribeResult;
    try {
      sub = await client.sendRequest<SubscribeResult>(EventsSubscribe.method, this.lastSeq > 0 ? { sinceSeq: this.lastSeq } : {});
    } catch (e) {
      this.ctx.log.error(`${this.folder.name}: events/subscribe failed`, e);
      return; // the connection is going down; the close handler takes it from here
    }
    if (client !== this.client) return;
    const resync = !sameSidecar || sub.gap || !this.everConnected;
    this.ctx.log.info(
      `${this.folder.name}: connected to sidecar pid ${status.sidecar.pid}${sameSidecar ? `, replayed ${sub.replayed} events` : ''}${sub.gap ? ' (gap: re-reading state)' : ''}`,
    );
    this.everConnected = true;
    this.outageAttempts = 0;
    this.lossCounted = false;
    this.setState('connected');
    this.connectEmitter.fire({ status, resync, replayed: sub.replayed, started: this.startedSidecar });
  }

  private async discard(client: FleetLanguageClient): Promise<void> {
    try {
      if (client.state !== State.Stopped) await client.stop(2000);
    } catch {
      // stopping a client whose connection is gone fails; nothing to clean up then
    }
    try {
      await client.dispose();
    } catch {
      // already disposed
    }
  }

  /** Ask the sidecar to stop (`fleet/stop`) without reconnecting afterwards (until {@link reconnect}). */
  async stopSidecar(): Promise<void> {
    const client = this.client;
    this.halted = true;
    if (client && this.stateValue === 'connected') {
      // The sidecar drops its clients before it stops listening: once our connection closes, a new
      // connection cannot reach the old sidecar any more.
      const closed = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        client.onDidChangeState((e) => {
          if (e.newState === State.Stopped) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      try {
        await client.sendRequest(FleetStop.method, {});
        await closed;
      } catch (e) {
        this.ctx.log.warn(`${this.folder.name}: fleet/stop: ${describeError(e, false)}`);
      }
    }
    await this.stop();
  }

  /** Close this window's connection (LSP shutdown + exit). The sidecar keeps running. */
  async stop(): Promise<void> {
    this.halted = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.setState('stopped');
    if (client) await this.discard(client);
  }

  dispose(): void {
    this.disposed = true;
    void this.stop();
    this.eventEmitter.dispose();
    this.logEmitter.dispose();
    this.connectEmitter.dispose();
    this.stateEmitter.dispose();
    this.agentOutputEmitter.dispose();
  }
}
