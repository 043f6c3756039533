/**
 * `codex-fleet agents ...`: terminal agents (Codex TUIs supervised by the sidecar, or sessions
 * shown in a terminal). `attach` lives in `./agentsAttach.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AgentsAdopt,
  AgentsCreate,
  AgentsDestroy,
  AgentsList,
  AgentsSend,
  AgentsStart,
  AgentsStop,
  AgentsTranscript,
  type AgentsCreateParams,
} from '../../protocol/sidecarProtocol';
import type { AgentSummary } from '../../protocol/types';
import { defineCommand, defineGroup, UsageError, type CommandEntry } from '../args';
import { CliError, CliErrorCodes, emit, ExitCode, type CommandContext } from '../context';
import { escapeControls, keyValues, relativeTime, styleFor, table, type Style } from '../format';
import { attachCommand } from './agentsAttach';
import { CONTROL_FLAGS, controlsFrom, TEXT_ARG } from './shared';

const NAME_ARG = { name: 'name', value: 'NAME', description: 'agent name (lowercase letters, digits, - and _)' } as const;

export function stateText(a: AgentSummary, style: Style): string {
  switch (a.state) {
    case 'RUNNING':
      return style.green('RUNNING');
    case 'WAITING':
      return a.waitReason === 'approval' || a.waitReason === 'userInput' ? style.yellow(`WAITING (${a.waitReason})`) : `WAITING${a.waitReason && a.waitReason !== 'endOfTurn' ? ` (${a.waitReason})` : ''}`;
    case 'STOPPED':
      return style.dim('STOPPED');
    case 'DONE':
      return style.dim('DONE');
  }
}

function agentDetails(a: AgentSummary, now: number): string[] {
  return keyValues([
    ['agent', a.name],
    ['kind', a.kind],
    ['state', `${a.state}${a.waitReason ? ` (${a.waitReason})` : ''}`],
    ['session', a.sessionId],
    ['cwd', a.cwd],
    ['branch', a.branch ? `${a.branch}${a.baseRef ? ` (from ${a.baseRef.slice(0, 12)})` : ''}` : undefined],
    ['pid', a.pid !== undefined ? String(a.pid) : undefined],
    ['model', a.controls?.model],
    ['created', relativeTime(a.createdAt, now)],
  ]);
}

/** Whether the user already consented for this workspace (remembered by the sidecar). */
function consentRemembered(ctx: CommandContext, stateDir: string): boolean {
  const file = join(stateDir, 'agents', 'consent.json');
  if (!existsSync(file)) return false;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as { folders?: Record<string, unknown> };
    return Object.keys(c.folders ?? {}).length > 0;
  } catch {
    return ctx.json; // unreadable: do not prompt in machine mode
  }
}

async function askConsent(ctx: CommandContext): Promise<boolean> {
  if (!process.stdin.isTTY || !ctx.err.isTTY || ctx.json) return false;
  ctx.err.write(
    `Codex asks before working in a folder it does not trust yet. Trust ${ctx.workspace} for Codex Fleet agents ` +
      '(remembered; also allows running agents without hook review if Codex rejects our hooks)? [y/N] ',
  );
  const answer = await new Promise<string>((resolve) => {
    process.stdin.setEncoding('utf8');
    process.stdin.once('data', (d: string) => {
      process.stdin.pause();
      resolve(d);
    });
  });
  return /^y(es)?$/i.test(answer.trim());
}

const create = defineCommand({
  name: 'create',
  summary: 'create and start a terminal agent',
  description: [
    'A TUI agent runs the interactive Codex TUI in the sidecar with its own CODEX_HOME (your config and login carry over); ' +
      'a session agent shows a session of the workspace app-server in a Codex TUI viewer.',
    'The first time, Codex Fleet asks whether you trust the workspace folder (or pass --yes). --json prints the AgentSummary.',
  ],
  positionals: [NAME_ARG],
  flags: {
    kind: { type: 'string', value: 'KIND', choices: ['tui', 'session'] as const, description: 'tui (default) or session' },
    worktree: { type: 'boolean', description: 'give the agent its own git branch and worktree' },
    base: { type: 'string', value: 'REF', description: 'with --worktree: start the branch from REF (default HEAD)' },
    ...CONTROL_FLAGS,
    network: { type: 'boolean', description: 'allow network access in the workspace-write sandbox' },
    prompt: { type: 'string', value: 'TEXT', description: 'first message for the agent' },
    session: { type: 'string', value: 'ID', description: 'with --kind session: show this existing session' },
    yes: { type: 'boolean', description: 'consent to trusting the workspace folder without asking' },
  },
  examples: [
    'codex-fleet agents create fixer --worktree --prompt "fix the failing tests" --yes',
    'codex-fleet agents create viewer --kind session --session 01a2...',
  ],
  async run(ctx, { args, flags }) {
    if (flags.base !== undefined && !flags.worktree) throw new UsageError('--base needs --worktree', ['agents', 'create']);
    if (flags.session !== undefined && flags.kind !== 'session') throw new UsageError('--session needs --kind session', ['agents', 'create']);
    const client = await ctx.client();
    const params: AgentsCreateParams = { name: args.name, ...controlsFrom(flags) };
    if (flags.kind) params.kind = flags.kind;
    if (flags.worktree) params.worktree = true;
    if (flags.base !== undefined) params.baseRef = flags.base;
    if (flags.prompt !== undefined) params.prompt = flags.prompt;
    if (flags.session !== undefined) params.sessionId = flags.session;
    if (flags.yes) params.consent = true;
    else if (!consentRemembered(ctx, client.paths.dir) && (await askConsent(ctx))) params.consent = true;
    const { agent } = await client.request(AgentsCreate, params);
    emit(ctx, agent, () => [`Created agent ${agent.name}`, ...agentDetails(agent, ctx.now()).slice(1), '', `Attach: codex-fleet agents attach ${agent.name}`]);
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'list agents with their state',
  description: ['--json prints {data: AgentSummary[]}.'],
  positionals: [],
  flags: {},
  async run(ctx) {
    const client = await ctx.client();
    const res = await client.request(AgentsList);
    emit(ctx, res, () => {
      if (res.data.length === 0) return 'No agents. Create one with `codex-fleet agents create NAME`.';
      const style = styleFor(ctx.out, ctx.env);
      const now = ctx.now();
      const rows = res.data.map((a) => [a.name, a.kind, stateText(a, style), relativeTime(a.updatedAt, now), a.branch ?? a.cwd]);
      return table(['NAME', 'KIND', 'STATE', 'UPDATED', 'BRANCH / CWD'], rows, { maxWidth: ctx.out.columns, headerStyle: style.bold });
    });
  },
});

const send = defineCommand({
  name: 'send',
  summary: 'send a message to an agent (typed into its TUI; delivered when it is free)',
  description: [
    'Waits until Codex took the message (its UserPromptSubmit hook) or the timeout. A busy agent gets the message ' +
      'when its turn ends: it is queued, never dropped. --json prints {delivered, queued?}.',
  ],
  positionals: [NAME_ARG, TEXT_ARG],
  flags: {
    timeout: { type: 'number', value: 'SECONDS', min: 1, description: 'give up waiting after SECONDS (default 30); the message stays queued' },
    'no-wait': { type: 'boolean', description: 'return once the message is typed or queued, without waiting for Codex to take it' },
  },
  examples: ['codex-fleet agents send fixer "run the tests again"', 'echo "long text" | codex-fleet agents send fixer -'],
  async run(ctx, { args, flags }) {
    let text = args.text.join(' ');
    if (args.text.length === 1 && args.text[0] === '-') text = (await ctx.readStdin()).replace(/\r?\n$/, '');
    if (text.trim() === '') throw new UsageError('the message text is empty', ['agents', 'send']);
    const client = await ctx.client();
    const res = await client.request(AgentsSend, { name: args.name, text, wait: !flags['no-wait'], timeoutMs: flags.timeout !== undefined ? flags.timeout * 1000 : undefined });
    emit(ctx, res, () => (res.delivered ? `Delivered to ${args.name}.` : `${args.name} is busy: queued, it will be typed when its turn ends.`));
  },
});

function simple(name: 'stop' | 'start', summary: string) {
  return defineCommand({
    name,
    summary,
    positionals: [NAME_ARG],
    flags: {},
    async run(ctx, { args }) {
      const client = await ctx.client();
      const { agent } = await client.request(name === 'stop' ? AgentsStop : AgentsStart, { name: args.name });
      emit(ctx, agent, () => `${agent.name}: ${stateText(agent, styleFor(ctx.out, ctx.env))}`);
    },
  });
}

const destroy = defineCommand({
  name: 'destroy',
  summary: 'stop and remove an agent (its sessions are kept unless --delete-sessions)',
  description: ["Its worktree and branch are removed unless --keep-worktree. Kept sessions move to your CODEX_HOME's sessions (see `codex resume`)."],
  positionals: [NAME_ARG],
  flags: {
    keepWorktree: { type: 'boolean', description: "keep the agent's worktree and branch" },
    deleteSessions: { type: 'boolean', description: "delete the agent's sessions instead of keeping them" },
  },
  async run(ctx, { args, flags }) {
    const client = await ctx.client();
    const res = await client.request(AgentsDestroy, { name: args.name, keepWorktree: flags.keepWorktree || undefined, deleteSessions: flags.deleteSessions || undefined });
    emit(ctx, res, () => `Destroyed ${args.name}.`);
  },
});

const adopt = defineCommand({
  name: 'adopt',
  summary: 'adopt an existing Codex session into a new TUI agent (resumed with its history)',
  positionals: [{ name: 'sessionId', value: 'SESSION_ID', description: 'the session (see `codex-fleet sessions list`)' }, NAME_ARG],
  flags: { yes: { type: 'boolean', description: 'consent to trusting the workspace folder without asking' } },
  async run(ctx, { args, flags }) {
    const client = await ctx.client();
    let consent = flags.yes;
    if (!consent && !consentRemembered(ctx, client.paths.dir)) consent = await askConsent(ctx);
    const { agent } = await client.request(AgentsAdopt, { sessionId: args.sessionId, name: args.name, consent: consent || undefined });
    emit(ctx, agent, () => [`Adopted ${args.sessionId} as ${agent.name}`, ...agentDetails(agent, ctx.now()).slice(1)]);
  },
});

type Entry = { type?: string; timestamp?: string; content?: string; parts?: Array<{ type?: string; content?: string; tool_name?: string; input_preview?: string }>; tool_name?: string; output?: string; is_error?: boolean };

export function renderEntry(e: Entry, style: Style): string {
  const at = style.dim(`[${(e.timestamp ?? '').replace(/\.\d+Z$/, 'Z')}]`);
  switch (e.type) {
    case 'user_message':
      return `${at} ${style.bold('user')}:\n${e.content ?? ''}`;
    case 'assistant_message': {
      const lines = (e.parts ?? []).map((p) => (p.type === 'tool_call' ? style.cyan(`  -> ${p.tool_name}(${p.input_preview ?? ''})`) : (p.content ?? '')));
      return `${at} ${style.bold('assistant')}:\n${lines.join('\n') || '(no content)'}`;
    }
    case 'tool_result': {
      const out = e.output ?? '';
      return `${at} tool (${e.tool_name})${e.is_error ? style.red(' [ERROR]') : ''}:\n${out.length > 500 ? `${out.slice(0, 500)}…` : out}`;
    }
    default:
      return `${at} ${JSON.stringify(e)}`;
  }
}

const transcript = defineCommand({
  name: 'transcript',
  summary: "print an agent's transcript (user / assistant messages, tool calls and results)",
  description: ['--raw prints the rollout lines as Codex wrote them. --json prints {data: entries, next}; with --follow, one JSON entry per line.'],
  positionals: [NAME_ARG],
  flags: {
    raw: { type: 'boolean', description: "Codex's raw rollout lines instead of the common transcript" },
    follow: { type: 'boolean', description: 'keep printing new entries until Ctrl-C' },
  },
  async run(ctx, { args, flags }) {
    const client = await ctx.client();
    const style = styleFor(ctx.out, ctx.env);
    let next = 0;
    const print = (entries: unknown[]): void => {
      for (const e of entries) ctx.out.write(flags.raw || ctx.json ? `${JSON.stringify(e)}\n` : `${escapeControls(renderEntry(e as Entry, style), { keepStyles: true, keepNewlines: true })}\n\n`);
    };
    // Incremental: each fetch asks only for entries after the last one seen.
    const fetch = async () => {
      const res = await client.request(AgentsTranscript, { name: args.name, raw: flags.raw || undefined, since: next });
      next = res.next;
      return res;
    };
    const first = await fetch();
    if (!flags.follow) {
      if (ctx.json) ctx.out.write(`${JSON.stringify({ data: first.entries, next: first.next }, null, 2)}\n`);
      else if (first.entries.length === 0) ctx.out.write('No transcript yet (the agent has not had a turn).\n');
      else print(first.entries);
      return;
    }
    print(first.entries);
    await client.subscribe({ kinds: ['agent/updated', 'agent/removed'] });
    let busy = false;
    const refresh = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        print((await fetch()).entries);
      } finally {
        busy = false;
      }
    };
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => void refresh().catch(reject), 1000);
      const sub = client.onEvent((e) => {
        if (e.kind === 'agent/updated' && e.agent.name === args.name) void refresh().catch(reject);
        if (e.kind === 'agent/removed' && e.name === args.name) finish(new CliError(`agent ${args.name} was destroyed`, ExitCode.Error, CliErrorCodes.AgentNotFound));
      });
      const closed = client.onClose(() => finish(new CliError('the sidecar connection closed', ExitCode.SidecarUnavailable)));
      const finish = (err?: Error): void => {
        clearInterval(timer);
        sub.dispose();
        closed.dispose();
        if (err) reject(err);
        else resolve();
      };
      ctx.signal.addEventListener('abort', () => finish(), { once: true });
    });
  },
});

export const entries: CommandEntry[] = [
  defineGroup('agents', 'terminal agents: Codex TUIs supervised by the sidecar', [
    create,
    list,
    send,
    attachCommand,
    transcript,
    simple('stop', 'stop an agent (gracefully, then its process group)'),
    simple('start', 'start a stopped agent again, resuming its conversation'),
    destroy,
    adopt,
  ]),
];
