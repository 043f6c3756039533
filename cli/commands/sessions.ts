/**
 * `codex-fleet sessions ...`: list, start, show and manage Codex sessions (threads). Sending
 * messages lives in `./sessionsTurns.ts`.
 */
import {
  SessionsArchive,
  SessionsCompact,
  SessionsFork,
  SessionsList,
  SessionsPin,
  SessionsRead,
  SessionsRename,
  SessionsResume,
  SessionsStart,
  SessionsUnarchive,
  type SessionsReadResult,
  type SessionsStartParams,
} from '../../protocol/sidecarProtocol';
import type { SessionSummary } from '../../protocol/types';
import { defineCommand, defineGroup, type Command, type CommandEntry } from '../args';
import { emit, type CommandContext } from '../context';
import { itemSummary, requestSummary } from '../eventFormat';
import { duration, oneLine, relativeTime, styleFor, table, toMs, truncate } from '../format';
import { activityText, checkDirectory, CONTROL_FLAGS, controlsFrom, SESSION_ARG, sessionDetails, sessionTitle } from './shared';
import { interruptCommand, queueCommand, sendCommand, steerCommand } from './sessionsTurns';

const list = defineCommand({
  name: 'list',
  summary: 'list sessions, newest first',
  description: [
    "Stored and loaded sessions merged: this workspace's by default, every session in CODEX_HOME with --all.",
    '--json prints {data: SessionSummary[], nextCursor?}.',
  ],
  positionals: [],
  flags: {
    archived: { type: 'boolean', description: 'list archived sessions instead' },
    all: { type: 'boolean', description: "every session in CODEX_HOME, not only this workspace's" },
    limit: { type: 'int', value: 'N', min: 1, description: 'at most N sessions' },
    cursor: { type: 'string', value: 'CURSOR', description: 'continue from an earlier page' },
  },
  examples: [`codex-fleet sessions list --limit 10`, `codex-fleet sessions list --archived --json`],
  async run(ctx, { flags }) {
    const client = await ctx.client();
    const res = await client.request(SessionsList, { archived: flags.archived || undefined, limit: flags.limit, cursor: flags.cursor, scope: flags.all ? 'all' : undefined });
    emit(ctx, res, () => {
      if (res.data.length === 0) return flags.archived ? 'No archived sessions.' : "No sessions yet. Start one with `codex-fleet sessions start`.";
      const style = styleFor(ctx.out, ctx.env);
      const now = ctx.now();
      const rows = res.data.map((s) => [s.id, activityText(s, style), relativeTime(s.updatedAt, now), sessionFlags(s) + sessionTitle(s)]);
      const lines = table(['ID', 'STATE', 'UPDATED', 'NAME / FIRST MESSAGE'], rows, {
        maxWidth: ctx.out.columns,
        headerStyle: style.bold,
      });
      if (res.nextCursor) lines.push('', `More: codex-fleet sessions list${flags.archived ? ' --archived' : ''}${flags.all ? ' --all' : ''} --cursor ${res.nextCursor}`);
      return lines;
    });
  },
});

/** Markers before the title: `[pinned]`, `[2 queued]`. */
function sessionFlags(s: SessionSummary): string {
  return [s.pinned ? '[pinned] ' : '', s.queued > 0 ? `[${s.queued} queued] ` : ''].join('');
}

const start = defineCommand({
  name: 'start',
  summary: 'start a new session',
  description: ["--json prints the SessionSummary (its 'id' is the session id). Send it a message with 'sessions send'."],
  positionals: [],
  flags: {
    cwd: { type: 'string', value: 'DIR', description: 'working directory of the session (default: the workspace folder)' },
    ...CONTROL_FLAGS,
    network: { type: 'boolean', description: 'allow network access in the workspace-write sandbox' },
    name: { type: 'string', value: 'NAME', description: 'a name for the session' },
  },
  examples: [
    `codex-fleet sessions start --approval-policy on-request --sandbox workspace-write --name "fix tests"`,
    "id=$(codex-fleet sessions start --json | jq -r .id)",
  ],
  async run(ctx, { flags }) {
    const params: SessionsStartParams = { ...controlsFrom(flags) };
    if (flags.cwd !== undefined) params.cwd = checkDirectory(flags.cwd, '--cwd');
    if (flags.name !== undefined) params.name = flags.name;
    const client = await ctx.client();
    const { session } = await client.request(SessionsStart, params);
    emit(ctx, session, () => [`Started session ${session.id}`, ...sessionDetails(session, ctx.now()).slice(1)]);
  },
});

const show = defineCommand({
  name: 'show',
  summary: 'show a session: details, turns, queued messages and pending requests',
  description: ['--json prints {session, turns, queue, pending}.'],
  positionals: [SESSION_ARG],
  flags: { items: { type: 'boolean', description: "include every turn's items (messages, commands, file changes)" } },
  async run(ctx, { args, flags }) {
    const client = await ctx.client();
    const res = await client.request(SessionsRead, { sessionId: args.id, includeItems: flags.items });
    emit(ctx, res, () => renderSession(ctx, res, flags.items));
  },
});

function renderSession(ctx: CommandContext, res: SessionsReadResult, items: boolean): string[] {
  const now = ctx.now();
  const style = styleFor(ctx.out, ctx.env);
  const lines = sessionDetails(res.session, now);
  lines.push('', style.bold(`Turns (${res.turns.length})`));
  if (res.turns.length === 0) lines.push('  none yet');
  for (const turn of res.turns) {
    const took = turn.durationMs != null ? duration(turn.durationMs) : undefined;
    const when = turn.startedAt ? relativeTime(toMs(turn.startedAt), now) : undefined;
    const error = turn.error ? ` — ${truncate(oneLine(turn.error.message), 120)}` : '';
    lines.push(`  ${turn.id}  ${turn.status}${[when, took].filter(Boolean).map((s) => `  ${s}`).join('')}${error}`);
    if (items) for (const item of turn.items) lines.push(`      ${itemSummary(item)}`);
  }
  if (res.queue.length > 0) {
    lines.push('', style.bold(`Queued (${res.queue.length})`));
    for (const q of res.queue) lines.push(`  ${q.id}  ${relativeTime(q.queuedAt, now)}  ${truncate(oneLine(q.text), 100)}`);
  }
  if (res.pending.length > 0) {
    lines.push('', style.bold(`Pending requests (${res.pending.length})`));
    for (const r of res.pending) lines.push(`  ${r.id}  ${r.kind}  ${requestSummary(r)}`);
    lines.push("  answer with `codex-fleet approvals decide ID ...` or `codex-fleet input answer ID ...`");
  }
  return lines;
}

/** A command taking a session id and printing the resulting session. */
function sessionAction(
  name: string,
  summary: string,
  verb: string,
  call: (ctx: CommandContext, id: string) => Promise<SessionSummary>,
): Command {
  return defineCommand({
    name,
    summary,
    description: ['--json prints the SessionSummary.'],
    positionals: [SESSION_ARG],
    flags: {},
    async run(ctx, { args }) {
      const session = await call(ctx, args.id);
      emit(ctx, session, () => `${verb} session ${session.id}${session.name ? ` (${session.name})` : ''}`);
    },
  });
}

const resume = sessionAction('resume', 'load a stored session into the runtime', 'Resumed', async (ctx, id) =>
  (await (await ctx.client()).request(SessionsResume, { sessionId: id })).session,
);
const archive = sessionAction('archive', 'archive a session (expires its pending requests)', 'Archived', async (ctx, id) =>
  (await (await ctx.client()).request(SessionsArchive, { sessionId: id })).session,
);
const unarchive = sessionAction('unarchive', 'restore an archived session', 'Unarchived', async (ctx, id) =>
  (await (await ctx.client()).request(SessionsUnarchive, { sessionId: id })).session,
);
const pin = sessionAction('pin', 'pin a session', 'Pinned', async (ctx, id) =>
  (await (await ctx.client()).request(SessionsPin, { sessionId: id, pinned: true })).session,
);
const unpin = sessionAction('unpin', 'unpin a session', 'Unpinned', async (ctx, id) =>
  (await (await ctx.client()).request(SessionsPin, { sessionId: id, pinned: false })).session,
);

const fork = defineCommand({
  name: 'fork',
  summary: 'fork a session into a new one',
  description: ['Copies the conversation (up to and including --turn, if given) into a new session. --json prints the new SessionSummary.'],
  positionals: [SESSION_ARG],
  flags: {
    turn: { type: 'string', value: 'TURN_ID', description: 'keep turns up to and including this one' },
    name: { type: 'string', value: 'NAME', description: 'a name for the new session' },
  },
  async run(ctx, { args, flags }) {
    const client = await ctx.client();
    const { session } = await client.request(SessionsFork, { sessionId: args.id, lastTurnId: flags.turn, name: flags.name });
    emit(ctx, session, () => `Forked ${args.id} into session ${session.id}`);
  },
});

const rename = defineCommand({
  name: 'rename',
  summary: 'rename a session',
  positionals: [SESSION_ARG, { name: 'name', value: 'NAME', rest: true, description: 'the new name' }],
  flags: {},
  async run(ctx, { args }) {
    const client = await ctx.client();
    const { session } = await client.request(SessionsRename, { sessionId: args.id, name: args.name.join(' ') });
    emit(ctx, session, () => `Renamed session ${session.id} to "${session.name ?? args.name.join(' ')}"`);
  },
});

const compact = defineCommand({
  name: 'compact',
  summary: "compact a session's context (summarize earlier turns)",
  positionals: [SESSION_ARG],
  flags: {},
  async run(ctx, { args }) {
    const client = await ctx.client();
    await client.request(SessionsCompact, { sessionId: args.id });
    emit(ctx, { sessionId: args.id, compacting: true }, () => `Compacting session ${args.id}`);
  },
});

export const sessionsGroup = defineGroup(
  'sessions',
  'start, list and drive Codex sessions',
  [list, start, show, sendCommand, steerCommand, queueCommand, interruptCommand, resume, fork, archive, unarchive, rename, compact, pin, unpin],
  ['A session is a Codex thread. Sessions keep running in the sidecar after the CLI exits.'],
);

export const entries: CommandEntry[] = [sessionsGroup];
