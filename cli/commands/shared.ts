/**
 * Pieces several commands share: the turn-control flags, message text and image handling,
 * and session rendering.
 */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { MessageInput } from '../../protocol/sidecarProtocol';
import { APPROVAL_POLICIES, REASONING_EFFORTS, SANDBOX_MODES, type SessionSummary, type TurnControls } from '../../protocol/types';
import { UsageError, type FlagSpec } from '../args';
import { CliError, CliErrorCodes, ExitCode, type CommandContext } from '../context';
import { keyValues, relativeTime, truncate, oneLine, type Style } from '../format';

/** Per-session / per-turn controls, as flags. */
export const CONTROL_FLAGS = {
  model: { type: 'string', value: 'MODEL', description: 'model to use (default: Codex configuration)' },
  effort: { type: 'string', value: 'EFFORT', choices: REASONING_EFFORTS, description: 'reasoning effort' },
  approvalPolicy: { type: 'string', value: 'POLICY', choices: APPROVAL_POLICIES, description: 'when Codex asks before acting' },
  sandbox: { type: 'string', value: 'MODE', choices: SANDBOX_MODES, description: 'sandbox for commands' },
} as const satisfies Record<string, FlagSpec>;

/** Per-turn only: Codex's plan collaboration mode. */
export const PLAN_FLAG = {
  type: 'boolean',
  description: "plan mode for this turn: Codex may stop to ask questions (see `codex-fleet input list`)",
} as const satisfies FlagSpec;

export interface ControlFlagValues {
  model?: string;
  effort?: TurnControls['effort'];
  approvalPolicy?: TurnControls['approvalPolicy'];
  sandbox?: TurnControls['sandbox'];
  network?: boolean;
  plan?: boolean;
}

/** The controls given on the command line, or undefined when none was. */
export function controlsFrom(flags: ControlFlagValues): TurnControls | undefined {
  const c: TurnControls = {};
  if (flags.model !== undefined) c.model = flags.model;
  if (flags.effort !== undefined) c.effort = flags.effort;
  if (flags.approvalPolicy !== undefined) c.approvalPolicy = flags.approvalPolicy;
  if (flags.sandbox !== undefined) c.sandbox = flags.sandbox;
  if (flags.network) c.networkAccess = true;
  if (flags.plan) c.collaborationMode = 'plan';
  return Object.keys(c).length > 0 ? c : undefined;
}

export const IMAGE_FLAG = {
  type: 'string',
  value: 'PATH',
  repeat: true,
  description: 'attach a local image file',
} as const satisfies FlagSpec;

export const TEXT_ARG = {
  name: 'text',
  value: 'TEXT',
  rest: true,
  description: "the message (several words are joined with spaces; '-' reads it from standard input)",
} as const;

export const SESSION_ARG = { name: 'id', value: 'ID', description: "session id (see `codex-fleet sessions list`)" } as const;

/** Message text from the positional words (or stdin for `-`) and images resolved against the cwd. */
export async function messageInput(ctx: CommandContext, words: string[], images: string[], path: string[]): Promise<MessageInput> {
  let text = words.join(' ');
  if (words.length === 1 && words[0] === '-') text = (await ctx.readStdin()).replace(/\r?\n$/, '');
  if (text.trim() === '') throw new UsageError('the message text is empty', path);
  const input: MessageInput = { text };
  if (images.length > 0) input.images = images.map(checkImage);
  return input;
}

/** An image path made absolute, after checking it is a readable file. */
export function checkImage(p: string): string {
  const abs = isAbsolute(p) ? p : resolve(process.cwd(), p);
  let isFile: boolean;
  try {
    isFile = statSync(abs).isFile();
  } catch {
    throw new CliError(`image not found: ${abs}`, ExitCode.Error, CliErrorCodes.InvalidParams);
  }
  if (!isFile) throw new CliError(`image is not a file: ${abs}`, ExitCode.Error, CliErrorCodes.InvalidParams);
  return abs;
}

/** A directory option made absolute, after checking it exists. */
export function checkDirectory(p: string, what: string): string {
  const abs = resolve(process.cwd(), p);
  let ok = false;
  try {
    ok = statSync(abs).isDirectory();
  } catch {
    // reported below
  }
  if (!ok) throw new CliError(`${what} is not a directory: ${abs}`, ExitCode.Error, CliErrorCodes.InvalidParams);
  return abs;
}

export function sessionTitle(s: SessionSummary): string {
  return s.name ?? (s.preview ? oneLine(s.preview) : '(no messages yet)');
}

export function activityText(s: SessionSummary, style: Style): string {
  switch (s.activity) {
    case 'running':
      return style.green('running');
    case 'waitingOnApproval':
      return style.yellow('approval');
    case 'waitingOnUserInput':
      return style.yellow('input');
    case 'systemError':
      return style.red('error');
    case 'notLoaded':
      return style.dim('stored');
    case 'idle':
      return 'idle';
  }
}

/** The key/value block describing one session. */
export function sessionDetails(s: SessionSummary, now: number): string[] {
  const flags = [s.archived ? 'archived' : undefined, s.pinned ? 'pinned' : undefined, s.loaded ? 'loaded' : undefined].filter(Boolean).join(', ');
  return keyValues([
    ['session', s.id],
    ['name', s.name],
    ['preview', s.preview ? truncate(oneLine(s.preview), 200) : undefined],
    ['activity', `${s.activity}${s.activeTurnId ? ` (turn ${s.activeTurnId})` : ''}`],
    ['cwd', s.cwd],
    ['model', s.model ? `${s.model}${s.modelProvider ? ` (${s.modelProvider})` : ''}` : undefined],
    ['flags', flags],
    ['queued', s.queued > 0 ? String(s.queued) : undefined],
    ['forked from', s.forkedFromId],
    ['created', `${relativeTime(s.createdAt, now)}`],
    ['updated', `${relativeTime(s.updatedAt, now)}`],
    ['rollout', s.path],
  ]);
}
