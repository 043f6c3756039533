/**
 * Mocha glue for UI tests: `useVsCode()` inside a `describe` starts one code-server + chromium for
 * that suite (call it at file top level for one per file), screenshots every failed test into
 * `.e2e/artifacts/`, and stops everything afterwards.
 *
 *   describe('approvals', function () {
 *     const vsc = useVsCode({ extensions: [REPO_ROOT], env: { CODEX_HOME: home } });
 *     it('shows the view', async () => { await vsc.browser.openViewContainer('Codex Fleet'); });
 *   });
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VsCodeBrowser, type BrowserOptions } from './browser';
import { CodeServer, type CodeServerOptions } from './codeServer';
import { ARTIFACTS_DIR, copyWorkspace, removeDir, slug } from './tools';

export interface VsCodeSessionOptions extends Omit<CodeServerOptions, 'workspace'> {
  /** Folder copied into a throwaway workspace (default: test/e2e/fixtures/workspace). */
  workspaceSource?: string;
  /** Use this folder as is instead of a copy. */
  workspace?: string;
  browser?: BrowserOptions;
  /** Runs after code-server is up, before the browser opens (e.g. to prepare CODEX_HOME). */
  beforeOpen?: (server: CodeServer, workspace: string) => Promise<void> | void;
}

export interface VsCodeSession {
  readonly server: CodeServer;
  readonly browser: VsCodeBrowser;
  /** The opened folder (a throwaway copy unless `workspace` was given). */
  readonly workspace: string;
}

export function useVsCode(opts: VsCodeSessionOptions = {}): VsCodeSession {
  let state: { server: CodeServer; browser: VsCodeBrowser; workspace: string } | undefined;
  let server: CodeServer | undefined;
  let ownWorkspace: string | undefined;

  before(async function () {
    this.timeout(120_000);
    const workspace = opts.workspace ?? (ownWorkspace = copyWorkspace(opts.workspaceSource));
    server = await CodeServer.start({ ...opts, workspace, label: opts.label ?? 'code-server-ui' });
    await opts.beforeOpen?.(server, workspace);
    const browser = await VsCodeBrowser.open(server.folderUrl(), opts.browser);
    state = { server, browser, workspace };
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (state && test?.state === 'failed') {
      const file = await state.browser.screenshot(test.fullTitle()).catch((e: unknown) => `(screenshot failed: ${String(e)})`);
      const log = path.join(ARTIFACTS_DIR, `${slug(test.fullTitle())}.code-server.log`);
      fs.copyFileSync(state.server.logFile, log);
      console.error(`    screenshot: ${file}\n    code-server log: ${log}`);
    }
  });

  after(async function () {
    this.timeout(30_000);
    await state?.browser.close();
    await server?.stop();
    if (ownWorkspace) removeDir(ownWorkspace);
    state = undefined;
    server = undefined;
  });

  const get = (): NonNullable<typeof state> => {
    if (!state) throw new Error('useVsCode(): VS Code is not running (used outside the suite, or its before hook failed)');
    return state;
  };
  return {
    get server() {
      return get().server;
    },
    get browser() {
      return get().browser;
    },
    get workspace() {
      return get().workspace;
    },
  };
}
