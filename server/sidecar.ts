/**
 * The sidecar's composition root: state dir, log, durable store, event bus, the supervised
 * `codex app-server`, sessions, requests, account, client connections and the idle shutdown.
 */
import { mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { StatePaths } from '../sdk/stateDir';
import { StoppingNotification, type StoppingParams } from '../protocol/sidecarProtocol';
import { PROTOCOL_VERSION, type FleetEventBody, type FleetStatus } from '../protocol/types';
import { AccountService } from './account/accountService';
import { ClientHub } from './clients/clientHub';
import { EventBus } from './events/eventBus';
import { RuntimeEvents } from './events/runtimeEvents';
import { registerHandlers } from './handlers';
import { wireAgents } from './agents/agentHandlers';
import type { AgentManager } from './agents/agentManager';
import { FileLogger } from './logger';
import { PendingRequests } from './requests/pendingRequests';
import { AppServerSupervisor } from './runtime/appServerSupervisor';
import { SessionRegistry } from './sessions/sessionRegistry';
import { SessionService } from './sessions/sessionService';
import { FleetStateStore } from './store/fleetState';
import { tidyStateDir } from './store/atomicFile';

export const SIDECAR_VERSION = '0.1.0';
/** How long a request waits for a (re)starting runtime before it fails with RuntimeUnavailable. */
const RUNTIME_WAIT_MS = 30_000;

export interface SidecarOptions {
  paths: StatePaths;
  env: NodeJS.ProcessEnv;
  idleTimeoutMs: number;
  ringSize: number;
  /** Also write the log to stderr (`--foreground`: someone watches this process's output). */
  echoLog: boolean;
  /** Called once a stop a client asked for (`fleet/stop`) has finished: main.ts ends the process there. */
  onStoppedOnRequest?: () => void;
}

export class Sidecar {
  readonly log: FileLogger;
  readonly bus: EventBus;
  readonly store: FleetStateStore;
  readonly registry = new SessionRegistry();
  readonly pending: PendingRequests;
  readonly supervisor: AppServerSupervisor;
  readonly sessions: SessionService;
  readonly account: AccountService;
  readonly hub: ClientHub;
  readonly agents: AgentManager;
  readonly startedAt = Date.now();
  private idleTimer: NodeJS.Timeout | undefined;
  /** Resuming the sessions a (re)started or taken-over runtime had loaded. */
  private restoring: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  /** Extra "busy" sources (e.g. running terminal agents) that keep the sidecar alive. */
  private readonly busyProbes: Array<() => number> = [];

  constructor(readonly opts: SidecarOptions) {
    mkdirSync(opts.paths.dir, { recursive: true, mode: 0o700 });
    chmodSync(opts.paths.dir, 0o700);
    const leftovers = tidyStateDir(opts.paths.dir);
    this.log = new FileLogger(opts.paths.logPath, 5 * 1024 * 1024, opts.echoLog);
    if (leftovers.length) this.log.info(`removed ${leftovers.length} temp file(s) left by an interrupted write`);
    this.bus = new EventBus(opts.ringSize);
    const emit = (body: FleetEventBody) => this.bus.emit(body);
    this.store = new FleetStateStore(opts.paths.dir, this.log, (message) => emit({ kind: 'sidecar/warning', message }));
    this.pending = new PendingRequests({
      emit,
      audit: (e) => this.store.audit(e),
      itemLookup: (t, i) => this.registry.findItem(t, i),
      allocateId: () => this.store.allocateRequestId(),
    });
    this.supervisor = new AppServerSupervisor({
      socketPath: opts.paths.appServerSocket,
      env: opts.env,
      cwd: opts.paths.workspace,
      clientVersion: SIDECAR_VERSION,
      log: this.log,
      appServerLog: this.log.forSource('app-server'),
      pidFile: join(opts.paths.dir, 'app-server.pid'),
    });
    const connection = () => this.supervisor.connection;
    this.sessions = new SessionService({ workspace: opts.paths.workspace, registry: this.registry, pending: this.pending, store: this.store, connection, emit, log: this.log });
    this.account = new AccountService(opts.env, connection, emit);
    const runtimeEvents = new RuntimeEvents({
      registry: this.registry,
      pending: this.pending,
      emit,
      emitDelta: (sessionId, turnId, itemId, stream, delta) => this.bus.emitDelta(sessionId, turnId, itemId, stream, delta),
      sessionChanged: (id) => this.sessions.changed(id),
      turnEnded: (id, turnId) => {
        this.sessions.turnEnded(id, turnId);
        this.scheduleIdleCheck();
      },
      rateLimitsChanged: (r) => this.account.setRateLimits(r),
      accountChanged: () => void this.account.refresh().catch(() => undefined),
      log: this.log,
    });
    // Requests that need Codex wait (bounded) for a runtime that is starting or restarting, and for
    // the sessions it had loaded to be resumed (so their re-sent requests are listed).
    this.hub = new ClientHub(this.log, async (method) => {
      if (!/^(sessions|requests|account)\//.test(method)) return;
      await this.supervisor.whenReady(RUNTIME_WAIT_MS);
      await this.restoring;
    });
    this.log.onLog((m) => this.hub.sendLog(m));
    this.bus.onEvent((e) => this.hub.pushEvent(e));

    let toRestore: string[] = [];
    this.supervisor.onDidChangeState((runtime) => emit({ kind: 'runtime/state', runtime }));
    this.supervisor.onDidCrash(({ error }) => {
      this.pending.expire(() => true, 'runtimeDied');
      toRestore = [...new Set([...toRestore, ...this.sessions.runtimeLost()])];
      this.log.warn(`runtime lost: ${error.split('\n')[0]}`);
    });
    this.supervisor.onDidLoseConnection(() => {
      // app-server lives: its turns go on, but requests it asked on the old connection cannot be answered there.
      this.pending.expire(() => true, 'runtimeDied');
      toRestore = [...new Set([...toRestore, ...this.sessions.connectionLost()])];
    });
    this.supervisor.onDidConnect((conn) => {
      runtimeEvents.attach(conn);
      const ids = toRestore;
      toRestore = [];
      // A runtime taken over from a sidecar that died has sessions loaded (maybe mid-turn): resume them too.
      this.restoring = conn
        .request('thread/loaded/list', {})
        .then((r) => r.data, () => [] as string[])
        .then((loaded) => this.sessions.restore([...ids, ...loaded]))
        .catch((e) => this.log.warn(`restoring sessions failed: ${String(e)}`));
      void this.account.refresh().catch((e) => this.log.warn(`account/read failed: ${String(e)}`));
      void this.account.readRateLimits();
    });
    this.hub.onDidConnect(() => this.clearIdle());
    this.hub.onDidDisconnect(() => this.scheduleIdleCheck());
    registerHandlers(this);
    this.agents = wireAgents(this);
  }

  addBusyProbe(probe: () => number): void {
    this.busyProbes.push(probe);
  }

  status(): FleetStatus {
    const running = this.registry.all().filter((s) => s.activeTurnId).length;
    return {
      sidecar: {
        pid: process.pid,
        version: SIDECAR_VERSION,
        protocolVersion: PROTOCOL_VERSION,
        workspace: this.opts.paths.workspace,
        stateDir: this.opts.paths.dir,
        socketPath: this.opts.paths.socketPath,
        startedAt: this.startedAt,
        clients: this.hub.list(),
        idleTimeoutMs: this.opts.idleTimeoutMs,
      },
      runtime: this.supervisor.info,
      auth: this.account.readiness(),
      counts: {
        sessionsLoaded: this.registry.loaded().length,
        running,
        pendingRequests: this.pending.size,
        queued: this.store.allQueued().length,
        agents: this.busyProbes.reduce((n, p) => n + p(), 0),
      },
      lastSeq: this.bus.lastSeq,
      rateLimits: this.account.rateLimits,
    };
  }

  async start(): Promise<void> {
    await this.hub.listen(this.opts.paths.socketPath);
    this.log.info(`sidecar ${SIDECAR_VERSION} pid ${process.pid} listening on ${this.opts.paths.socketPath} for ${this.opts.paths.workspace}`);
    void this.supervisor.start();
    this.scheduleIdleCheck();
  }

  private isIdle(): boolean {
    if (this.hub.count > 0) return false;
    if (this.registry.all().some((s) => s.activeTurnId)) return false;
    if (this.store.allQueued().length > 0 && this.supervisor.state === 'ready') return false;
    return this.busyProbes.every((p) => p() === 0);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Re-arm the idle timer; when it fires and nothing is going on, the sidecar stops itself. */
  scheduleIdleCheck(): void {
    this.clearIdle();
    if (this.opts.idleTimeoutMs <= 0 || !this.isIdle()) return;
    this.idleTimer = setTimeout(() => {
      if (this.isIdle()) {
        this.log.info(`idle for ${Math.round(this.opts.idleTimeoutMs / 1000)} s: stopping`);
        void this.stop({ reason: 'idle' });
      }
    }, this.opts.idleTimeoutMs);
    this.idleTimer.unref?.();
  }

  /** `fleet/stop`: stop, then tell the owner of the process ({@link SidecarOptions.onStoppedOnRequest}). */
  requestStop(by: string): void {
    void this.stop({ reason: 'requested', by }).then(() => this.opts.onStoppedOnRequest?.());
  }

  stop(reason: StoppingParams = { reason: 'signal' }): Promise<void> {
    this.stopping ??= (async () => {
      this.clearIdle();
      await this.hub.broadcast(StoppingNotification, reason);
      await this.agents.dispose();
      // New clients must not attach to a sidecar on its way out: they start a fresh one instead.
      void this.hub.stopAccepting();
      await this.supervisor.stop();
      await this.hub.close();
      this.log.info('sidecar stopped');
    })();
    return this.stopping;
  }
}
