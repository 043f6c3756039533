import * as assert from 'node:assert/strict';
import { agentMessageText, moderationLabel, readModeration, textVisible } from '../../../protocol/moderation';
import { TranscriptSearch } from '../../../webview/model/search';
import { TranscriptModel } from '../../../webview/model/transcriptModel';
import { entryPlainText, transcriptMarkdown } from '../../../webview/model/transcriptText';
import { agentMessage, moderatedMessage, snapshot, turn, userMessage } from '../../support/transcriptFixtures';

const HIDE = { mode: 'hide', version: 1, replacement: { kind: 'wellbeingPromptHelpline' } };
const BLOCK_PROTECTION = { mode: 'block', version: 1, reason: { kind: 'protection', protectionType: 'selfHarm' } };
const BLOCK_CYBER = { mode: 'block', version: 1, reason: { kind: 'cyber', trustedAccess: true } };
const SHOW_HELPLINE = { mode: 'show', version: 1, annotation: { kind: 'wellbeingHelpline', subject: 'answer' }, trustedContacts: 'check' };

describe('agent message moderation (protocol/moderation)', () => {
  it('reads the 0.170+ versioned union', () => {
    assert.deepEqual(readModeration({ moderated: false, display: { mode: 'show', version: 1, trustedContacts: 'skip' } }), { kind: 'show' });
    assert.deepEqual(readModeration({ moderated: true, display: SHOW_HELPLINE }), { kind: 'show', note: 'Codex suggests wellbeing helpline resources' });
    assert.deepEqual(readModeration({ moderated: true, display: HIDE }), { kind: 'hidden', replacement: 'wellbeingPromptHelpline' });
    assert.deepEqual(readModeration({ moderated: true, display: BLOCK_PROTECTION }), { kind: 'blocked', reason: 'protection: selfHarm' });
    assert.deepEqual(readModeration({ moderated: true, display: BLOCK_CYBER }), { kind: 'blocked', reason: 'cyber, trusted access' });
    assert.deepEqual(readModeration({ moderated: true, display: { mode: 'block', version: 1, reason: { kind: 'cyber' } } }), { kind: 'blocked', reason: 'cyber' });
  });

  it('reads the 0.169 shape ({action, blockType})', () => {
    assert.deepEqual(readModeration({ moderated: true, display: { action: 'block', blockType: 'cyber', cyberTrustedAccess: null, checkTrustedContacts: null } }), { kind: 'blocked', reason: 'cyber' });
    assert.deepEqual(readModeration({ moderated: false, display: { action: 'show', blockType: null } }), { kind: 'show' });
    assert.deepEqual(readModeration({ moderated: true, display: { action: 'redact' } }), { kind: 'unknown', mode: 'redact' });
  });

  it('an unknown mode or version, or garbage, never throws and is shown as sent, with a note', () => {
    assert.deepEqual(readModeration({ moderated: true, display: { mode: 'blur', version: 1 } }), { kind: 'unknown', mode: 'blur', version: 1 });
    assert.deepEqual(readModeration({ moderated: true, display: { mode: 'block', version: 2, reason: 'x' } }), { kind: 'unknown', mode: 'block', version: 2 });
    assert.deepEqual(readModeration({ moderated: true, display: { something: 1 } }), { kind: 'unknown', mode: '(none)' });
    for (const garbage of [null, undefined, 5, 'x', [], { display: null }, { display: 'block' }, { moderated: true, display: [] }]) {
      assert.deepEqual(readModeration(garbage), { kind: 'show' }, JSON.stringify(garbage));
    }
    const unknown = readModeration({ display: { mode: 'blur', version: 3 } });
    assert.equal(textVisible(unknown), true);
    assert.equal(moderationLabel(unknown), 'Unknown moderation instruction (mode "blur", version 3); shown as Codex sent it');
  });

  it('hidden and blocked messages are replaced by their label; the text never shows', () => {
    assert.equal(agentMessageText(moderatedMessage('a', 'SECRET', HIDE)), 'Message hidden by moderation');
    assert.equal(agentMessageText(moderatedMessage('a', 'SECRET', BLOCK_PROTECTION)), 'Response blocked (protection: selfHarm)');
    assert.equal(agentMessageText(moderatedMessage('a', '', BLOCK_CYBER)), 'Response blocked (cyber, trusted access)');
    assert.equal(agentMessageText(moderatedMessage('a', 'fine', SHOW_HELPLINE)), 'fine');
    assert.equal(agentMessageText(agentMessage('a', 'plain')), 'plain');
  });
});

describe('webview model: moderated agent messages', () => {
  function model(): TranscriptModel {
    const m = new TranscriptModel();
    m.applySnapshot(
      snapshot([
        turn('t1', [
          userMessage('u1', 'question'),
          moderatedMessage('a1', 'SECRET-HIDDEN', HIDE),
          moderatedMessage('a2', 'SECRET-BLOCKED', BLOCK_PROTECTION),
          moderatedMessage('a3', 'Here is help.', SHOW_HELPLINE),
          moderatedMessage('a4', 'As sent.', { mode: 'blur', version: 9 }),
        ]),
      ]),
    );
    return m;
  }

  it('Markdown export says hidden / blocked instead of the text, and notes annotations and unknown modes', () => {
    const md = transcriptMarkdown(model());
    assert.ok(!md.includes('SECRET'), md);
    assert.ok(md.includes('### Codex\n\n*Message hidden by moderation*'), md);
    assert.ok(md.includes('### Codex\n\n*Response blocked (protection: selfHarm)*'), md);
    assert.ok(md.includes('Here is help.\n\n*Codex suggests wellbeing helpline resources*'), md);
    assert.ok(md.includes('As sent.\n\n*Unknown moderation instruction (mode "blur", version 9); shown as Codex sent it*'), md);
  });

  it('find-in-transcript matches the labels, never a withheld text', () => {
    const m = model();
    const texts = m.entries.map((e) => entryPlainText(e)).join('\n');
    assert.ok(!texts.includes('SECRET'), texts);
    const search = new TranscriptSearch();
    assert.equal(search.find(m.entries, 'SECRET').length, 0);
    assert.ok(search.find(m.entries, 'blocked').length > 0);
    assert.ok(search.find(m.entries, 'hidden by moderation').length > 0);
  });
});
