/**
 * Codex Fleet for VS Code: activate and deactivate, nothing else. Activation is lazy (opening a
 * Codex Fleet view or running one of its commands); a failure is caught and said, with the log.
 */
import * as vscode from 'vscode';
import { AccountService } from './account/accountService';
import { registerAgents } from './agents';
import { createApi } from './api';
import type { CodexFleetApi } from './apiTypes';
import { ApprovalNotifier } from './approvals/approvalNotifier';
import { RequestUi } from './approvals/requestUi';
import { registerCommands } from './commands';
import { Config } from './config';
import { Fleet } from './connection/fleet';
import { ContextKeyController } from './contextKeys';
import { Ctx } from './ctx';
import { describeError, Log } from './log';
import { restoreExecBits } from './util/execBits';
import { watchRestartSettings } from './settingsWatcher';
import { StatusBar } from './status/statusBar';
import { CodexNotice } from './status/codexNotice';
import { TurnNotifier } from './status/turnNotifier';
import { registerTerminalCli } from './terminalCli';
import { createTranscriptHost, type TranscriptHost } from './transcriptHost';
import { ApprovalsView } from './views/approvalsView';
import { SessionsView } from './views/sessionsView';

let current: { ctx: Ctx; fleet: Fleet } | undefined;

export function activate(context: vscode.ExtensionContext): CodexFleetApi | undefined {
  const log = new Log();
  context.subscriptions.push(log);
  try {
    const execBits = restoreExecBits(context.extensionPath);
    for (const f of execBits.fixed) log.warn(`made ${f} executable again (the install had lost its exec bit)`);
    for (const f of execBits.failed) log.error(`${f.file} is not executable and could not be fixed: ${f.reason}`);
    const config = new Config();
    context.subscriptions.push(config);
    const ctx = new Ctx(context, log, config);
    const fleet = ctx.ext.add(new Fleet(ctx));
    const transcriptHost = createTranscriptHost(ctx, fleet);
    const transcripts = (): TranscriptHost => transcriptHost;
    const requests = ctx.ext.add(new RequestUi(ctx, fleet, transcripts));
    const account = ctx.ext.add(new AccountService(ctx, fleet));

    ContextKeyController.register(ctx, fleet);
    SessionsView.register(ctx, fleet);
    ApprovalsView.register(ctx, fleet);
    const agents = registerAgents(ctx, fleet);
    ctx.ext.add(new StatusBar(ctx, fleet));
    ctx.ext.add(new ApprovalNotifier(ctx, fleet, requests, transcripts));
    ctx.ext.add(new TurnNotifier(ctx, fleet, transcripts));
    ctx.ext.add(new CodexNotice(ctx, fleet));
    registerCommands({ ctx, fleet, requests, transcripts, account, agents });
    watchRestartSettings(ctx, fleet);
    registerTerminalCli(ctx);

    fleet.start();
    current = { ctx, fleet };
    log.info(`Codex Fleet ${ctx.version} activated (${vscode.env.appName} ${vscode.version})`);
    return createApi(fleet);
  } catch (e) {
    log.error('activation failed', e);
    void vscode.window.showErrorMessage(`Codex Fleet could not start: ${describeError(e, false)}`, 'Open Log').then((p) => p && log.show());
    return undefined;
  }
}

/** Close this window's sidecar connections politely (the sidecars keep running their turns). */
export async function deactivate(): Promise<void> {
  const c = current;
  current = undefined;
  if (!c) return;
  await Promise.all(c.fleet.list().map((f) => f.client.stop()));
}
