import { strict as assert } from 'node:assert';
import type { ServerRequest } from '../../../protocol/codex';
import { FleetError, ErrorCodes } from '../../../protocol/errors';
import { toCodexResponse, toPendingRequest } from '../../../server/requests/requestMapping';

const cmdReq = {
  method: 'item/commandExecution/requestApproval',
  id: 0,
  params: { kind: 'command', threadId: 't', turnId: 'u', itemId: 'call_1', startedAtMs: 1, environmentId: 'local', command: "/bin/bash -lc 'ls'", cwd: '/w', reason: 'why', proposedExecpolicyAmendment: ['ls'] },
} as unknown as ServerRequest;

const lookupNone = () => undefined;

describe('request mapping', () => {
  it('normalizes a command approval', () => {
    const r = toPendingRequest(cmdReq, 'req-1', 5, lookupNone)!;
    assert.equal(r.kind, 'commandApproval');
    assert.ok(r.kind === 'commandApproval');
    assert.deepEqual([r.sessionId, r.turnId, r.command, r.cwd, r.reason, r.execPolicyAmendment], ['t', 'u', "/bin/bash -lc 'ls'", '/w', 'why', ['ls']]);
  });

  it('maps every decision, and the exec-policy amendment', () => {
    const r = toPendingRequest(cmdReq, 'req-1', 5, lookupNone)!;
    for (const d of ['accept', 'acceptForSession', 'decline', 'cancel'] as const) assert.deepEqual(toCodexResponse(r, { type: 'decision', decision: d }), { decision: d });
    assert.deepEqual(toCodexResponse(r, { type: 'execPolicyAmendment' }), { decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['ls'] } } });
  });

  it('maps legacy approvals to review decisions', () => {
    const legacy = { method: 'execCommandApproval', id: 3, params: { conversationId: 't', callId: 'c', approvalId: null, command: ['ls', '-l'], cwd: '/w', reason: null, parsedCmd: [] } } as unknown as ServerRequest;
    const r = toPendingRequest(legacy, 'req-2', 1, lookupNone)!;
    assert.ok(r.kind === 'commandApproval' && r.command === 'ls -l');
    assert.deepEqual(toCodexResponse(r, { type: 'decision', decision: 'accept' }), { decision: 'approved' });
    assert.deepEqual(toCodexResponse(r, { type: 'decision', decision: 'decline' }), { decision: { denied: { rejection: 'rejected by user' } } });
    assert.deepEqual(toCodexResponse(r, { type: 'decision', decision: 'cancel' }), { decision: 'abort' });
  });

  it('takes file changes for a file-change approval from its item', () => {
    const req = { method: 'item/fileChange/requestApproval', id: 1, params: { threadId: 't', turnId: 'u', itemId: 'i', startedAtMs: 1, reason: null, grantRoot: null } } as unknown as ServerRequest;
    const item = { type: 'fileChange', id: 'i', status: 'inProgress', changes: [{ path: '/w/a.txt', kind: { type: 'add' }, diff: '+hi' }] } as never;
    const r = toPendingRequest(req, 'req-3', 1, () => item)!;
    assert.ok(r.kind === 'fileChangeApproval');
    assert.deepEqual(r.changes, [{ path: '/w/a.txt', kind: 'add', movePath: null, diff: '+hi' }]);
  });

  it('rejects answers of the wrong kind or with bad values, with a message that says what to send', () => {
    const r = toPendingRequest(cmdReq, 'req-1', 5, lookupNone)!;
    const expectInvalid = (f: () => unknown, re: RegExp) =>
      assert.throws(f, (e: unknown) => FleetError.is(e, ErrorCodes.InvalidParams) && re.test((e as Error).message));
    expectInvalid(() => toCodexResponse(r, { type: 'userInput', answers: {} }), /takes an answer of type decision/);
    expectInvalid(() => toCodexResponse(r, { type: 'decision', decision: 'maybe' as never }), /not a valid decision/);
  });

  it('user input: answers keyed by question id; tool calls: content and success', () => {
    const ui = { method: 'item/tool/requestUserInput', id: 2, params: { threadId: 't', turnId: 'u', itemId: 'i', isBlocking: true, autoResolutionMs: null, questions: [{ id: 'q', header: 'H', question: 'Q?', isOther: true, isSecret: false, options: [{ label: 'A', description: '' }] }] } } as unknown as ServerRequest;
    const r = toPendingRequest(ui, 'req-4', 1, lookupNone)!;
    assert.deepEqual(toCodexResponse(r, { type: 'userInput', answers: { q: ['A'] } }), { answers: { q: { answers: ['A'] } } });
    const tool = { method: 'item/tool/call', id: 9, params: { threadId: 't', turnId: 'u', callId: 'c', namespace: null, tool: 'x', arguments: { a: 1 } } } as unknown as ServerRequest;
    const tr = toPendingRequest(tool, 'req-5', 1, lookupNone)!;
    assert.deepEqual(toCodexResponse(tr, { type: 'toolResult', success: false, contentItems: [{ type: 'inputText', text: 'no' }] }), { contentItems: [{ type: 'inputText', text: 'no' }], success: false });
  });

  it('ignores non-interactive requests', () => {
    assert.equal(toPendingRequest({ method: 'currentTime/read', id: 1, params: {} } as unknown as ServerRequest, 'x', 1, lookupNone), undefined);
  });
});
