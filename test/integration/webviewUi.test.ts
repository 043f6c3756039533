/**
 * The transcript webview's behaviour in Chromium (built bundle, fake host): the handshake, inline
 * approval and user-input cards, the composer (send / steer / queue / interrupt / remove queued),
 * gap detection, find across unrendered rows, links, diffs, copy and export.
 */
import * as assert from 'node:assert/strict';
import type { WebviewToHostMessage } from '../../protocol/webviewProtocol';
import { launchChromium, type Chromium } from '../support/chromium';
import { WebviewHarness } from '../support/webviewHarness';
import { EventStream, SESSION_ID, agentMessage, bigTranscript, command, commandApproval, fileChange, session, snapshot, turn, userMessage } from '../support/transcriptFixtures';

type Msg<T extends WebviewToHostMessage['type']> = Extract<WebviewToHostMessage, { type: T }>;

async function waitFor<T extends WebviewToHostMessage['type']>(h: WebviewHarness, type: T, from = 0): Promise<Msg<T>> {
  await h.page.waitForFunction(
    ([t, n]) => (window as unknown as { __hostInbox: Array<{ type: string }> }).__hostInbox.slice(n as number).some((m) => m.type === t),
    [type, from] as const,
  );
  const inbox = await h.inbox();
  return inbox.slice(from).find((m): m is Msg<T> => m.type === type)!;
}

/** Text of the first match, read after the webview's per-frame render has caught up (two frames). */
const text = async (h: WebviewHarness, selector: string) => {
  await h.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  return h.page.locator(selector).first().innerText();
};

describe('webview UI (Chromium, built bundle)', function () {
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

  it('says ready first, with the protocol version, and renders the snapshot', async () => {
    const [ready] = await h.inbox();
    assert.deepEqual(ready, { type: 'ready', protocolVersion: 1 });
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [userMessage('u1', 'hello'), agentMessage('a1', 'Hi **there**')])]) });
    assert.equal(await text(h, '.row[data-key="i:t1:u1"] .user-text'), 'hello');
    assert.equal(await h.page.locator('.row[data-key="i:t1:a1"] .markdown strong').innerText(), 'there');
    assert.equal(await text(h, '.session-title'), 'Fix the build');
  });

  it('renders task lists as disabled checkboxes, and leaves task-list lines in code blocks literal', async () => {
    const reply = ['Plan:', '', '- [x] read the code', '- [ ] fix the bug', '', '```md', '- [ ] not a task', '```'].join('\n');
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [agentMessage('a1', reply)])]) });
    const row = h.page.locator('.row[data-key="i:t1:a1"] .markdown');
    await row.locator('li').first().waitFor();
    const boxes = await row.locator('li input').evaluateAll((els) => els.map((e) => ({ type: (e as HTMLInputElement).type, checked: (e as HTMLInputElement).checked, disabled: (e as HTMLInputElement).disabled })));
    assert.deepEqual(boxes, [
      { type: 'checkbox', checked: true, disabled: true },
      { type: 'checkbox', checked: false, disabled: true },
    ]);
    assert.deepEqual((await row.locator('li').allInnerTexts()).map((t) => t.trim()), ['read the code', 'fix the bug']);
    assert.equal((await row.locator('pre code').innerText()).trim(), '- [ ] not a task');
  });

  it('answers an approval from its inline card and shows the outcome', async () => {
    const ev = new EventStream(10);
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [command('c1', 'rm -rf build', null, null)], 'inProgress')], { pending: [commandApproval('req-1', 't1', 'c1')] }) });
    assert.match(await text(h, '.row[data-key="i:t1:c1"]'), /Waiting for approval/);
    const before = (await h.inbox()).length;
    await h.page.locator('.row[data-key="r:req-1"] vscode-button', { hasText: 'Accept for Session' }).click();
    const answer = await waitFor(h, 'answerRequest', before);
    assert.deepEqual(answer.answer, { type: 'decision', decision: 'acceptForSession' });
    assert.match(await text(h, '.row[data-key="r:req-1"]'), /Sending answer/);
    await h.page.evaluate((id) => window.postMessage({ type: 'result', replyTo: id, ok: true }, '*'), answer.id);
    await h.post({ type: 'events', prevSeq: 10, events: ev.batch({ kind: 'request/ended', requestId: 'req-1', sessionId: SESSION_ID, reason: 'answered', by: 'vscode', answer: answer.answer }) });
    assert.match(await text(h, '.row[data-key="r:req-1"]'), /Accepted for the session by vscode/);
  });

  it('says "already answered" when another client won', async () => {
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [], 'inProgress')], { pending: [commandApproval('req-1', 't1', 'c1')] }) });
    const before = (await h.inbox()).length;
    await h.page.locator('.row[data-key="r:req-1"] vscode-button', { hasText: 'Decline' }).click();
    const answer = await waitFor(h, 'answerRequest', before);
    await h.post({ type: 'result', replyTo: answer.id, ok: false, message: 'Already answered elsewhere (or expired).', alreadyResolved: true });
    assert.match(await text(h, '.row[data-key="r:req-1"]'), /Already answered elsewhere/);
  });

  it('submits a user-input card with a chosen option and free text', async () => {
    const request = {
      id: 'req-u',
      kind: 'userInput' as const,
      sessionId: SESSION_ID,
      turnId: 't1',
      createdAt: 1,
      method: 'item/tool/requestUserInput',
      questions: [
        { id: 'color', header: 'Color', question: 'Pick one', options: [{ label: 'Blue' }, { label: 'Red' }], allowOther: false, secret: false },
        { id: 'name', header: 'Name', question: 'Your name?', options: [], allowOther: true, secret: false },
      ],
    };
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [], 'inProgress')], { pending: [request] }) });
    await h.page.locator('vscode-radio[value="Red"]').click();
    await h.page.locator('.row[data-key="r:req-u"] vscode-textfield').locator('input').fill('Alice');
    const before = (await h.inbox()).length;
    await h.page.locator('.row[data-key="r:req-u"] vscode-button', { hasText: 'Submit' }).click();
    const answer = await waitFor(h, 'answerRequest', before);
    assert.deepEqual(answer.answer, { type: 'userInput', answers: { color: ['Red'], name: ['Alice'] } });
  });

  it('composer: Enter sends when idle; while running it steers, queues, interrupts and removes queued messages', async () => {
    const ev = new EventStream(10);
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [userMessage('u1', 'hi')])]) });
    const input = h.page.locator('vscode-textarea.composer-input textarea');
    await input.fill('first');
    let before = (await h.inbox()).length;
    await input.press('Enter');
    const send = await waitFor(h, 'send', before);
    assert.equal(send.text, 'first');
    await h.post({ type: 'result', replyTo: send.id, ok: true });
    assert.equal(await input.inputValue(), '', 'cleared after the host accepted it');
    await h.post({ type: 'events', prevSeq: 10, events: ev.batch({ kind: 'turn/started', sessionId: SESSION_ID, turnId: 't2' }) });
    assert.ok(await h.page.locator('vscode-button[data-action="steer"]').isVisible());
    await input.fill('steer this');
    before = (await h.inbox()).length;
    await input.press('Enter');
    const steer = await waitFor(h, 'steer', before);
    assert.equal(steer.text, 'steer this');
    await h.post({ type: 'result', replyTo: steer.id, ok: true });
    await input.fill('later');
    before = (await h.inbox()).length;
    await h.page.locator('vscode-button[data-action="queue"]').click();
    const queue = await waitFor(h, 'queue', before);
    assert.equal(queue.text, 'later');
    await h.post({ type: 'result', replyTo: queue.id, ok: false, message: 'queue is full' });
    assert.equal(await text(h, '.composer-status'), 'queue is full', 'a failure is shown and the draft kept');
    assert.equal(await input.inputValue(), 'later');
    await h.post({ type: 'events', prevSeq: 11, events: ev.batch({ kind: 'queue/updated', sessionId: SESSION_ID, queue: [{ id: 'q1', sessionId: SESSION_ID, text: 'later', images: [], queuedAt: 1, by: 'vscode' }] }) });
    before = (await h.inbox()).length;
    await h.page.locator('.queue [data-action="remove-queued"]').click();
    assert.equal((await waitFor(h, 'removeQueued', before)).queuedId, 'q1');
    before = (await h.inbox()).length;
    await h.page.locator('vscode-button[data-action="interrupt"]').click();
    await waitFor(h, 'interrupt', before);
  });

  it('asks for a snapshot when a batch does not follow what it has', async () => {
    await h.post({ type: 'init', snapshot: snapshot([turn('t1', [])], { lastSeq: 10 }) });
    const before = (await h.inbox()).length;
    await h.post({ type: 'events', prevSeq: 15, events: [{ kind: 'turn/started', sessionId: SESSION_ID, turnId: 't9', seq: 16, time: 1 }] });
    assert.deepEqual(await waitFor(h, 'requestSnapshot', before), { type: 'requestSnapshot', reason: 'gap' });
    assert.equal(await h.page.locator('.row[data-key="t:t9"]').count(), 0);
  });

  it('finds text in rows that are not rendered and scrolls to them', async () => {
    const snap = bigTranscript(2000);
    const first = snap.turns[0].items[0];
    assert.equal(first.type, 'userMessage');
    (first as Extract<typeof first, { type: 'userMessage' }>).content = [{ type: 'text', text: 'needle-in-the-haystack', text_elements: [] }];
    await h.post({ type: 'init', snapshot: snap });
    assert.equal(await h.page.locator('.row[data-key="i:turn-0:u0"]').count(), 0, 'the first row is virtualized away');
    await h.page.keyboard.press('Control+f');
    await h.page.locator('.find-input input').fill('needle-in');
    await h.page.waitForSelector('.row[data-key="i:turn-0:u0"]');
    assert.match(await text(h, '.find-count'), /1 of 1 rows/);
    const rows = await h.page.evaluate(() => document.querySelectorAll('.row').length);
    assert.ok(rows < 100, `still virtualized (${rows} rows in the DOM)`);
  });

  it('links, diffs, copy and export go to the host', async () => {
    const ev = new EventStream(10);
    await h.post({
      type: 'init',
      snapshot: snapshot([turn('t1', [agentMessage('a1', 'See [docs](https://example.com/d) and `x`'), fileChange('f1', '/work/demo/src/a.ts', '@@ -1 +1 @@\n-a\n+b\n')])], { session: session({ name: 'S' }) }),
    });
    await h.post({ type: 'events', prevSeq: 10, events: ev.batch({ kind: 'turn/diff', sessionId: SESSION_ID, turnId: 't1', diff: 'diff --git a/x b/x\n' }) });
    let before = (await h.inbox()).length;
    await h.page.locator('.markdown a', { hasText: 'docs' }).click();
    assert.equal((await waitFor(h, 'openLink', before)).url, 'https://example.com/d');
    assert.equal(await h.page.evaluate(() => location.href), 'https://fleet.test/index.html');
    before = (await h.inbox()).length;
    await h.page.locator('.row[data-key="i:t1:f1"] [data-action="open-diff"]').first().click();
    const diff = await waitFor(h, 'openDiff', before);
    assert.deepEqual(diff.target.kind === 'files' && diff.target.changes, [{ path: '/work/demo/src/a.ts', kind: 'update', movePath: null, diff: '@@ -1 +1 @@\n-a\n+b\n' }]);
    before = (await h.inbox()).length;
    await h.page.locator('[data-action="open-turn-diff"]').click();
    assert.equal((await waitFor(h, 'openDiff', before)).target.kind, 'unified');
    before = (await h.inbox()).length;
    await h.page.locator('vscode-toolbar-button[data-action="export-json"]').click();
    const exported = await waitFor(h, 'export', before);
    assert.equal(JSON.parse(exported.content).session.name, 'S');
    before = (await h.inbox()).length;
    await h.page.locator('vscode-toolbar-button[data-action="copy-markdown"]').click();
    assert.match((await waitFor(h, 'copy', before)).text, /^# S/);
  });
});
