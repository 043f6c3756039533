/**
 * Schemas of every request's params (and of the notifications a client sends), declared beside the
 * protocol types and checked against them: the sidecar validates each message at the edge with
 * these (server/clients/clientHub.ts), so handlers receive typed, validated params. Unknown keys are
 * stripped, nothing is coerced, strings and lists are bounded (protocol/limits.ts).
 * One validation library for the codebase: zod.
 */
import { z } from 'zod';
import type { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import { Limits } from './limits';
import * as P from './sidecarProtocol';
import { APPROVAL_POLICIES, FLEET_EVENT_KINDS, REASONING_EFFORTS, SANDBOX_MODES, type FleetEventKind } from './types';

// ---- building blocks ----------------------------------------------------------------------------

const oneOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]], { error: `must be one of ${values.join(', ')}` });
const bounded = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });
const nonEmpty = (max: number) => bounded(max).min(1, { error: 'must not be empty' });
/** Present, or absent / null (both mean "not set"). */
const unset = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === null ? undefined : v), s.optional());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Codex thread id: a UUID. */
export const SessionId = z.string().refine((s) => s.length === 36 && UUID.test(s), { error: 'must be a session id (a UUID)' });
/** Turn, request, queued-message and login ids: short tokens. */
export const Id = nonEmpty(Limits.maxId).regex(/^[A-Za-z0-9_.:-]+$/, { error: 'must be an id (letters, digits, _ . : -)' });
export const Name = nonEmpty(Limits.maxName);
export const Text = bounded(Limits.maxText);
export const Path = nonEmpty(Limits.maxPath);
const PositiveInt = (max: number) => z.number().int({ error: 'must be an integer' }).min(1, { error: 'must be ≥ 1' }).max(max, { error: `must be ≤ ${max}` });
const Index = z.number().int({ error: 'must be an integer' }).min(0, { error: 'must be ≥ 0' });
/** Timeouts in ms: up to a day. */
const TimeoutMs = PositiveInt(24 * 60 * 60_000);

export const TurnControlsSchema = z.object({
  model: unset(Name),
  effort: unset(oneOf(REASONING_EFFORTS)),
  approvalPolicy: unset(oneOf(APPROVAL_POLICIES)),
  sandbox: unset(oneOf(SANDBOX_MODES)),
  networkAccess: unset(z.boolean()),
  collaborationMode: unset(oneOf(['default', 'plan'] as const)),
});

const DynamicToolFunction = z.object({
  type: z.literal('function'),
  name: Name,
  description: bounded(Limits.maxText),
  inputSchema: z.json(),
  deferLoading: z.boolean().optional(),
});
const DynamicTool = z.discriminatedUnion(
  'type',
  [DynamicToolFunction, z.object({ type: z.literal('namespace'), name: Name, description: bounded(Limits.maxText), tools: z.array(DynamicToolFunction).max(256) })],
  { error: 'must be a dynamic tool of type function or namespace' },
);

const Message = { text: Text, images: z.array(Path).max(Limits.maxImages, { error: `must have at most ${Limits.maxImages} images` }).optional() };
const Ref = { sessionId: SessionId };

const ContentItem = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('inputText'), text: Text }),
    z.object({ type: z.literal('inputImage'), imageUrl: bounded(Limits.maxString) }),
    z.object({ type: z.literal('inputAudio'), audioUrl: bounded(Limits.maxString) }),
  ],
  { error: 'must be a content item of type inputText, inputImage or inputAudio' },
);
const Answer = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('decision'), decision: oneOf(['accept', 'acceptForSession', 'decline', 'cancel'] as const) }),
    z.object({ type: z.literal('execPolicyAmendment') }),
    z.object({ type: z.literal('userInput'), answers: z.record(nonEmpty(Limits.maxId), z.array(Text).max(64)) }),
    z.object({ type: z.literal('toolResult'), success: z.boolean(), contentItems: z.array(ContentItem).max(256) }),
    z.object({ type: z.literal('elicitation'), action: oneOf(['accept', 'decline', 'cancel'] as const), content: z.json().optional() }),
  ],
  { error: 'must be an answer of type decision, execPolicyAmendment, userInput, toolResult or elicitation' },
);
const Login = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('apiKey'), apiKey: nonEmpty(Limits.maxSecret) }),
    z.object({ type: z.literal('chatgpt') }),
    z.object({
      type: z.literal('chatgptAuthTokens'),
      accessToken: nonEmpty(Limits.maxSecret),
      chatgptAccountId: nonEmpty(Limits.maxName),
      chatgptPlanType: bounded(Limits.maxName).nullable().optional(),
    }),
  ],
  { error: 'must have a type: apiKey, chatgpt or chatgptAuthTokens' },
);
/** Dotted config keys → JSON values; keys are tokenized and checked when applied (server/agents/toml.ts). */
const ConfigOverrides = z.record(nonEmpty(Limits.maxName), z.json());

// ---- the registry -------------------------------------------------------------------------------

const requestSchemas = new Map<string, z.ZodType>();
const notificationSchemas = new Map<string, z.ZodType>();

/** A request's params schema; its output must be the declared params type. */
function request<Params, R>(type: RequestType<Params, R, void>, schema: z.ZodType<Params>): void {
  requestSchemas.set(type.method, schema);
}
/** Requests whose params object may be omitted (`{}` then). */
function optionalParams<Params, R>(type: RequestType<Params, R, void>, schema: z.ZodType<Params>): void {
  requestSchemas.set(type.method, z.preprocess((v) => v ?? {}, schema));
}
/** Requests without params: nothing, null, or an empty object (anything in it is ignored). */
const NoParams = z.union([z.undefined(), z.null(), z.object({}), z.array(z.never()).max(0)], { error: 'must be empty (this method takes no params)' }).transform(() => undefined);
function noParams<R>(type: RequestType0<R, void>): void {
  requestSchemas.set(type.method, NoParams);
}
function notification<Params>(type: NotificationType<Params>, schema: z.ZodType<Params>): void {
  notificationSchemas.set(type.method, schema);
}

request(
  P.Initialize,
  z.object({
    processId: z.number().int().nullable(),
    clientInfo: z.object({ name: bounded(Limits.maxClientName), version: bounded(Limits.maxClientVersion).optional() }),
    capabilities: z.record(z.string(), z.unknown()),
    initializationOptions: z.object({ logs: z.boolean().optional() }).optional(),
  }),
);
noParams(P.Shutdown);
noParams(P.FleetStatusRequest);
optionalParams(P.FleetStop, z.object({ force: z.boolean().optional() }));
optionalParams(P.RuntimeRestart, z.object({ codexPath: bounded(Limits.maxPath).optional() }));

optionalParams(
  P.EventsSubscribe,
  z.object({
    sessionIds: z.array(SessionId).max(1000).optional(),
    kinds: z.array(z.enum(FLEET_EVENT_KINDS as [FleetEventKind, ...FleetEventKind[]], { error: `is an unknown event kind; kinds: ${FLEET_EVENT_KINDS.join(', ')}` })).max(100).optional(),
    sinceSeq: Index.optional(),
  }),
);
noParams(P.EventsUnsubscribe);

optionalParams(P.SessionsList, z.object({ archived: z.boolean().optional(), cursor: bounded(Limits.maxPath).optional(), limit: PositiveInt(1000).optional(), scope: z.enum(['workspace', 'all']).optional() }));
optionalParams(P.SessionsStart, TurnControlsSchema.extend({ cwd: Path.optional(), name: Name.optional(), dynamicTools: z.array(DynamicTool).max(256).optional() }));
request(P.SessionsRead, z.object({ ...Ref, includeItems: z.boolean().optional() }));
optionalParams(P.SessionsDefaults, z.object({ set: TurnControlsSchema.optional() }));
request(P.SessionsResume, z.object(Ref));
request(P.SessionsFork, z.object({ ...Ref, lastTurnId: Id.optional(), name: Name.optional() }));
request(P.SessionsArchive, z.object(Ref));
request(P.SessionsUnarchive, z.object(Ref));
request(P.SessionsRename, z.object({ ...Ref, name: Name }));
request(P.SessionsPin, z.object({ ...Ref, pinned: z.boolean() }));
request(P.SessionsCompact, z.object(Ref));
request(P.SessionsInterrupt, z.object(Ref));
request(
  P.SessionsSend,
  z.object({ ...Ref, ...Message, controls: TurnControlsSchema.optional(), whileRunning: oneOf(['steer', 'queue', 'error'] as const).optional() }),
);
request(P.SessionsSteer, z.object({ ...Ref, ...Message }));
request(P.SessionsQueue, z.object({ ...Ref, ...Message, controls: TurnControlsSchema.optional() }));
request(P.SessionsQueueRemove, z.object({ ...Ref, queuedId: Id }));
request(P.SessionsWaitTurn, z.object({ ...Ref, turnId: Id, timeoutMs: TimeoutMs.optional() }));

optionalParams(P.RequestsList, z.object({ sessionId: SessionId.optional() }));
request(P.RequestsAnswer, z.object({ requestId: Id, answer: Answer }));
optionalParams(P.RequestsAudit, z.object({ limit: PositiveInt(10_000).optional() }));

noParams(P.AccountRead);
request(P.AccountLoginStart, Login);
request(P.AccountLoginCancel, z.object({ loginId: Id }));
noParams(P.AccountLogout);
noParams(P.AccountRateLimits);

request(
  P.AgentsCreate,
  TurnControlsSchema.extend({
    name: Name,
    kind: oneOf(['tui', 'session'] as const).optional(),
    worktree: z.boolean().optional(),
    baseRef: Name.optional(),
    prompt: Text.optional(),
    sessionId: SessionId.optional(),
    consent: z.boolean().optional(),
    configOverrides: ConfigOverrides.optional(),
  }),
);
noParams(P.AgentsList);
request(P.AgentsSend, z.object({ name: Name, text: Text, wait: z.boolean().optional(), timeoutMs: TimeoutMs.optional() }));
request(P.AgentsStop, z.object({ name: Name }));
request(P.AgentsStart, z.object({ name: Name }));
request(P.AgentsDestroy, z.object({ name: Name, keepWorktree: z.boolean().optional(), deleteSessions: z.boolean().optional() }));
request(P.AgentsAdopt, z.object({ sessionId: SessionId, name: Name, consent: z.boolean().optional() }));
request(P.AgentsTranscript, z.object({ name: Name, raw: z.boolean().optional(), since: Index.optional() }));
request(P.AgentsAttach, z.object({ name: Name, cols: PositiveInt(1000).optional(), rows: PositiveInt(1000).optional() }));
request(P.AgentsDetach, z.object({ name: Name }));
notification(P.AgentsInput, z.object({ name: Name, data: bounded(Limits.maxText) }));
notification(P.AgentsResize, z.object({ name: Name, cols: PositiveInt(1000), rows: PositiveInt(1000) }));

/** The params schema of every client → sidecar request, by method. */
export const REQUEST_SCHEMAS: ReadonlyMap<string, z.ZodType> = requestSchemas;
/** The params schema of client → sidecar notifications that carry params, by method. */
export const NOTIFICATION_SCHEMAS: ReadonlyMap<string, z.ZodType> = notificationSchemas;
