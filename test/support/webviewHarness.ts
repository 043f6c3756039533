/**
 * The BUILT transcript bundle (dist/webview/transcript.js) in a Chromium page with a fake VS Code
 * host: an `acquireVsCodeApi` shim records what the webview posts; the test posts host messages
 * with `window.postMessage`. Served from a fake origin through request routing, so every other
 * request (an XSS trying to phone home) is recorded and aborted. Optionally with the panel's CSP.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { BrowserContext, Page } from 'playwright-core';
import type { HostToWebviewMessage, WebviewToHostMessage } from '../../protocol/webviewProtocol';

export const ROOT = resolve(__dirname, '../..');
const ORIGIN = 'https://fleet.test';
const FILES: Record<string, [string, string]> = {
  '/dist/webview/transcript.js': ['dist/webview/transcript.js', 'text/javascript'],
  '/media/transcript.css': ['media/transcript.css', 'text/css'],
  '/media/codicons/codicon.css': ['dist/webview/codicons/codicon.css', 'text/css'],
  '/media/codicons/codicon.ttf': ['dist/webview/codicons/codicon.ttf', 'font/ttf'],
};

/** Build the webview bundle if it is missing (the integration script builds first anyway). */
export function ensureWebviewBundle(): void {
  if (!existsSync(join(ROOT, 'dist/webview/transcript.js'))) execFileSync(process.execPath, ['esbuild.mjs', 'webview'], { cwd: ROOT, stdio: 'inherit' });
}

export interface HarnessOptions {
  /** Render only rows near the viewport (the real setting). Default true. */
  virtualize?: boolean;
  /** Serve the page with the panel's Content-Security-Policy. Default true. */
  csp?: boolean;
}

/** The page's HTML: the same shape transcriptPanel.ts produces, plus the fake host. */
function pageHtml(nonce: string, opts: HarnessOptions): string {
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${ORIGIN} 'nonce-${nonce}'; img-src ${ORIGIN} data:; font-src ${ORIGIN};`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
${opts.csp === false ? '' : `<meta http-equiv="Content-Security-Policy" content="${csp}">`}
<link id="vscode-codicon-stylesheet" rel="stylesheet" nonce="${nonce}" href="${ORIGIN}/media/codicons/codicon.css">
<link rel="stylesheet" nonce="${nonce}" href="${ORIGIN}/media/transcript.css">
<style nonce="${nonce}">
/* A few of VS Code's Dark Modern theme variables, so screenshots look like the real panel. */
html { --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d;
  --vscode-panel-border: #2b2b2b; --vscode-textLink-foreground: #4daafc; --vscode-textCodeBlock-background: #2b2b2b;
  --vscode-focusBorder: #0078d4; --vscode-editorWidget-background: #202020; --vscode-errorForeground: #f85149;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-input-background: #313131;
  --vscode-input-foreground: #cccccc; --vscode-terminal-background: #181818; }
</style>
<script nonce="${nonce}">
window.__name = function (f) { return f; }; // esbuild/tsx keepNames helper used by page.evaluate callbacks
window.__hostInbox = []; window.__xssHits = []; window.__cspViolations = []; window.__navigations = 0;
window.__pwned = function (tag) { window.__xssHits.push(String(tag)); };
window.alert = window.confirm = window.prompt = function () { window.__xssHits.push('dialog'); };
document.addEventListener('securitypolicyviolation', function (e) { window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI); });
let state;
window.acquireVsCodeApi = function () {
  return {
    postMessage: function (m) { window.__hostInbox.push(JSON.parse(JSON.stringify(m))); },
    getState: function () { return state; },
    setState: function (s) { state = s; },
  };
};
</script>
<title>transcript</title></head>
<body class="vscode-dark"><div id="app"${opts.virtualize === false ? ' data-virtualize="off"' : ''}></div>
<script nonce="${nonce}" src="${ORIGIN}/dist/webview/transcript.js"></script></body></html>`;
}

export class WebviewHarness {
  /** Requests other than the page and its own resources (each one a failure for the XSS test). */
  readonly strayRequests: string[] = [];
  /** Main-frame navigations after the first load. */
  readonly navigations: string[] = [];

  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, opts: HarnessOptions = {}): Promise<WebviewHarness> {
    ensureWebviewBundle();
    const page = await context.newPage();
    const harness = new WebviewHarness(page);
    const html = pageHtml(randomBytes(16).toString('base64'), opts);
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin === ORIGIN && url.pathname === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html', body: html });
      const file = url.origin === ORIGIN ? FILES[url.pathname] : undefined;
      if (file) return route.fulfill({ status: 200, contentType: file[1], body: readFileSync(join(ROOT, file[0])) });
      harness.strayRequests.push(route.request().url());
      return route.abort();
    });
    let loaded = false;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame() && loaded) harness.navigations.push(f.url());
    });
    await page.goto(`${ORIGIN}/index.html`);
    loaded = true;
    await page.waitForFunction(() => (window as unknown as { __hostInbox: unknown[] }).__hostInbox.length > 0);
    return harness;
  }

  /** Post a host message and wait for the frame that renders it (if any). */
  async post(message: HostToWebviewMessage): Promise<void> {
    const arg: unknown = message; // keeps Playwright's serializable-type check shallow
    await this.page.evaluate((m) => {
      // The frame that renders it; or two frames, for messages that change no row (command replies).
      const rendered = new Promise<void>((r) => {
        document.addEventListener('fleet-rendered', () => r(), { once: true });
        requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => r())));
      });
      window.postMessage(m, '*');
      return rendered;
    }, arg);
  }

  /** Everything the webview posted to the host so far. */
  inbox(): Promise<WebviewToHostMessage[]> {
    return this.page.evaluate(() => (window as unknown as { __hostInbox: WebviewToHostMessage[] }).__hostInbox);
  }

  /** Globals an executed payload would leave behind. */
  evidence(): Promise<{ hits: string[]; csp: string[]; xss: unknown }> {
    return this.page.evaluate(() => {
      const w = window as unknown as { __xssHits: string[]; __cspViolations: string[]; __xss?: unknown };
      return { hits: w.__xssHits, csp: w.__cspViolations, xss: w.__xss };
    });
  }

  /** Wait until the next frame has painted. */
  async settle(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
