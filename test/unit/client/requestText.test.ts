import * as assert from 'node:assert/strict';
import { decisionChoices, displayCommand, notificationMessage, requestContextValue, requestDetail, requestTitle } from '../../../client/approvals/requestText';
import { commandRequest, fileRequest, inputRequest } from './fixtures';

describe('client/requestText', () => {
  it('shows the command without its shell wrapper', () => {
    assert.equal(displayCommand("/bin/bash -lc 'npm test'"), 'npm test');
    assert.equal(displayCommand("/bin/bash -lc 'echo '\\''hi'\\'''"), "echo 'hi'");
    assert.equal(displayCommand('ls -la'), 'ls -la');
  });

  it('names the session and the command or files in the notification', () => {
    assert.equal(notificationMessage(commandRequest('req-1', 's'), 'Fix CI'), 'Codex (Fix CI) wants to run: npm test');
    assert.equal(notificationMessage(fileRequest('req-2', 's', ['/ws/a.ts', '/ws/src/b.ts']), 'Fix CI'), 'Codex (Fix CI) wants to edit a.ts, b.ts');
    assert.equal(requestTitle(fileRequest('req-2', 's', ['/1', '/2', '/3', '/4', '/5'])), 'Edit 1, 2, 3 and 2 more');
    assert.equal(notificationMessage(inputRequest('req-3', 's'), 'Plan'), 'Codex (Plan) asks: Which color?');
  });

  it('offers the decisions the request allows, in button order', () => {
    assert.deepEqual(decisionChoices(commandRequest('r', 's')), ['accept', 'acceptForSession', 'decline']);
    assert.deepEqual(decisionChoices(commandRequest('r', 's', { decisions: ['decline', 'accept'] })), ['accept', 'decline']);
    assert.deepEqual(decisionChoices(commandRequest('r', 's', { decisions: [] })), ['accept', 'decline'], 'an empty list falls back to accept/decline');
    assert.deepEqual(decisionChoices(inputRequest('r', 's')), []);
  });

  it('details command, cwd, reason and the proposed rule', () => {
    const d = requestDetail(commandRequest('r', 's', { reason: 'needs network', execPolicyAmendment: ['npm', 'test'] }));
    assert.equal(d, 'Command: npm test\nWorking directory: /ws\nReason: needs network\nProposed rule: always allow commands starting with "npm test"');
  });

  it('exposes menu tokens', () => {
    assert.equal(requestContextValue(commandRequest('r', 's')), 'request commandApproval accept acceptForSession decline');
    assert.equal(requestContextValue(inputRequest('r', 's')), 'request userInput answerable');
    assert.ok(!/\baccept\b/.test('request x acceptForSession'), 'the inline Accept regex does not match acceptForSession');
  });
});
