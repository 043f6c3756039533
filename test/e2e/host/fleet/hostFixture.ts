/**
 * Codex Fleet inside the extension host, with the REAL codex and the scripted model: before the
 * extension activates, start the scripted model in this process, write a CODEX_HOME pointing at it
 * and a private state dir, and put them in `process.env` (the extension's launcher passes its
 * environment to the sidecar). Then activate and hand the tests the API and an SDK client of the
 * same sidecar. Afterwards the sidecar is stopped and everything removed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodexFleetApi, FleetApiEvent } from '../../../../client/apiTypes';
import { FleetClient } from '../../../../sdk/fleetClient';
import { MOCK_ENV_KEY, ScriptedModel } from '../../../support/scriptedModel';
import { codexBinaryInPackage, codexPlatform } from '../../../../shared/codexPlatform';

export const EXTENSION_ID = 'codex-fleet.codex-fleet';

export interface HostFleet {
  api: CodexFleetApi;
  model: ScriptedModel;
  workspace: string;
  codexHome: string;
  /** An SDK client of the extension's sidecar (closed afterwards). */
  sdk(name?: string): Promise<FleetClient>;
}

function pinnedCodex(extensionPath: string): string {
  const target = codexPlatform(process.platform, process.arch);
  if (!target) throw new Error(`Codex ships no binary for ${process.platform}-${process.arch}`);
  return path.join(extensionPath, 'node_modules', target.pkg, codexBinaryInPackage(target));
}

export function useHostFleet(): HostFleet {
  const state: Partial<HostFleet> & { root?: string; clients: FleetClient[] } = { clients: [] };

  before(async function () {
    this.timeout(90_000);
    const ext = vscode.extensions.getExtension<CodexFleetApi>(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not the extension under development`);
    if (ext.isActive) throw new Error('Codex Fleet activated before the test could prepare its environment');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('the host tests need a workspace folder');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-host-'));
    const model = await ScriptedModel.start();
    const codexHome = path.join(root, 'codex-home');
    model.writeCodexHome(codexHome);
    Object.assign(process.env, {
      CODEX_HOME: codexHome,
      [MOCK_ENV_KEY]: 'test-key',
      CODEX_FLEET_STATE_DIR: path.join(root, 'state'),
      CODEX_FLEET_CODEX: pinnedCodex(ext.extensionPath),
    });
    delete process.env.OPENAI_API_KEY;
    const api = await ext.activate();
    if (!api) throw new Error('activate() returned no API (see the Codex Fleet log)');
    Object.assign(state, { api, model, root, codexHome, workspace: folder.uri.fsPath });
  });

  after(async function () {
    this.timeout(30_000);
    // Through the extension, so it stops the sidecar and does not start a new one when it goes.
    await vscode.commands.executeCommand('codexFleet.stopSidecar', { confirm: false });
    for (const c of state.clients) c.close();
    await state.model?.close();
    if (state.root) fs.rmSync(state.root, { recursive: true, force: true });
  });

  const get = <K extends keyof HostFleet>(k: K): HostFleet[K] => {
    const v = state[k];
    if (v === undefined) throw new Error('useHostFleet(): not ready');
    return v as HostFleet[K];
  };
  return {
    get api() {
      return get('api');
    },
    get model() {
      return get('model');
    },
    get workspace() {
      return get('workspace');
    },
    get codexHome() {
      return get('codexHome');
    },
    async sdk(name = 'host-test') {
      const c = await FleetClient.connect({ workspace: get('workspace'), clientName: name, autoStart: false });
      state.clients.push(c);
      await c.subscribe({});
      return c;
    },
  } as HostFleet;
}

/** The first API event matching `pred` (registered before the action that causes it). */
export function nextEvent<E extends FleetApiEvent>(api: CodexFleetApi, pred: (e: FleetApiEvent) => e is E, timeoutMs = 30_000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no matching Codex Fleet event within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = api.onEvent((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}
