/**
 * Sidecar and account commands: reconnect, restart / stop the sidecar, restart the Codex runtime,
 * show the log and status, set the Codex path, sign in / out, rate limits.
 */
import * as vscode from 'vscode';
import { FleetStatusRequest, RuntimeRestart } from '../../protocol/sidecarProtocol';
import { Config } from '../config';
import { expandPath, Keys } from '../configModel';
import type { FolderConnection } from '../connection/folderConnection';
import { resolveFolder } from './pickers';
import { registerCommand, type Services } from './services';
import { codexInUseLine } from '../status/statusText';

export function registerFleetCommands(s: Services): void {
  const { ctx, fleet, account } = s;

  registerCommand(s, 'codexFleet.reconnect', 'Could not reconnect', () => Promise.all(fleet.list().map((f) => f.client.reconnect())));

  registerCommand(s, 'codexFleet.restartSidecar', 'Could not restart the sidecar', async (arg?: unknown) => {
    const folders = typeof arg === 'string' ? [fleet.get(arg)].filter((f): f is FolderConnection => !!f) : fleet.list();
    const running = folders.reduce((n, f) => n + f.store.runningCount(), 0);
    if (running > 0) {
      const ok = await vscode.window.showWarningMessage(
        `Restart the Codex Fleet sidecar? ${running} running turn${running === 1 ? ' is' : 's are'} interrupted (queued messages are kept).`,
        { modal: true },
        'Restart Sidecar',
      );
      if (ok !== 'Restart Sidecar') return;
    }
    await stopSidecars(folders);
    fleet.restart();
  });

  // `{ confirm: false }` (scripts, tests, other extensions) skips the question.
  registerCommand(s, 'codexFleet.stopSidecar', 'Could not stop the sidecar', async (opts?: unknown) => {
    const confirm = !(opts && typeof opts === 'object' && (opts as { confirm?: unknown }).confirm === false);
    const ok = !confirm ? 'Stop Sidecar' : await vscode.window.showWarningMessage(
      'Stop the Codex Fleet sidecar? Running turns stop. It starts again the next time Codex Fleet needs it.',
      { modal: true },
      'Stop Sidecar',
    );
    if (ok !== 'Stop Sidecar') return;
    await stopSidecars(fleet.list());
  });

  registerCommand(s, 'codexFleet.restartRuntime', 'Could not restart Codex', async (arg?: unknown) => {
    const folder = await resolveFolder(fleet, arg);
    if (!folder) return;
    const path = ctx.config.forFolder(folder.folder.uri).codexPath;
    await folder.client.request(RuntimeRestart, path ? { codexPath: expandPath(path, folder.folder.uri.fsPath) } : {});
  });

  registerCommand(s, 'codexFleet.showLog', 'Could not show the log', () => ctx.log.show());

  registerCommand(s, 'codexFleet.showStatus', 'Could not read the sidecar status', async (arg?: unknown) => {
    const folder = await resolveFolder(fleet, arg);
    if (!folder) return;
    const st = await folder.client.request(FleetStatusRequest);
    const lines = [
      `Sidecar pid ${st.sidecar.pid} (v${st.sidecar.version}, protocol ${st.sidecar.protocolVersion}), ${st.sidecar.clients.length} client(s)`,
      `${codexInUseLine(st.runtime)} (${st.runtime.codexPath}) — ${st.runtime.state}${st.runtime.lastError ? `: ${st.runtime.lastError}` : ''}`,
      ...(st.runtime.codexWarning ? [st.runtime.codexWarning] : []),
      `CODEX_HOME ${st.auth.codexHome}; account ${st.auth.account?.type ?? 'unknown'}${st.auth.account?.email ? ` (${st.auth.account.email})` : ''}`,
      `${st.counts.sessionsLoaded} sessions loaded, ${st.counts.running} running, ${st.counts.pendingRequests} pending, ${st.counts.queued} queued`,
      `State dir ${st.sidecar.stateDir}`,
    ];
    ctx.log.info(`status of ${folder.folder.name}:\n${lines.join('\n')}`);
    const picked = await vscode.window.showInformationMessage(`Codex Fleet — ${folder.folder.name}`, { modal: true, detail: lines.join('\n') }, 'Open Log');
    if (picked) ctx.log.show();
  });

  registerCommand(s, 'codexFleet.configureCodexPath', 'Could not open the settings', () => Config.open(Keys.codexPath));

  registerCommand(s, 'codexFleet.signIn', 'Could not sign in', () => account.signIn());
  registerCommand(s, 'codexFleet.signInWithApiKey', 'Could not sign in with the API key', (key?: unknown) => account.signInWithApiKey(typeof key === 'string' ? key : undefined));
  registerCommand(s, 'codexFleet.signInWithChatGPT', 'Could not sign in with ChatGPT', () => account.signInWithChatGpt());
  registerCommand(s, 'codexFleet.signOut', 'Could not sign out', () => account.signOut());
  registerCommand(s, 'codexFleet.showRateLimits', 'Could not read the rate limits', () => account.showRateLimits());
}

/** Ask each folder's sidecar to stop; their clients stay disconnected until reconnected. */
async function stopSidecars(folders: FolderConnection[]): Promise<void> {
  await Promise.all(folders.map((f) => f.client.stopSidecar()));
}
