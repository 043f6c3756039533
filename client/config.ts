/**
 * Settings, read in one typed place (see `configModel.ts` for the shape and defaults). Never cached
 * anywhere else: features ask `config.current` (window scope) or `config.forFolder(uri)`.
 * Settings that need a restart say so and offer it.
 */
import * as vscode from 'vscode';
import { CONFIG_SECTION, parseConfig, restartNeeds, type FleetConfig, type RestartNeed } from './configModel';

export interface ConfigChange {
  before: FleetConfig;
  after: FleetConfig;
  /** Changed settings that only apply after a runtime or sidecar restart. */
  needs: RestartNeed[];
  affects(key: string): boolean;
}

export class Config implements vscode.Disposable {
  private value: FleetConfig;
  private readonly changeEmitter = new vscode.EventEmitter<ConfigChange>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.value = Config.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(CONFIG_SECTION)) return;
      const before = this.value;
      const after = Config.read();
      this.value = after;
      this.changeEmitter.fire({ before, after, needs: restartNeeds(before, after), affects: (k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`) });
    });
  }

  /** Window-level settings. */
  get current(): FleetConfig {
    return this.value;
  }

  /** Settings as they apply to one workspace folder (codex path and home may differ per folder). */
  forFolder(uri: vscode.Uri): FleetConfig {
    return Config.read(uri);
  }

  private static read(scope?: vscode.Uri): FleetConfig {
    const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
    return parseConfig((key) => c.get(key));
  }

  /** Open the Settings UI at one of our settings. */
  static async open(key: string): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${CONFIG_SECTION}.${key}`);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
