/**
 * `codex-fleet sessions send | steer | queue | interrupt`: talking to a session, and `send --wait`,
 * which blocks until the turn ends and prints the final reply.
 */
import { ErrorCodes, FleetError } from '../../protocol/errors';
import {
  SessionsInterrupt,
  SessionsQueue,
  SessionsRead,
  SessionsSend,
  SessionsSteer,
  SessionsWaitTurn,
  type SessionsSendParams,
  type SessionsSendResult,
  type SessionsWaitResult,
} from '../../protocol/sidecarProtocol';
import type { FleetEventOf, TurnOutcome } from '../../protocol/types';
import { defineCommand, UsageError } from '../args';
import { CliError, CliErrorCodes, emit, ExitCode, type CommandContext, type FleetApi } from '../context';
import { withHint } from '../errors';
import { Waiter } from '../waiter';
import { CONTROL_FLAGS, controlsFrom, IMAGE_FLAG, messageInput, PLAN_FLAG, SESSION_ARG, TEXT_ARG } from './shared';

export interface TurnResult {
  turnId: string;
  status: TurnOutcome;
  reply: string;
  error?: string;
}

export const sendCommand = defineCommand({
  name: 'send',
  summary: 'send a message (starts a turn; --steer / --queue when one is running)',
  description: [
    'Without --wait, prints how the message was delivered (started, steered or queued); --json prints {delivery, turnId?, queued?}.',
    "With --wait, blocks until the turn ends and prints the assistant's final reply; --json prints {turnId, status, reply}. " +
      'Exits 3 if the turn failed or was interrupted, 1 on --timeout (the turn keeps running).',
  ],
  positionals: [SESSION_ARG, TEXT_ARG],
  flags: {
    image: IMAGE_FLAG,
    ...CONTROL_FLAGS,
    plan: PLAN_FLAG,
    steer: { type: 'boolean', description: 'if a turn is running, add the message to it now' },
    queue: { type: 'boolean', description: 'if a turn is running, deliver the message when it ends' },
    wait: { type: 'boolean', description: 'wait for the turn to end and print the final reply' },
    timeout: { type: 'number', value: 'SECONDS', min: 0, description: 'with --wait: give up waiting after SECONDS' },
  },
  exclusive: [['steer', 'queue']],
  examples: [
    `codex-fleet sessions send $ID "run the tests and fix what fails" --wait`,
    `codex-fleet sessions send $ID "also update the docs" --queue`,
    `codex-fleet sessions send $ID "what is in this screenshot?" --image shot.png --wait --json`,
  ],
  async run(ctx, { args, flags }) {
    const path = ['sessions', 'send'];
    if (flags.timeout !== undefined && !flags.wait) throw new UsageError('--timeout only applies with --wait', path);
    const params: SessionsSendParams = {
      sessionId: args.id,
      ...(await messageInput(ctx, args.text, flags.image, path)),
      whileRunning: flags.steer ? 'steer' : flags.queue ? 'queue' : 'error',
    };
    const controls = controlsFrom(flags);
    if (controls) params.controls = controls;
    const client = await ctx.client();
    try {
      if (!flags.wait) {
        const sent = await client.request(SessionsSend, params);
        emit(ctx, sent, () => deliveryText(args.id, sent));
        return;
      }
      const timeoutMs = flags.timeout === undefined ? undefined : Math.round(flags.timeout * 1000);
      const result = await sendAndWait(ctx, client, params, timeoutMs);
      return reportTurn(ctx, result);
    } catch (e) {
      if (FleetError.is(e, ErrorCodes.TurnState) && params.whileRunning === 'error') {
        throw new CliError(withHint(e.message, 'pass --steer to add it to the running turn or --queue to send it afterwards'), ExitCode.Error, e.code);
      }
      throw e;
    }
  },
});

function deliveryText(sessionId: string, sent: SessionsSendResult): string {
  switch (sent.delivery) {
    case 'started':
      return `Started turn ${sent.turnId} in session ${sessionId}`;
    case 'steered':
      return `Steered turn ${sent.turnId} in session ${sessionId}`;
    case 'queued':
      return `Queued message ${sent.queued?.id ?? ''} for session ${sessionId}; it is sent when the current turn ends`;
  }
}

/**
 * Print the turn's outcome; failed or interrupted turns exit 3. Under --json the result document
 * (with its `status` and `error`) is the whole output: a failed turn is an outcome, not a failed command.
 */
function reportTurn(ctx: CommandContext, r: TurnResult): number {
  const json: Record<string, unknown> = { turnId: r.turnId, status: r.status, reply: r.reply };
  if (r.error !== undefined) json.error = r.error;
  if (r.status === 'completed') {
    emit(ctx, json, () => (r.reply === '' ? [] : [r.reply.replace(/\n+$/, '')]));
    return ExitCode.Ok;
  }
  if (ctx.json) {
    ctx.out.write(`${JSON.stringify(json, null, 2)}\n`);
    return ExitCode.TurnFailed;
  }
  if (r.reply) ctx.out.write(`${r.reply.replace(/\n+$/, '')}\n`);
  const why = r.error ? `: ${r.error}` : '';
  throw new CliError(`turn ${r.turnId} ${r.status === 'failed' ? 'failed' : 'was interrupted'}${why}`, ExitCode.TurnFailed);
}

/**
 * Subscribe to the session's turn events, send, find the turn (for a queued message: the one it
 * became once delivered), and wait for it to end — by `sessions/waitTurn` or the `turn/completed`
 * event, whichever comes first.
 */
export async function sendAndWait(ctx: CommandContext, client: FleetApi, params: SessionsSendParams, timeoutMs?: number): Promise<TurnResult> {
  const sessionId = params.sessionId;
  const completed = new Map<string, FleetEventOf<'turn/completed'>>();
  let queueIds: string[] | undefined;
  let turnId: string | undefined;
  const waiter = new Waiter({
    client,
    signal: ctx.signal,
    now: ctx.now,
    deadline: timeoutMs === undefined ? undefined : ctx.now() + timeoutMs,
    timeoutError: () =>
      new CliError(
        `${turnId ? `turn ${turnId}` : 'the turn'} did not finish within ${formatSeconds(timeoutMs ?? 0)}; it keeps running — ` +
          `follow it with \`codex-fleet events --session ${sessionId} --follow\` or stop it with \`codex-fleet sessions interrupt ${sessionId}\``,
        ExitCode.Error,
        CliErrorCodes.Timeout,
      ),
    abortError: () =>
      new CliError(`stopped waiting${turnId ? ` for turn ${turnId}` : ''}; the turn keeps running in the sidecar`, ExitCode.Interrupted),
  });
  const sub = client.onEvent((e) => {
    if (e.kind === 'turn/completed' && e.sessionId === sessionId) completed.set(e.turnId, e);
    else if (e.kind === 'queue/updated' && e.sessionId === sessionId) queueIds = e.queue.map((q) => q.id);
    else return;
    waiter.wake();
  });
  try {
    await waiter.race(client.subscribe({ sessionIds: [sessionId], kinds: ['turn/completed', 'queue/updated'] }));
    const sent = await waiter.race(client.request(SessionsSend, params));
    turnId = sent.turnId;
    if (turnId === undefined) {
      const queuedId = sent.queued?.id;
      if (!ctx.json && ctx.err.isTTY) ctx.err.write(`codex-fleet: message queued (${queuedId ?? '?'}); waiting for the current turn to end\n`);
      await waiter.until(() => queueIds !== undefined && queuedId !== undefined && !queueIds.includes(queuedId));
      turnId = await waiter.race(deliveredTurn(client, sessionId));
    }
    const id = turnId;
    const byEvent = waiter.until(() => completed.has(id)).then(() => fromEvent(completed.get(id)!));
    const byRequest = waitTurnRequest(client, waiter, sessionId, id, timeoutMs !== undefined).then(fromWaitResult);
    return await Promise.race([byEvent, byRequest]);
  } finally {
    sub.dispose();
    waiter.dispose();
  }
}

/**
 * The turn a just-delivered queued message started: the session's active turn, or its latest
 * one if that already ended. (See the report: a `queuedId` on `turn/started` would make this exact.)
 */
async function deliveredTurn(client: FleetApi, sessionId: string): Promise<string> {
  const { session, turns } = await client.request(SessionsRead, { sessionId, includeItems: false });
  const id = session.activeTurnId ?? turns[turns.length - 1]?.id;
  if (!id) throw new CliError(`could not find the turn of the delivered message in session ${sessionId}`);
  return id;
}

/** `sessions/waitTurn`, re-issued when the sidecar's own wait limit passes and the user set none. */
async function waitTurnRequest(client: FleetApi, waiter: Waiter, sessionId: string, turnId: string, userDeadline: boolean): Promise<SessionsWaitResult> {
  for (;;) {
    try {
      return await waiter.race(client.request(SessionsWaitTurn, { sessionId, turnId, timeoutMs: waiter.remaining() }));
    } catch (e) {
      if (FleetError.is(e, ErrorCodes.Timeout)) {
        if (!userDeadline) continue;
        // The sidecar's deadline and ours are the same: let the waiter's timeout message win.
        await waiter.untilFailure();
      }
      // The turn may have ended before the wait was registered; the event branch still decides then.
      if (FleetError.is(e, ErrorCodes.TurnState)) return waiter.untilFailure();
      throw e;
    }
  }
}

function fromEvent(e: FleetEventOf<'turn/completed'>): TurnResult {
  const r: TurnResult = { turnId: e.turnId, status: e.status, reply: e.reply ?? '' };
  if (e.error?.message) r.error = e.error.message;
  return r;
}

function fromWaitResult(w: SessionsWaitResult): TurnResult {
  const r: TurnResult = { turnId: w.turnId, status: w.status, reply: w.reply ?? '' };
  if (w.error) r.error = w.error;
  return r;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number(s.toFixed(3))} s`;
}

export const steerCommand = defineCommand({
  name: 'steer',
  summary: 'add a message to the turn that is running now',
  description: ['--json prints {turnId}.'],
  positionals: [SESSION_ARG, TEXT_ARG],
  flags: { image: IMAGE_FLAG },
  async run(ctx, { args, flags }) {
    const input = await messageInput(ctx, args.text, flags.image, ['sessions', 'steer']);
    const client = await ctx.client();
    const res = await client.request(SessionsSteer, { sessionId: args.id, ...input });
    emit(ctx, res, () => `Steered turn ${res.turnId} in session ${args.id}`);
  },
});

export const queueCommand = defineCommand({
  name: 'queue',
  summary: 'queue a message for when the current turn ends (sent at once if idle)',
  description: ['Queued messages are kept by the sidecar until delivered, even across restarts. --json prints {delivery, turnId?, queued?}.'],
  positionals: [SESSION_ARG, TEXT_ARG],
  flags: { image: IMAGE_FLAG, ...CONTROL_FLAGS, plan: PLAN_FLAG },
  async run(ctx, { args, flags }) {
    const input = await messageInput(ctx, args.text, flags.image, ['sessions', 'queue']);
    const client = await ctx.client();
    const res = await client.request(SessionsQueue, { sessionId: args.id, ...input, controls: controlsFrom(flags) });
    emit(ctx, res, () => deliveryText(args.id, res));
  },
});

export const interruptCommand = defineCommand({
  name: 'interrupt',
  summary: 'interrupt the turn in flight',
  description: ['--json prints {turnId}.'],
  positionals: [SESSION_ARG],
  flags: {},
  async run(ctx, { args }) {
    const client = await ctx.client();
    const res = await client.request(SessionsInterrupt, { sessionId: args.id });
    emit(ctx, res, () => `Interrupted turn ${res.turnId} in session ${args.id}`);
  },
});
