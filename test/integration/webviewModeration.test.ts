/**
 * Moderated agent messages in the transcript webview (Chromium, built bundle, fake host): hidden and
 * blocked messages are rows that say so (with an accessible label), never with their text — also
 * when the text streamed before Codex blocked it; annotated and unknown modes keep the text and add a note.
 */
import * as assert from 'node:assert/strict';
import { launchChromium, type Chromium } from '../support/chromium';
import { WebviewHarness } from '../support/webviewHarness';
import { EventStream, SESSION_ID, agentMessage, moderatedMessage, snapshot, turn, userMessage } from '../support/transcriptFixtures';

const BLOCK = { mode: 'block', version: 1, reason: { kind: 'protection', protectionType: 'selfHarm' } };

/** The row's text after the webview's per-frame render has caught up (two frames). */
async function rowText(h: WebviewHarness, key: string): Promise<string> {
  await h.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  return h.page.locator(`.row[data-key="${key}"]`).innerText();
}

describe('webview: moderated agent messages (Chromium, built bundle)', function () {
  this.timeout(60_000);
  let chromium: Chromium;
  let h: WebviewHarness;
  before(async () => {
    chromium = await launchChromium();
  });
  after(async () => chromium?.close());
  beforeEach(async () => {
    h = await WebviewHarness.open(chromium.context);
  });
  afterEach(async () => h?.close());

  it('hidden and blocked rows say so with an accessible label; the text is not in the page', async () => {
    await h.post({
      type: 'init',
      snapshot: snapshot([
        turn('t1', [
          userMessage('u1', 'question'),
          moderatedMessage('a1', 'SECRET-HIDDEN', { mode: 'hide', version: 1, replacement: { kind: 'wellbeingPromptHelpline' } }),
          moderatedMessage('a2', 'SECRET-BLOCKED', BLOCK),
          moderatedMessage('a3', 'Here is help.', { mode: 'show', version: 1, annotation: { kind: 'wellbeingHelpline', subject: 'answer' }, trustedContacts: 'check' }),
          moderatedMessage('a4', 'As sent.', { mode: 'blur', version: 7 }),
        ]),
      ]),
    });
    assert.match(await rowText(h, 'i:t1:a1'), /Message hidden by moderation/);
    assert.match(await rowText(h, 'i:t1:a2'), /Response blocked \(protection: selfHarm\)/);
    const blocked = h.page.locator('.row[data-key="i:t1:a2"] [role="note"]');
    assert.equal(await blocked.getAttribute('aria-label'), 'Response blocked (protection: selfHarm)');
    assert.equal(await h.page.locator('.row[data-key="i:t1:a2"] [data-action="copy-message"]').count(), 0, 'nothing to copy');
    assert.equal(await h.page.locator('.row[data-key="i:t1:a3"] [data-action="copy-message"]').count(), 1, 'a shown message keeps its copy button');
    assert.equal(await h.page.locator('.row[data-key="i:t1:a1"] [role="note"]').getAttribute('aria-label'), 'Message hidden by moderation');
    const a3 = await rowText(h, 'i:t1:a3');
    assert.match(a3, /Here is help\./);
    assert.match(a3, /Codex suggests wellbeing helpline resources/);
    const a4 = await rowText(h, 'i:t1:a4');
    assert.match(a4, /As sent\./);
    assert.match(a4, /Unknown moderation instruction \(mode "blur", version 7\)/);
    assert.ok(!(await h.page.content()).includes('SECRET'), 'withheld text is nowhere in the DOM');
  });

  it('a message blocked after it streamed loses its text when item/completed says so', async () => {
    const ev = new EventStream(10);
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [userMessage('u1', 'question')], 'inProgress')]) });
    await h.post({
      type: 'events',
      prevSeq: 10,
      events: ev.batch(
        { kind: 'item/started', sessionId: SESSION_ID, turnId: 't1', item: agentMessage('a1', '') },
        { kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'a1', stream: 'agentMessage', delta: 'SECRET-STREAM' },
      ),
    });
    assert.match(await rowText(h, 'i:t1:a1'), /SECRET-STREAM/);
    await h.post({ type: 'events', prevSeq: 12, events: ev.batch({ kind: 'item/completed', sessionId: SESSION_ID, turnId: 't1', item: moderatedMessage('a1', 'SECRET-STREAM', BLOCK) }) });
    assert.match(await rowText(h, 'i:t1:a1'), /Response blocked \(protection: selfHarm\)/);
    assert.ok(!(await h.page.content()).includes('SECRET'), 'the streamed text is gone');
  });
});
