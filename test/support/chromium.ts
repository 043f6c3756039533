/**
 * Debian chromium driven by playwright-core, as the offline notes prescribe: fixed flags, a fresh
 * user-data-dir per launch (deleted on close). Shared by the webview bench and the XSS test.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const exe = process.env.CODEX_FLEET_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(exe)) throw new Error(`chromium not found at ${exe}: run \`apt-get install -y chromium\` (or set CODEX_FLEET_CHROMIUM)`);
  return exe;
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(opts: { width?: number; height?: number } = {}): Promise<Chromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'codex-fleet-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: opts.width ?? 1000, height: opts.height ?? 800 },
  });
  return {
    context,
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
