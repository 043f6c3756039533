/**
 * `codex-fleet approvals list | decide`: Codex's requests for permission (commands, file changes,
 * permission profiles, MCP elicitations), answered by the first client that decides.
 */
import { RequestsAnswer, RequestsList } from '../../protocol/sidecarProtocol';
import type { ApprovalDecision, PendingRequest, RequestAnswer } from '../../protocol/types';
import { defineCommand, defineGroup, type CommandEntry } from '../args';
import { CliError, emit, ExitCode, type CommandContext } from '../context';
import { requestSummary } from '../eventFormat';
import { keyValues, relativeTime, styleFor, truncate } from '../format';

export const APPROVAL_KINDS: ReadonlyArray<PendingRequest['kind']> = ['commandApproval', 'fileChangeApproval', 'permissionsApproval', 'elicitation'];

export const DECISIONS = ['accept', 'accept-for-session', 'decline', 'cancel'] as const;
type DecisionArg = (typeof DECISIONS)[number];

const DECISION_OF: Record<DecisionArg, ApprovalDecision> = {
  accept: 'accept',
  'accept-for-session': 'acceptForSession',
  decline: 'decline',
  cancel: 'cancel',
};

const KIND_LABEL: Record<PendingRequest['kind'], string> = {
  commandApproval: 'command',
  fileChangeApproval: 'file change',
  permissionsApproval: 'permissions',
  userInput: 'user input',
  elicitation: 'elicitation',
  toolCall: 'tool call',
};

const list = defineCommand({
  name: 'list',
  summary: 'list pending approval requests, newest first',
  description: [
    'Command, file-change and permission approvals and MCP elicitations. --json prints {data: PendingRequest[]} ' +
      '(each with id, sessionId, kind and the command / cwd / reason or the file changes).',
  ],
  positionals: [],
  flags: { session: { type: 'string', value: 'ID', description: 'only requests of this session' } },
  async run(ctx, { flags }) {
    const client = await ctx.client();
    const { data } = await client.request(RequestsList, { sessionId: flags.session });
    const approvals = data.filter((r) => APPROVAL_KINDS.includes(r.kind));
    emit(ctx, { data: approvals }, () => (approvals.length === 0 ? 'No pending approvals.' : renderApprovals(ctx, approvals)));
  },
});

function renderApprovals(ctx: CommandContext, requests: PendingRequest[]): string[] {
  const style = styleFor(ctx.out, ctx.env);
  const now = ctx.now();
  const lines: string[] = [];
  for (const r of requests) {
    if (lines.length > 0) lines.push('');
    lines.push(`${style.bold(r.id)}  ${KIND_LABEL[r.kind]}  session ${r.sessionId}  ${style.dim(relativeTime(r.createdAt, now))}`);
    lines.push(...approvalDetails(r));
    const choices = r.kind === 'elicitation' ? 'accept|decline|cancel' : 'accept|accept-for-session|decline|cancel';
    lines.push(style.dim(`  codex-fleet approvals decide ${r.id} ${choices}`));
  }
  return lines;
}

function approvalDetails(r: PendingRequest): string[] {
  switch (r.kind) {
    case 'commandApproval':
      return [`  $ ${r.command}`, ...keyValues([['cwd', r.cwd], ['reason', r.reason]], '  ')];
    case 'fileChangeApproval':
      return [
        ...r.changes.map((c) => `  ${c.kind.padEnd(6)} ${c.path}${c.movePath ? ` → ${c.movePath}` : ''}`),
        ...keyValues([['reason', r.reason], ['grant root', r.grantRoot]], '  '),
      ];
    case 'permissionsApproval':
      return keyValues([['reason', r.reason], ['cwd', r.cwd], ['requested', truncate(JSON.stringify(r.permissions), 200)]], '  ');
    case 'elicitation':
      return keyValues([['server', r.serverName], ['message', r.message], ['url', r.url]], '  ');
    default:
      return [`  ${requestSummary(r)}`];
  }
}

const decide = defineCommand({
  name: 'decide',
  summary: 'answer a pending approval',
  description: [
    'accept: allow this once; accept-for-session: allow it for the rest of the session; decline: refuse and let Codex ' +
      'continue; cancel: refuse and interrupt the turn. The first answer from any client wins. --json prints {requestId, decision}.',
  ],
  positionals: [
    { name: 'id', value: 'ID', description: "the request id (see `codex-fleet approvals list`)" },
    { name: 'decision', value: 'DECISION', choices: DECISIONS, description: 'what to answer' },
  ],
  flags: {},
  examples: [`codex-fleet approvals decide req-3 accept`],
  async run(ctx, { args }) {
    const client = await ctx.client();
    // The answer's shape depends on the kind; an id we cannot see is left to the sidecar to explain.
    const { data } = await client.request(RequestsList, {});
    const request = data.find((r) => r.id === args.id);
    const answer = answerFor(request, args.decision);
    await client.request(RequestsAnswer, { requestId: args.id, answer });
    emit(ctx, { requestId: args.id, decision: args.decision }, () => `Answered ${args.id}: ${args.decision}`);
  },
});

export function answerFor(request: PendingRequest | undefined, decision: DecisionArg): RequestAnswer {
  switch (request?.kind) {
    case 'elicitation':
      if (decision === 'accept-for-session') throw new CliError(`${request.id} is an MCP elicitation: answer accept, decline or cancel`, ExitCode.Usage);
      return { type: 'elicitation', action: decision };
    case 'userInput':
      throw new CliError(`${request.id} asks for user input: answer it with \`codex-fleet input answer ${request.id} --answer QUESTION_ID=TEXT\``, ExitCode.Usage);
    case 'toolCall':
      throw new CliError(`${request.id} is a dynamic tool call; the client that registered tool '${request.tool}' answers it`, ExitCode.Usage);
    default:
      return { type: 'decision', decision: DECISION_OF[decision] };
  }
}

export const approvalsGroup = defineGroup('approvals', "list and answer Codex's approval requests", [list, decide], [
  'Codex asks before running commands or changing files, depending on the approval policy. Requests wait in the sidecar until a client answers.',
]);

export const entries: CommandEntry[] = [approvalsGroup];
