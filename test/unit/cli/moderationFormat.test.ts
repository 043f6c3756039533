import { strict as assert } from 'node:assert';
import { itemSummary } from '../../../cli/eventFormat';
import { agentMessage, moderatedMessage } from '../../support/transcriptFixtures';

describe('CLI: moderated agent messages (events, sessions show --items)', () => {
  it('hidden and blocked messages print their label, never their text', () => {
    assert.equal(itemSummary(moderatedMessage('a', 'SECRET', { mode: 'hide', version: 1, replacement: { kind: 'wellbeingPromptHelpline' } })), 'assistant: [Message hidden by moderation]');
    assert.equal(
      itemSummary(moderatedMessage('a', 'SECRET', { mode: 'block', version: 1, reason: { kind: 'protection', protectionType: 'selfHarm' } })),
      'assistant: [Response blocked (protection: selfHarm)]',
    );
    assert.equal(itemSummary(moderatedMessage('a', '', { mode: 'block', version: 1, reason: { kind: 'cyber' } })), 'assistant: [Response blocked (cyber)]');
  });

  it('annotated and unknown moderation print the text with a note; plain messages are unchanged', () => {
    assert.equal(
      itemSummary(moderatedMessage('a', 'Help is here.', { mode: 'show', version: 1, annotation: { kind: 'wellbeingHelpline', subject: 'prompt' }, trustedContacts: 'check' })),
      'assistant: Help is here. [Codex suggests wellbeing helpline resources]',
    );
    assert.equal(
      itemSummary(moderatedMessage('a', 'As sent.', { mode: 'fade', version: 2 })),
      'assistant: As sent. [Unknown moderation instruction (mode "fade", version 2); shown as Codex sent it]',
    );
    assert.equal(itemSummary(agentMessage('a', 'Hello')), 'assistant: Hello');
    assert.equal(itemSummary(agentMessage('a', '')), 'assistant');
  });
});
