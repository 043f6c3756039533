/**
 * A TUI agent: the interactive `codex` (in-process, `--no-daemon`) in a pty with its own CODEX_HOME,
 * watched through its hooks (state), its screen (readiness, dialogs) and its rollout (transcript).
 */
import type { AgentState, AgentWaitReason } from '../../protocol/types';
import { Emitter, type Disposable } from '../../sdk/emitter';
import { trustFoldersFor, writeAgentHome } from './agentHome';
import type { AgentRecord } from './agentRegistry';
import { agentEnv, AgentRuntime, type RuntimeContext } from './agentRuntime';
import { AgentStateMachine } from './agentState';
import { HookReceiver, type ReceivedHookEvent } from './hookReceiver';
import { readTranscript, TranscriptFollower } from './transcript';
import { DeliveryError, TuiDriver, type ScreenKind } from './tuiDriver';

/** Typing a message and seeing Codex take it must not take longer than this. */
const TYPING_TIMEOUT_MS = 15_000;

export interface SendResult {
  delivered: boolean;
  queued: boolean;
}

export class TuiAgentRuntime extends AgentRuntime {
  private readonly machine: AgentStateMachine;
  private readonly receiver: HookReceiver;
  private readonly follower: TranscriptFollower;
  private driver: TuiDriver | undefined;
  private driverSubs: Disposable[] = [];
  private readonly changes = new Emitter<void>();
  private readonly prompts = new Emitter<string>();
  private readonly screens = new Emitter<ScreenKind>();
  private stopping = false;
  private restarting = false;
  /** First message, given to codex as its PROMPT argument at the next fresh start. */
  private initialPrompt: string | undefined;

  constructor(record: AgentRecord, ctx: RuntimeContext, initialPrompt?: string) {
    super(record, ctx);
    this.initialPrompt = initialPrompt;
    this.machine = new AgentStateMachine({ rootSessionId: record.sessionId, transcriptPath: record.transcriptPath });
    const paths = ctx.registry.paths(record.name);
    this.receiver = new HookReceiver(paths.inbox, (e) => this.onHook(e), ctx.log);
    this.follower = new TranscriptFollower(paths.transcript, ctx.log);
    if (record.transcriptPath) this.follower.follow(record.transcriptPath, true);
  }

  liveState(): { state: AgentState; waitReason?: AgentWaitReason } {
    const s = this.machine.snapshot();
    return { state: s.state, waitReason: s.waitReason };
  }

  /** Subagents running now (their thread ids). */
  get subagents(): string[] {
    return this.machine.snapshot().subagents;
  }

  /** Fires on every applied hook event and process change (tests and waiters). */
  get onChange(): Emitter<void>['event'] {
    return this.changes.event;
  }

  /** The TUI's screen settled (after output), with what it shows. */
  get onScreen(): Emitter<ScreenKind>['event'] {
    return this.screens.event;
  }

  /** What the TUI shows now (undefined when not running). */
  screenKind(): ScreenKind | undefined {
    return this.isRunning ? this.driver?.screenKind() : undefined;
  }

  get queued(): number {
    return this.driver?.queued ?? 0;
  }

  async start(): Promise<void> {
    if (this.isRunning) return;
    const paths = this.ctx.registry.paths(this.name);
    const home = writeAgentHome({
      home: paths.home,
      inbox: paths.inbox,
      userCodexHome: this.ctx.userCodexHome,
      trustedFolders: this.record.consent ? trustFoldersFor(this.record.cwd) : [],
      controls: this.record.controls,
      overrides: this.record.configOverrides,
    });
    for (const w of home.warnings) this.ctx.log.warn(`agent ${this.name}: ${w}`);
    this.receiver.discardPending();
    this.receiver.start();
    const flags = ['--no-daemon', ...(this.record.bypassHookTrust ? ['--dangerously-bypass-hook-trust'] : [])];
    let args: string[];
    if (this.record.sessionId) args = ['resume', ...flags, this.record.sessionId];
    else {
      args = [...flags, ...(this.initialPrompt ? ['--', this.initialPrompt] : [])];
      this.initialPrompt = undefined;
    }
    this.stopping = false;
    this.machine.processStarted();
    const host = this.spawn(this.ctx.codexPath, args, this.record.cwd, agentEnv(this.ctx, home.home));
    const driver = new TuiDriver(
      host,
      { isIdle: () => this.machine.idle, onChange: this.changes.event, onPromptSubmit: this.prompts.event },
      { consent: this.record.consent, log: { info: (m) => this.ctx.log.info(`agent ${this.name}: ${m}`), warn: (m) => this.ctx.log.warn(`agent ${this.name}: ${m}`) } },
    );
    this.driver = driver;
    this.driverSubs = [
      driver.onReady(() => {
        this.machine.ready();
        this.update();
      }),
      driver.onDialog((kind) => void this.onDialog(kind)),
      driver.onScreen((kind) => this.screens.fire(kind)),
    ];
    void host.exited.then((exit) => {
      if (this.host !== host) return;
      this.record.lastExit = { code: exit.exitCode, signal: exit.signal, at: Date.now() };
      this.machine.processExited(this.stopping ? 'stopped' : 'exited');
      this.dropDriver(this.stopping ? 'the agent was stopped' : `the agent exited (code ${exit.exitCode})`);
      this.receiver.scan();
      this.follower.poll();
      if (!this.stopping) this.ctx.log.info(`agent ${this.name}: TUI exited (code ${exit.exitCode}${exit.signal ? `, signal ${exit.signal}` : ''})`);
      if (!this.restarting) this.update();
    });
    this.update();
  }

  private dropDriver(reason: string): void {
    for (const s of this.driverSubs) s.dispose();
    this.driverSubs = [];
    this.driver?.dispose(reason);
    this.driver = undefined;
  }

  private async onDialog(kind: string): Promise<void> {
    if (kind === 'hooksReview') {
      if (this.record.consent && !this.record.bypassHookTrust) {
        this.ctx.log.warn(`agent ${this.name}: Codex did not accept our hook trust entries; restarting with --dangerously-bypass-hook-trust (consented)`);
        this.record.bypassHookTrust = true;
        this.restarting = true;
        try {
          await this.stop();
          await this.start();
        } finally {
          this.restarting = false;
        }
        return;
      }
      this.ctx.warn(`agent ${this.name}: Codex asks to review its hooks; answer in the agent's terminal (Trust all), or recreate the agent with consent`);
    } else if (kind === 'trust') {
      this.ctx.warn(`agent ${this.name}: Codex asks whether to trust ${this.record.cwd}; answer in the agent's terminal, or give consent`);
    }
  }

  private onHook(e: ReceivedHookEvent): void {
    const before = this.machine.snapshot();
    const r = this.machine.apply(e);
    if (!r.applied) {
      this.ctx.log.info(`agent ${this.name}: hook ${e.event} not applied: ${r.reason}`);
      return;
    }
    const after = this.machine.snapshot();
    if (after.rootSessionId && after.rootSessionId !== this.record.sessionId) this.record.sessionId = after.rootSessionId;
    if (after.transcriptPath && after.transcriptPath !== before.transcriptPath) {
      this.record.transcriptPath = after.transcriptPath;
      this.follower.follow(after.transcriptPath, before.transcriptPath === undefined);
    } else this.follower.poll();
    if (e.event === 'UserPromptSubmit' && e.payload.agent_id === undefined) this.prompts.fire(typeof e.payload.prompt === 'string' ? e.payload.prompt : '');
    this.update();
  }

  private update(): void {
    this.changed();
    this.changes.fire();
  }

  /**
   * Deliver a message. A busy agent's message waits in the queue (never dropped while the agent
   * runs). With `wait`, resolve once Codex took it, or after `timeoutMs` with `queued: true` if it
   * is still waiting its turn; without, return at once when it has to wait.
   */
  async send(text: string, timeoutMs: number, wait: boolean): Promise<SendResult> {
    if (!this.driver || !this.isRunning) throw new DeliveryError(`agent ${this.name} is not running (start it first)`, 'queued');
    const busy = !this.machine.idle || this.driver.queued > 0;
    const delivery = this.driver.send(text, TYPING_TIMEOUT_MS);
    let answered = false; // once we returned "queued", a later failure can only be reported
    delivery.done.catch((e: unknown) => {
      if (answered) this.ctx.warn(`agent ${this.name}: a queued message was not delivered: ${e instanceof Error ? e.message : String(e)}`);
    });
    const queued = (): SendResult => {
      answered = true;
      return { delivered: false, queued: true };
    };
    if (!wait && busy) return queued();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    try {
      const first = await Promise.race([delivery.done.then(() => 'delivered' as const), timedOut]);
      if (first === 'delivered') return { delivered: true, queued: busy };
      if (!delivery.typed) return queued();
      await delivery.done; // being typed: its own deadline applies
      return { delivered: true, queued: busy };
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    const host = this.host;
    if (!host?.isRunning) {
      this.machine.processExited('stopped');
      this.update();
      return;
    }
    this.stopping = true;
    const quit = async (): Promise<void> => {
      for (let i = 0; i < 3 && host.isRunning; i++) {
        host.write('\x03');
        await new Promise((r) => setTimeout(r, 400));
      }
    };
    await host.stop(quit);
    await new Promise((r) => setImmediate(r)); // let the exit handler run
  }

  transcript(raw: boolean, since = 0): { entries: unknown[]; next: number } {
    this.follower.poll();
    return readTranscript(raw ? this.follower.rawPath : this.follower.commonPath, since);
  }

  async dispose(): Promise<void> {
    this.detachAll();
    this.stopping = true;
    if (this.host?.isRunning) await this.host.stop(undefined, { graceMs: 0, termMs: 1500 });
    this.dropDriver('the sidecar is shutting down');
    this.releaseHost();
    this.receiver.close();
    this.follower.close();
    this.changes.dispose();
    this.prompts.dispose();
    this.screens.dispose();
  }
}
