/**
 * No model output can script the transcript: every payload of test/support/xssPayloads.ts, in every
 * item kind, request card, delta stream, error, plan, queue entry and session name, rendered by the
 * BUILT bundle in Chromium. Then every section is expanded and every link clicked. Asserts nothing
 * executed (no `__pwned`, no `__xss`, no dialog), nothing hit the network, nothing navigated or
 * opened a window, the CSP never had to block anything (the sanitizer stopped it first), and the
 * payloads are still on screen as text.
 */
import * as assert from 'node:assert/strict';
import { classifyLink } from '../../client/transcript/linkPolicy';
import type { WebviewToHostMessage } from '../../protocol/webviewProtocol';
import { launchChromium, type Chromium } from '../support/chromium';
import { WebviewHarness } from '../support/webviewHarness';
import { XSS_PAYLOADS, marked } from '../support/xssPayloads';
import { xssEvents, xssSnapshot } from '../support/xssTranscript';

async function loadEverything(h: WebviewHarness): Promise<void> {
  await h.post({ type: 'init', snapshot: xssSnapshot() });
  const { prevSeq, events } = xssEvents();
  await h.post({ type: 'events', prevSeq, events });
  // Expand every collapsible section (reasoning, tool calls) and every "show diff / show all".
  await h.page.evaluate(() => {
    for (const c of Array.from(document.querySelectorAll('vscode-collapsible'))) c.dispatchEvent(new CustomEvent('vsc-collapsible-toggle', { detail: { open: true } }));
  });
  await h.settle();
  await h.page.evaluate(() => {
    for (const b of Array.from(document.querySelectorAll<HTMLElement>('[data-action="toggle"]'))) b.click();
  });
  await h.settle();
}

async function clickAllLinks(h: WebviewHarness): Promise<number> {
  const n = await h.page.evaluate(() => {
    const links = Array.from(document.querySelectorAll<HTMLElement>('#app a, [data-action="open-link"], [data-action="open-file"]'));
    for (const a of links) {
      a.click();
      a.dispatchEvent(new MouseEvent('click', { bubbles: true, button: 1 }));
    }
    return links.length;
  });
  await h.settle();
  return n;
}

async function assertClean(h: WebviewHarness, context: Chromium['context'], popupsBefore: number, csp: boolean): Promise<void> {
  const evidence = await h.evidence();
  assert.deepEqual(evidence.hits, [], 'a payload executed');
  assert.equal(evidence.xss, undefined, 'a payload set window.__xss');
  assert.deepEqual(h.strayRequests, [], 'a payload reached for the network');
  assert.deepEqual(h.navigations, [], 'the webview navigated');
  assert.equal(context.pages().length, popupsBefore, 'a payload opened a window');
  if (csp) assert.deepEqual(evidence.csp, [], 'the CSP had to block something the sanitizer let through');
  const alive = await h.page.evaluate(() => typeof (window as unknown as { acquireVsCodeApi?: unknown }).acquireVsCodeApi === 'function' && !!document.querySelector('.composer'));
  assert.ok(alive, 'the page is intact');
}

async function assertVisibleAsText(h: WebviewHarness): Promise<void> {
  const found = await h.page.evaluate((ids) => {
    const text = document.getElementById('app')?.textContent ?? '';
    return ids.filter((id) => !text.includes(`[${id}]`));
  }, XSS_PAYLOADS.map((p) => p.id));
  assert.deepEqual(found, [], 'payload markers missing from the rendered text');
  // User messages are plain text: each must read exactly as the model sent it.
  const mismatches = await h.page.evaluate((expected) => {
    const bad: string[] = [];
    expected.forEach((want, n) => {
      const row = document.querySelector(`.row[data-key="i:t${n}:u${n}"] .user-text`);
      if (row?.textContent !== want) bad.push(`${n}: ${JSON.stringify(row?.textContent)}`);
    });
    return bad;
  }, XSS_PAYLOADS.map(marked));
  assert.deepEqual(mismatches, []);
}

describe('webview XSS (Chromium, built bundle)', function () {
  this.timeout(120_000);
  let chromium: Chromium;

  before(async () => {
    assert.ok(XSS_PAYLOADS.length >= 50, 'at least 50 payloads');
    chromium = await launchChromium({ width: 1200, height: 900 });
  });
  after(async () => chromium?.close());

  for (const csp of [true, false]) {
    it(`renders ${XSS_PAYLOADS.length} payloads in every field without executing any (${csp ? 'with the panel CSP' : 'sanitizer alone, no CSP'})`, async () => {
      const popups = chromium.context.pages().length;
      const h = await WebviewHarness.open(chromium.context, { virtualize: false, csp });
      const errors: string[] = [];
      h.page.on('pageerror', (e) => errors.push(e.message));
      h.page.on('dialog', (d) => {
        errors.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      try {
        await loadEverything(h);
        const rows = await h.page.evaluate(() => document.querySelectorAll('.row').length);
        assert.ok(rows > XSS_PAYLOADS.length * 20, `every entry rendered (${rows} rows)`);
        await assertVisibleAsText(h);
        const clicked = await clickAllLinks(h);
        assert.ok(clicked > XSS_PAYLOADS.length, `links were clicked (${clicked})`);
        await assertClean(h, chromium.context, popups + 1, csp);
        assert.deepEqual(errors, []);
        // Links went to the host, which only opens http(s)/mailto externally.
        const inbox = await h.inbox();
        const links = inbox.filter((m): m is Extract<WebviewToHostMessage, { type: 'openLink' }> => m.type === 'openLink');
        assert.ok(links.length > 0);
        for (const l of links) {
          const target = classifyLink(l.url, '/work/demo');
          if (target.kind === 'external') assert.match(target.uri, /^(https?|mailto):/i, l.url);
        }
        assert.ok(links.some((l) => /^javascript:/i.test(l.url)), 'javascript: URLs reach the host only as data (and are refused there)');
        assert.equal(classifyLink('javascript:__pwned("u1")', '/').kind, 'refused');
      } finally {
        await h.close();
      }
    });
  }

  it('stays clean when the virtualized list renders rows as they scroll into view', async () => {
    const popups = chromium.context.pages().length;
    const h = await WebviewHarness.open(chromium.context, { virtualize: true, csp: true });
    try {
      await loadEverything(h);
      const seen = await h.page.evaluate(async () => {
        const scroller = document.querySelector<HTMLElement>('.scroller')!;
        const keys = new Set<string>();
        scroller.scrollTop = 0;
        for (let guard = 0; guard < 5000; guard++) {
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          document.querySelectorAll<HTMLElement>('.row').forEach((r) => keys.add(r.dataset.key ?? ''));
          if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) break;
          scroller.scrollTop += scroller.clientHeight * 0.9;
        }
        return keys.size;
      });
      assert.ok(seen > XSS_PAYLOADS.length * 20, `scrolled through ${seen} rows`);
      await clickAllLinks(h);
      await assertClean(h, chromium.context, popups + 1, true);
    } finally {
      await h.close();
    }
  });
});
