/**
 * A terminal agent's lifecycle state, derived from its Codex hook events and its process:
 * RUNNING / WAITING(reason) / STOPPED / DONE.
 *
 * - Subagent-aware: hook events of a subagent carry the root's `session_id` plus `agent_id`. A root
 *   `Stop` while subagents run keeps RUNNING until the last `SubagentStop`.
 * - Nested codex: a `codex` started by the agent's own tools shares its CODEX_HOME (and so our hooks)
 *   but has another `session_id`; once the root session id is recorded, such events are ignored. The
 *   root changes only when a new session starts while the agent is idle (e.g. `/new` in the TUI).
 * - Race-free by construction: events are applied one at a time, in order, and the state is a pure
 *   function of what was applied.
 */
import type { AgentState, AgentWaitReason } from '../../protocol/types';

/** One hook invocation as the reporter spooled it: the event name and Codex's stdin JSON. */
export interface HookEvent {
  event: string;
  payload: Record<string, unknown>;
}

export interface StateSnapshot {
  state: AgentState;
  waitReason?: AgentWaitReason;
  rootSessionId?: string;
  /** Rollout of the root session (from the hooks' transcript_path). */
  transcriptPath?: string;
  /** Running subagents (their thread ids). */
  subagents: string[];
}

export type ProcessPhase = 'starting' | 'ready' | 'stopped' | 'exited';

export type HookOutcome = { applied: true } | { applied: false; reason: string };

const ROOT = '';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export class AgentStateMachine {
  private phase: ProcessPhase = 'stopped';
  private rootSessionId: string | undefined;
  private transcriptPath: string | undefined;
  private rootTurn = false;
  private readonly subagents = new Set<string>();
  /** Who waits for the user, in arrival order: actor (ROOT or a subagent id) → reason. */
  private readonly waits = new Map<string, AgentWaitReason>();

  constructor(init: { rootSessionId?: string; transcriptPath?: string; phase?: ProcessPhase } = {}) {
    this.rootSessionId = init.rootSessionId;
    this.transcriptPath = init.transcriptPath;
    this.phase = init.phase ?? 'stopped';
  }

  /** The TUI process was (re)started: no turn in flight yet. */
  processStarted(): void {
    this.phase = 'starting';
    this.resetTurn();
  }

  /** The TUI shows its composer. */
  ready(): void {
    if (this.phase === 'starting') this.phase = 'ready';
  }

  /** The process ended: `stopped` when we stopped it, `exited` when it ended by itself. */
  processExited(how: 'stopped' | 'exited'): void {
    this.phase = how;
    this.resetTurn();
  }

  get isLive(): boolean {
    return this.phase === 'starting' || this.phase === 'ready';
  }

  private resetTurn(): void {
    this.rootTurn = false;
    this.subagents.clear();
    this.waits.clear();
  }

  private get busy(): boolean {
    return this.rootTurn || this.subagents.size > 0 || this.waits.size > 0;
  }

  /** Apply one hook event. Events of other sessions (nested codex) are not applied. */
  apply(e: HookEvent): HookOutcome {
    const p = e.payload;
    const sessionId = str(p.session_id);
    const agentId = str(p.agent_id);
    if (!this.isLive) return { applied: false, reason: 'process not running' };
    if (sessionId !== undefined && sessionId !== this.rootSessionId) {
      const canAdopt =
        this.rootSessionId === undefined || (e.event === 'SessionStart' && agentId === undefined && !this.busy);
      if (!canAdopt) return { applied: false, reason: `event of another session ${sessionId} (nested codex?)` };
      this.rootSessionId = sessionId;
    }
    this.phase = 'ready';
    const actor = agentId ?? ROOT;
    if (agentId === undefined && e.event !== 'SubagentStart') this.transcriptPath = str(p.transcript_path) ?? this.transcriptPath;
    if (agentId !== undefined && e.event !== 'SubagentStop') this.subagents.add(agentId);

    switch (e.event) {
      case 'SessionStart': // fires as the session's first turn begins
      case 'UserPromptSubmit':
      case 'PreModelRequest':
      case 'PostToolUse':
        this.activity(actor);
        break;
      case 'PreToolUse':
        this.activity(actor);
        if (p.tool_name === 'request_user_input') this.waits.set(actor, 'userInput');
        break;
      case 'PermissionRequest':
        this.activity(actor);
        this.waits.delete(actor);
        this.waits.set(actor, 'approval');
        break;
      case 'SubagentStart':
        break;
      case 'SubagentStop':
        if (agentId !== undefined) {
          this.subagents.delete(agentId);
          this.waits.delete(agentId);
        }
        break;
      case 'Stop':
      case 'Interrupt':
        if (agentId !== undefined) {
          this.subagents.delete(agentId);
          this.waits.delete(agentId);
        } else {
          this.rootTurn = false;
          this.waits.delete(ROOT);
        }
        break;
      case 'SessionEnd':
        if (agentId === undefined) this.resetTurn();
        break;
      default:
        return { applied: false, reason: `unknown hook event ${e.event}` };
    }
    return { applied: true };
  }

  private activity(actor: string): void {
    this.waits.delete(actor);
    if (actor === ROOT) this.rootTurn = true;
  }

  snapshot(): StateSnapshot {
    const base = { rootSessionId: this.rootSessionId, transcriptPath: this.transcriptPath, subagents: [...this.subagents] };
    switch (this.phase) {
      case 'stopped':
        return { ...base, state: 'STOPPED' };
      case 'exited':
        return { ...base, state: 'DONE' };
      case 'starting':
        if (!this.busy) return { ...base, state: 'WAITING', waitReason: 'starting' };
        break;
      case 'ready':
        break;
    }
    const waits = [...this.waits.values()];
    if (waits.length > 0) return { ...base, state: 'WAITING', waitReason: waits[waits.length - 1] };
    if (this.rootTurn || this.subagents.size > 0) return { ...base, state: 'RUNNING' };
    return { ...base, state: 'WAITING', waitReason: 'endOfTurn' };
  }

  /** Idle at the composer: the moment a queued message can be typed. */
  get idle(): boolean {
    return this.phase === 'ready' && !this.busy;
  }
}
