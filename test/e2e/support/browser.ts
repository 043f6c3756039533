/**
 * Debian chromium driven by playwright-core against a code-server workbench, with helpers built on
 * the selectors measured in shared/notes/vscode-e2e-offline.md. Every helper waits on a selector
 * (default timeout 15 s), never on a clock.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS as SHARED_CHROMIUM_FLAGS } from '../../support/chromium';
import { ARTIFACTS_DIR, CHROMIUM, makeRunDir, removeDir, slug } from './tools';

export const DEFAULT_TIMEOUT_MS = 15_000;
/** Loading the workbench (a cold start under CPU load) gets longer than a single UI step. */
export const LOAD_TIMEOUT_MS = 60_000;

/** Flags that keep chromium off the (closed) network and quiet (shared with the webview tests); playwright adds --headless itself. */
export const CHROMIUM_FLAGS = SHARED_CHROMIUM_FLAGS.filter((f) => f !== '--headless');

export interface BrowserOptions {
  /** Default action/wait timeout in ms (default 15 000, or E2E_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Show the window (needs a display; default headless). */
  headed?: boolean;
  viewport?: { width: number; height: number };
  /** Called before navigation, e.g. to `page.exposeFunction(...)`. */
  beforeNavigate?: (page: Page) => Promise<void>;
  /** Wait for the workbench to render after navigation (default true). */
  waitForWorkbench?: boolean;
}

export class VsCodeBrowser {
  /** Browser console lines, kept for failure reports. */
  readonly consoleLines: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly profileDir: string,
    /** Default timeout of every helper, in ms. */
    readonly timeoutMs: number,
  ) {
    page.on('console', (m: ConsoleMessage) => this.consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e: Error) => this.consoleLines.push(`[pageerror] ${e.message}`));
  }

  /** Launch chromium with a fresh profile and open `url` (a code-server URL, e.g. `server.folderUrl()`). */
  static async open(url: string, opts: BrowserOptions = {}): Promise<VsCodeBrowser> {
    const profileDir = makeRunDir('chromium');
    const timeout = opts.timeoutMs ?? Number(process.env.E2E_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS);
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM,
        headless: !opts.headed,
        args: CHROMIUM_FLAGS,
        viewport: opts.viewport ?? { width: 1400, height: 900 },
      });
      context.setDefaultTimeout(timeout);
      const page = context.pages()[0] ?? (await context.newPage());
      const vs = new VsCodeBrowser(context, page, profileDir, timeout);
      if (opts.beforeNavigate) await opts.beforeNavigate(page);
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.max(timeout, LOAD_TIMEOUT_MS) });
      if (opts.waitForWorkbench ?? true) await vs.waitForWorkbench(Math.max(timeout, LOAD_TIMEOUT_MS));
      return vs;
    } catch (err) {
      await context?.close().catch(() => undefined);
      removeDir(profileDir);
      throw err;
    }
  }

  /** The workbench is rendered and the activity bar is there (extension host may still be starting). */
  async waitForWorkbench(timeout = LOAD_TIMEOUT_MS): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    await this.page.locator('.activitybar').waitFor({ timeout });
  }

  /** Click the activity bar entry whose label starts with `title` (e.g. "Codex Fleet"). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item a[aria-label^="${cssString(title)}"]`);
    await item.click();
    await this.page.locator('.sidebar .composite.title', { hasText: title }).first().waitFor();
  }

  /** A tree/list row by text (first match). */
  treeRow(text: string | RegExp): Locator {
    return this.page.locator('.monaco-list-row', { hasText: text }).first();
  }

  /**
   * Run a command by its palette title ("Category: Title") through F1. The palette lists the commands
   * known when it opens, so while the extension host is still registering contributions it may say
   * "No matching commands": then it is closed and opened again, until the default timeout.
   */
  async runCommand(title: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    const wanted = widget.locator('.monaco-list-row.focused', { hasText: title });
    const noMatch = widget.locator('.monaco-list-row', { hasText: 'No matching commands' });
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      await this.page.locator('.monaco-workbench').focus();
      await this.page.keyboard.press('F1');
      await input.waitFor();
      await input.fill(`>${title}`);
      // Enter only once the focused row is the wanted command (the list filters asynchronously).
      await wanted.or(noMatch).first().waitFor({ timeout: Math.max(1, deadline - Date.now()) });
      if (await wanted.isVisible()) break;
      await input.press('Escape');
      await widget.waitFor({ state: 'hidden' });
      if (Date.now() > deadline) throw new Error(`runCommand: no command titled "${title}" in the palette`);
    }
    await input.press('Enter');
    await widget.waitFor({ state: 'hidden' });
  }

  /** A notification toast containing `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: text }).first();
  }

  /** Click `button` on the toast containing `text`. */
  async clickNotificationButton(text: string | RegExp, button: string): Promise<void> {
    const toast = this.notification(text);
    await toast.waitFor();
    await toast.locator('.monaco-button', { hasText: button }).first().click();
  }

  /** The content frame of a ready webview (0 = first in DOM order). */
  webviewFrame(index = 0): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').nth(index).frameLocator('#active-frame');
  }

  /** Text of the visible terminal (needs `terminal.integrated.gpuAcceleration: "off"`, a default here). */
  async terminalText(): Promise<string> {
    const rows = this.page.locator('.xterm-rows').last();
    await rows.waitFor();
    return rows.innerText();
  }

  /** Wait until the visible terminal shows `text`. */
  async waitForTerminalText(text: string | RegExp): Promise<void> {
    await this.page.locator('.xterm-rows', { hasText: text }).last().waitFor();
  }

  /** PNG of the page into `.e2e/artifacts/<name>.png` (plus the console log); returns the PNG path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, `${slug(name)}.png`);
    await this.page.screenshot({ path: file, timeout: 5_000 });
    fs.writeFileSync(file.replace(/\.png$/, '.console.txt'), this.consoleLines.join('\n'));
    return file;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    removeDir(this.profileDir);
  }
}

/** Escape for a double-quoted CSS attribute value. */
function cssString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
