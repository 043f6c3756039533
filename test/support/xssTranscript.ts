/**
 * Puts every XSS payload into every place a transcript shows model- or tool-provided text: a
 * snapshot (one turn per payload with every item kind and a pending request of each kind) and a
 * stream of events (deltas split mid-payload, errors, plans, a failed turn, the queue, the name).
 */
import type { ThreadItem } from '../../protocol/codex';
import type { FleetEventBody, PendingRequest, TurnInfo } from '../../protocol/types';
import type { TranscriptSnapshot } from '../../protocol/webviewProtocol';
import { EventStream, SESSION_ID, agentMessage, command, session, snapshot, userMessage } from './transcriptFixtures';
import { XSS_PAYLOADS, marked, type XssPayload } from './xssPayloads';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

function items(p: XssPayload, n: number): ThreadItem[] {
  const t = marked(p);
  const url = p.url ? p.text : `https://example.com/${n}`;
  const out: ThreadItem[] = [
    userMessage(`u${n}`, t),
    { type: 'userMessage', id: `ui${n}`, clientId: null, content: [{ type: 'image', url: p.url ? p.text : 'data:image/png;base64,iVBORw0KGgo=' }, { type: 'localImage', path: t }, { type: 'mention', name: t, path: t }] },
    agentMessage(`a${n}`, t),
    { type: 'reasoning', id: `r${n}`, summary: [t], content: [t] },
    { type: 'plan', id: `p${n}`, text: `- [ ] ${t}\n- [x] done` },
    { ...command(`c${n}`, t, t, 1), cwd: t },
    { type: 'fileChange', id: `f${n}`, status: 'completed', changes: [{ path: t, kind: { type: 'update', move_path: t }, diff: `@@ -1 +1 @@\n-${t}\n+${t}\n` }, { path: `${t}.new`, kind: { type: 'add' }, diff: t }] },
    {
      type: 'mcpToolCall',
      id: `m${n}`,
      server: t,
      tool: t,
      status: 'failed',
      arguments: { q: t, [t]: [t] },
      appContext: null,
      mcpAppUi: null,
      pluginId: null,
      readOnlyHint: null,
      result: { content: [{ type: 'text', text: t }, { type: 'image', data: t, mimeType: 'image/svg+xml' }, { type: 'resource', uri: url }], structuredContent: { html: t }, _meta: null },
      error: { message: t },
      durationMs: 5,
    } satisfies Item<'mcpToolCall'>,
    {
      type: 'dynamicToolCall',
      id: `d${n}`,
      namespace: t,
      tool: t,
      arguments: t,
      status: 'completed',
      contentItems: [{ type: 'inputText', text: t }, { type: 'inputImage', imageUrl: url }],
      success: true,
      durationMs: 3,
    } satisfies Item<'dynamicToolCall'>,
    { type: 'webSearch', id: `w${n}`, query: t, action: { type: 'openPage', url }, results: [{ url, title: t }] },
    { type: 'imageView', id: `iv${n}`, path: t },
    { type: 'imageGeneration', id: `ig${n}`, status: t, revisedPrompt: t, failure: null, generationId: null, result: t, savedPath: t },
    { type: 'functionCallOutput', id: `fo${n}`, name: t, namespace: null, output: t },
    { type: 'hookPrompt', id: `h${n}`, fragments: [{ text: t, hookRunId: 'h' }] },
    { type: 'enteredReviewMode', id: `rv${n}`, review: t },
    { type: 'collabAgentToolCall', id: `co${n}`, tool: 'spawnAgent', status: 'completed', senderThreadId: 's', receiverThreadIds: [t], prompt: t, model: null, reasoningEffort: null, agentsStates: { [t]: { status: 'completed', message: t } } } as unknown as ThreadItem,
  ];
  return out;
}

function requests(p: XssPayload, n: number, turnId: string): PendingRequest[] {
  const t = marked(p);
  const base = { sessionId: SESSION_ID, turnId, createdAt: 1, method: 'x' };
  return [
    { ...base, id: `req-c${n}`, kind: 'commandApproval', itemId: `c${n}`, command: t, cwd: t, reason: t, decisions: ['accept', 'decline'], execPolicyAmendment: [t] },
    { ...base, id: `req-f${n}`, kind: 'fileChangeApproval', itemId: `f${n}`, reason: t, grantRoot: t, changes: [{ path: t, kind: 'update', diff: t }], decisions: ['accept'] },
    { ...base, id: `req-u${n}`, kind: 'userInput', questions: [{ id: 'q', header: t, question: t, options: [{ label: t, description: t }], allowOther: true, secret: false }] },
    { ...base, id: `req-e${n}`, kind: 'elicitation', serverName: t, message: t, mode: 'form', url: p.url ? p.text : undefined, requestedSchema: { type: 'object', properties: { [t]: { type: 'string', title: t }, e: { enum: [t] } } } },
    { ...base, id: `req-t${n}`, kind: 'toolCall', callId: 'c', tool: t, namespace: t, arguments: { t } },
    { ...base, id: `req-p${n}`, kind: 'permissionsApproval', reason: t, cwd: t, permissions: { t }, decisions: ['accept'] },
  ];
}

export function xssSnapshot(payloads = XSS_PAYLOADS): TranscriptSnapshot {
  const turns: TurnInfo[] = payloads.map((p, n) => ({ id: `t${n}`, status: n === payloads.length - 1 ? 'inProgress' : 'completed', items: items(p, n), error: null, startedAt: 1, completedAt: 2, durationMs: 1 }));
  const pending = payloads.flatMap((p, n) => requests(p, n, `t${n}`));
  const first = marked(payloads[0]);
  return snapshot(turns, {
    session: session({ name: first, preview: first, cwd: '/work/demo', model: first }),
    pending,
    queue: payloads.slice(0, 5).map((p, n) => ({ id: `q${n}`, sessionId: SESSION_ID, text: marked(p), images: [p.text], queuedAt: 1, by: 'x' })),
    lastSeq: 100,
  });
}

/** Live events carrying the payloads: deltas split every 3 characters, plans, errors, usage. */
export function xssEvents(payloads = XSS_PAYLOADS): { prevSeq: number; events: ReturnType<EventStream['batch']> } {
  const ev = new EventStream(100);
  const bodies: FleetEventBody[] = [];
  payloads.forEach((p, n) => {
    const t = marked(p);
    const turnId = `live${n}`;
    bodies.push({ kind: 'turn/started', sessionId: SESSION_ID, turnId });
    bodies.push({ kind: 'item/started', sessionId: SESSION_ID, turnId, item: agentMessage(`la${n}`, '') });
    bodies.push({ kind: 'item/started', sessionId: SESSION_ID, turnId, item: command(`lc${n}`, t, null, null) });
    for (let i = 0; i < t.length; i += 3) {
      bodies.push({ kind: 'item/delta', sessionId: SESSION_ID, turnId, itemId: `la${n}`, stream: 'agentMessage', delta: t.slice(i, i + 3) });
      bodies.push({ kind: 'item/delta', sessionId: SESSION_ID, turnId, itemId: `lc${n}`, stream: 'commandOutput', delta: t.slice(i, i + 3) });
    }
    bodies.push({ kind: 'turn/plan', sessionId: SESSION_ID, turnId, explanation: t, plan: [{ step: t, status: 'in_progress' }] });
    bodies.push({ kind: 'session/error', sessionId: SESSION_ID, turnId, message: t, willRetry: n % 2 === 0 });
    bodies.push({ kind: 'turn/diff', sessionId: SESSION_ID, turnId, diff: `diff --git a/${t} b/${t}\n--- a/${t}\n+++ b/${t}\n@@ -1 +1 @@\n-${t}\n+${t}\n` });
    bodies.push({ kind: 'turn/completed', sessionId: SESSION_ID, turnId, status: 'failed', error: { message: t, codexErrorInfo: null, additionalDetails: t, misalignment: null } });
  });
  bodies.push({ kind: 'session/updated', session: session({ name: marked(payloads[1]), preview: marked(payloads[2]) }) });
  bodies.push({ kind: 'runtime/state', runtime: { state: 'failed', codexPath: marked(payloads[3]), codexSource: 'path', restarts: 1, lastError: marked(payloads[4]) } });
  return { prevSeq: 100, events: ev.batch(...bodies) };
}
