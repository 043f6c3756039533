/**
 * A session agent: a session on the workspace's app-server, shown live by a Codex TUI attached as a
 * viewer (`codex resume <id> --remote unix://<app-server socket>`). The sidecar drives and watches
 * the session through its own protocol (no screen scraping); stopping or closing the viewer never
 * stops the session.
 */
import type { AgentState, AgentWaitReason, SessionActivity, TurnControls } from '../../protocol/types';
import type { Disposable } from '../../sdk/emitter';
import { writeAgentHome } from './agentHome';
import type { AgentRecord } from './agentRegistry';
import { agentEnv, AgentRuntime, type RuntimeContext } from './agentRuntime';
import { readTranscript, TranscriptFollower } from './transcript';

/** What a session agent needs from the sidecar's session layer. */
export interface SessionBridge {
  /** Start a new session on the app-server. */
  start(params: { cwd: string; controls?: TurnControls; name?: string }): Promise<{ sessionId: string }>;
  /** Send a message (queued by the session layer when a turn is running). */
  send(sessionId: string, text: string): Promise<void>;
  /** The session's activity and rollout path; undefined when unknown. */
  read(sessionId: string): Promise<{ activity: SessionActivity; path?: string } | undefined>;
  /** Activity changes of any session. */
  onActivity(listener: (e: { sessionId: string; activity: SessionActivity; path?: string }) => void): Disposable;
}

export function activityState(a: SessionActivity): { state: AgentState; waitReason?: AgentWaitReason } {
  switch (a) {
    case 'running':
      return { state: 'RUNNING' };
    case 'waitingOnApproval':
      return { state: 'WAITING', waitReason: 'approval' };
    case 'waitingOnUserInput':
      return { state: 'WAITING', waitReason: 'userInput' };
    default:
      return { state: 'WAITING', waitReason: 'endOfTurn' };
  }
}

export class SessionAgentRuntime extends AgentRuntime {
  private activity: SessionActivity = 'notLoaded';
  private stopped = true;
  private readonly follower: TranscriptFollower;
  private readonly sub: Disposable;

  constructor(
    record: AgentRecord,
    ctx: RuntimeContext,
    private readonly bridge: SessionBridge,
    private readonly socket: () => string | undefined,
  ) {
    super(record, ctx);
    this.follower = new TranscriptFollower(ctx.registry.paths(record.name).transcript, ctx.log);
    if (record.transcriptPath) this.follower.follow(record.transcriptPath, true);
    this.sub = bridge.onActivity((e) => {
      if (e.sessionId !== this.record.sessionId) return;
      this.activity = e.activity;
      this.trackPath(e.path);
      this.changed();
    });
  }

  liveState(): { state: AgentState; waitReason?: AgentWaitReason } {
    if (this.stopped) return { state: 'STOPPED' };
    return activityState(this.activity);
  }

  private trackPath(path: string | undefined): void {
    if (!path || path === this.record.transcriptPath) {
      this.follower.poll();
      return;
    }
    this.record.transcriptPath = path;
    this.follower.follow(path, true);
  }

  async start(): Promise<void> {
    if (this.isRunning) return;
    const sessionId = this.record.sessionId;
    if (!sessionId) throw new Error(`session agent ${this.name} has no session`);
    const sock = this.socket();
    if (!sock) throw new Error("the workspace's app-server socket is not available (is the runtime up?)");
    const info = await this.bridge.read(sessionId);
    if (info) {
      this.activity = info.activity;
      this.trackPath(info.path);
    }
    const paths = this.ctx.registry.paths(this.name);
    const home = writeAgentHome({ home: paths.home, inbox: paths.inbox, userCodexHome: this.ctx.userCodexHome, trustedFolders: [] });
    const host = this.spawn(this.ctx.codexPath, ['resume', '--remote', `unix://${sock}`, sessionId], this.record.cwd, agentEnv(this.ctx, home.home));
    this.stopped = false;
    void host.exited.then((exit) => {
      if (this.host !== host) return;
      this.record.lastExit = { code: exit.exitCode, signal: exit.signal, at: Date.now() };
      this.notice(`viewer exited (code ${exit.exitCode}); the session continues — \`codex-fleet agents start ${this.name}\` reopens it`);
      this.stopped = true;
      this.changed();
    });
    this.changed();
  }

  async send(text: string): Promise<void> {
    if (!this.record.sessionId) throw new Error(`session agent ${this.name} has no session`);
    await this.bridge.send(this.record.sessionId, text);
  }

  async stop(): Promise<void> {
    const host = this.host;
    this.stopped = true;
    if (host?.isRunning) await host.stop(() => host.write('\x03'), { graceMs: 1500, termMs: 1500 });
    this.changed();
  }

  transcript(raw: boolean, since = 0): { entries: unknown[]; next: number } {
    this.follower.poll();
    return readTranscript(raw ? this.follower.rawPath : this.follower.commonPath, since);
  }

  async dispose(): Promise<void> {
    this.detachAll();
    this.sub.dispose();
    if (this.host?.isRunning) await this.host.stop(undefined, { graceMs: 0, termMs: 1500 });
    this.releaseHost();
    this.follower.close();
  }
}
