/**
 * `codex-fleet input list | answer`: questions Codex asks the user (`request_user_input`, e.g. in
 * plan mode), answered with `--answer QUESTION_ID=TEXT`.
 */
import { RequestsAnswer, RequestsList } from '../../protocol/sidecarProtocol';
import type { UserInputRequest } from '../../protocol/types';
import { defineCommand, defineGroup, UsageError, type CommandEntry } from '../args';
import { CliError, CliErrorCodes, emit, ExitCode, type CommandContext } from '../context';
import { relativeTime, styleFor } from '../format';

const list = defineCommand({
  name: 'list',
  summary: 'list pending questions, newest first',
  description: ['--json prints {data: UserInputRequest[]} (each with id, sessionId, questions).'],
  positionals: [],
  flags: { session: { type: 'string', value: 'ID', description: 'only requests of this session' } },
  async run(ctx, { flags }) {
    const client = await ctx.client();
    const { data } = await client.request(RequestsList, { sessionId: flags.session });
    const requests = data.filter((r): r is UserInputRequest => r.kind === 'userInput');
    emit(ctx, { data: requests }, () => (requests.length === 0 ? 'No pending questions.' : renderQuestions(ctx, requests)));
  },
});

function renderQuestions(ctx: CommandContext, requests: UserInputRequest[]): string[] {
  const style = styleFor(ctx.out, ctx.env);
  const now = ctx.now();
  const lines: string[] = [];
  for (const r of requests) {
    if (lines.length > 0) lines.push('');
    lines.push(`${style.bold(r.id)}  session ${r.sessionId}  ${style.dim(relativeTime(r.createdAt, now))}`);
    for (const q of r.questions) {
      lines.push(`  [${q.id}] ${q.header ? `${q.header}: ` : ''}${q.question}${q.secret ? ' (secret)' : ''}`);
      for (const o of q.options) lines.push(`      - ${o.label}${o.description ? ` — ${o.description}` : ''}`);
      if (q.options.length > 0 && q.allowOther) lines.push('      - (any other text)');
    }
    const example = r.questions.map((q) => `--answer ${q.id}=...`).join(' ');
    lines.push(style.dim(`  codex-fleet input answer ${r.id} ${example}`));
  }
  return lines;
}

const answer = defineCommand({
  name: 'answer',
  summary: 'answer a pending question',
  description: [
    'Give one --answer per question as QUESTION_ID=TEXT; repeat it to give a question several answers. ' +
      'When the request has a single question, --answer TEXT is enough. --json prints {requestId, answers}.',
  ],
  positionals: [{ name: 'id', value: 'ID', description: "the request id (see `codex-fleet input list`)" }],
  flags: {
    answer: { type: 'string', value: 'QUESTION_ID=TEXT', repeat: true, description: 'an answer' },
  },
  examples: [`codex-fleet input answer req-7 --answer scope=backend --answer tests=yes`],
  async run(ctx, { args, flags }) {
    const path = ['input', 'answer'];
    if (flags.answer.length === 0) throw new UsageError('give at least one --answer QUESTION_ID=TEXT', path);
    const client = await ctx.client();
    const { data } = await client.request(RequestsList, {});
    const request = data.find((r) => r.id === args.id);
    if (request && request.kind !== 'userInput') {
      throw new CliError(`${args.id} is not a question but a ${request.kind} request; answer it with \`codex-fleet approvals decide ${args.id} ...\``, ExitCode.Error, CliErrorCodes.InvalidParams);
    }
    const answers = parseAnswers(flags.answer, request, path);
    await client.request(RequestsAnswer, { requestId: args.id, answer: { type: 'userInput', answers } });
    emit(ctx, { requestId: args.id, answers }, () => `Answered ${args.id}`);
  },
});

/**
 * `QUESTION_ID=TEXT` pairs (split at the first `=`) grouped by question. With a known request the
 * question ids are checked, and a bare TEXT answers its only question.
 */
export function parseAnswers(values: string[], request: UserInputRequest | undefined, path: string[] = ['input', 'answer']): Record<string, string[]> {
  const ids = request?.questions.map((q) => q.id);
  const answers: Record<string, string[]> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    let id: string;
    let text: string;
    if (eq > 0 && (!ids || ids.includes(value.slice(0, eq)) || ids.length !== 1)) {
      id = value.slice(0, eq);
      text = value.slice(eq + 1);
    } else if (ids?.length === 1) {
      id = ids[0]!;
      text = value;
    } else {
      throw new UsageError(`--answer '${value}' must be QUESTION_ID=TEXT${ids ? ` (questions: ${ids.join(', ')})` : ''}`, path);
    }
    if (ids && !ids.includes(id)) throw new UsageError(`${request!.id} has no question '${id}' (questions: ${ids.join(', ')})`, path);
    (answers[id] ??= []).push(text);
  }
  return answers;
}

export const inputGroup = defineGroup('input', 'list and answer questions Codex asks', [list, answer], [
  "Codex can stop a turn to ask questions (request_user_input, e.g. in plan mode); the turn continues once they're answered.",
]);

export const entries: CommandEntry[] = [inputGroup];
