import * as assert from 'node:assert/strict';
import { isHostToWebviewMessage, isInitMessage, isWebviewToHostMessage } from '../../../protocol/webviewProtocol';
import { TranscriptSearch, totalOccurrences } from '../../../webview/model/search';
import { fence, transcriptJson, transcriptMarkdown } from '../../../webview/model/transcriptText';
import { TranscriptModel } from '../../../webview/model/transcriptModel';
import { agentMessage, command, commandApproval, snapshot, turn, userMessage } from '../../support/transcriptFixtures';

function model(): TranscriptModel {
  const m = new TranscriptModel();
  m.applySnapshot(
    snapshot(
      [
        turn('t1', [userMessage('u1', 'Fix the build'), command('c1', 'npm test', 'ok ```x```\n', 0), agentMessage('a1', 'Done. The **build** passes.')]),
        turn('t2', [userMessage('u2', 'And the docs?')], 'inProgress'),
      ],
      { pending: [commandApproval('req-1', 't2', 'u2', 'make docs')] },
    ),
  );
  return m;
}

describe('webview/transcriptText', () => {
  it('fences text containing backticks with a longer fence', () => {
    assert.equal(fence('a ``` b', 'sh'), '````sh\na ``` b\n````');
    assert.equal(fence('plain\n'), '```\nplain\n```');
  });

  it('exports Markdown with every turn, in order', () => {
    const md = transcriptMarkdown(model());
    const order = ['# Fix the build', '### User\n\nFix the build', '$ npm test', '````\nok ```x```', '### Codex\n\nDone. The **build** passes.', '*Turn completed', 'And the docs?', 'make docs'];
    let at = -1;
    for (const part of order) {
      const next = md.indexOf(part, at + 1);
      assert.ok(next > at, `missing or out of order: ${part}\n---\n${md}`);
      at = next;
    }
  });

  it('exports JSON in the sessions/read shape, including what is pending', () => {
    const json = JSON.parse(transcriptJson(model()));
    assert.equal(json.turns.length, 2);
    assert.equal(json.turns[0].items.length, 3);
    assert.equal(json.turns[0].status, 'completed');
    assert.equal(json.turns[1].status, 'inProgress');
    assert.equal(json.pending[0].id, 'req-1');
  });

  it('finds rows by their text (rendered or not), case-insensitively, counting occurrences', () => {
    const m = model();
    const search = new TranscriptSearch();
    const hits = search.find(m.entries, 'BUILD');
    assert.deepEqual(
      hits.map((h) => h.key),
      ['i:t1:u1', 'i:t1:a1'],
    );
    assert.equal(totalOccurrences(hits), 2);
    assert.deepEqual(search.find(m.entries, 'make docs').map((h) => h.key), ['r:req-1']);
    assert.deepEqual(search.find(m.entries, ''), []);
  });
});

describe('protocol/webviewProtocol guards', () => {
  it('accepts well-formed messages in both directions', () => {
    assert.ok(isHostToWebviewMessage({ type: 'events', prevSeq: 1, events: [] }));
    const init = { type: 'init', snapshot: { turns: [] } };
    assert.ok(isHostToWebviewMessage(init) && isInitMessage(init));
    assert.ok(isWebviewToHostMessage({ type: 'ready', protocolVersion: 1 }));
    assert.ok(isWebviewToHostMessage({ type: 'send', id: 1, text: 'x', images: ['/a.png'], controls: { model: 'm' } }));
    assert.ok(isWebviewToHostMessage({ type: 'answerRequest', id: 1, requestId: 'r', answer: { type: 'userInput', answers: { q: ['a'] } } }));
    assert.ok(isWebviewToHostMessage({ type: 'openDiff', target: { kind: 'files', title: 't', changes: [{ path: 'a', kind: 'add', diff: 'x' }] } }));
  });

  it('rejects unknown types and wrong field types', () => {
    assert.ok(!isHostToWebviewMessage({ type: 'eval', code: '1' }));
    assert.ok(!isHostToWebviewMessage(null));
    for (const m of [
      { type: 'runCommand', command: 'x' },
      { type: 'send', id: '1', text: 'x', images: [] },
      { type: 'send', id: 1, text: 'x', images: [1] },
      { type: 'answerRequest', id: 1, requestId: 'r', answer: { type: 'decision' } },
      { type: 'answerRequest', id: 1, requestId: 'r', answer: { type: 'userInput', answers: { q: 'a' } } },
      { type: 'openDiff', target: { kind: 'files', title: 't', changes: [{ path: 'a', kind: 'chmod' }] } },
      { type: 'export', format: 'html', content: '' },
      { type: 'requestSnapshot', reason: 'because' },
    ]) {
      assert.ok(!isWebviewToHostMessage(m), JSON.stringify(m));
    }
  });
});
