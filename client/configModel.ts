/**
 * The extension's settings as one typed value, parsed from raw `codexFleet.*` values with every
 * invalid value replaced by its default, plus what the sidecar launch needs from them. Pure (no
 * `vscode`): `client/config.ts` reads VS Code's configuration and hands the getter in.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fleetRoot } from '../sdk/stateDir';
import {
  APPROVAL_POLICIES,
  REASONING_EFFORTS,
  SANDBOX_MODES,
  type ApprovalPolicy,
  type ReasoningEffort,
  type SandboxModeName,
  type TurnControls,
} from '../protocol/types';

export const CONFIG_SECTION = 'codexFleet';

export const NOTIFY_WHEN = ['always', 'whenTranscriptHidden', 'never'] as const;
export type NotifyWhen = (typeof NOTIFY_WHEN)[number];

export interface FleetConfig {
  /** Path of the `codex` binary; empty: the sidecar's own lookup (env, PATH, pinned). */
  codexPath: string;
  /** CODEX_HOME for the sidecar; empty: inherited / Codex's default. */
  codexHome: string;
  /** Minutes the sidecar waits, with no clients and no work, before stopping itself. */
  idleTimeoutMinutes: number;
  /** Defaults for sessions started from VS Code (unset: Codex's configured default). */
  newSession: TurnControls;
  notifications: {
    approvals: NotifyWhen;
    turnFinished: NotifyWhen;
  };
  statusBar: { enabled: boolean };
  agents: {
    /** Consent to folder trust (and hook-trust bypass) for agents without asking. */
    autoDismissDialogs: boolean;
  };
}

/** Setting keys (relative to `codexFleet.`), one place for every name. */
export const Keys = {
  codexPath: 'codexPath',
  codexHome: 'codexHome',
  idleTimeoutMinutes: 'sidecar.idleTimeoutMinutes',
  model: 'newSession.model',
  effort: 'newSession.reasoningEffort',
  approvalPolicy: 'newSession.approvalPolicy',
  sandbox: 'newSession.sandbox',
  networkAccess: 'newSession.networkAccess',
  notifyApprovals: 'notifications.approvals',
  notifyTurnFinished: 'notifications.turnFinished',
  statusBarEnabled: 'statusBar.enabled',
  agentsAutoDismissDialogs: 'agents.autoDismissDialogs',
} as const;

export const DEFAULT_IDLE_TIMEOUT_MINUTES = 10;

type Getter = (key: string) => unknown;

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

export function parseConfig(get: Getter): FleetConfig {
  const idle = get(Keys.idleTimeoutMinutes);
  const network = get(Keys.networkAccess);
  const newSession: TurnControls = {};
  const model = str(get(Keys.model));
  if (model) newSession.model = model;
  const effort = oneOf<ReasoningEffort>(REASONING_EFFORTS, get(Keys.effort));
  if (effort) newSession.effort = effort;
  const policy = oneOf<ApprovalPolicy>(APPROVAL_POLICIES, get(Keys.approvalPolicy));
  if (policy) newSession.approvalPolicy = policy;
  const sandbox = oneOf<SandboxModeName>(SANDBOX_MODES, get(Keys.sandbox));
  if (sandbox) newSession.sandbox = sandbox;
  if (network === 'enabled') newSession.networkAccess = true;
  else if (network === 'disabled') newSession.networkAccess = false;
  return {
    codexPath: str(get(Keys.codexPath)),
    codexHome: str(get(Keys.codexHome)),
    idleTimeoutMinutes: typeof idle === 'number' && Number.isFinite(idle) && idle > 0 ? idle : DEFAULT_IDLE_TIMEOUT_MINUTES,
    newSession,
    notifications: {
      approvals: oneOf(NOTIFY_WHEN, get(Keys.notifyApprovals)) ?? 'whenTranscriptHidden',
      turnFinished: oneOf(NOTIFY_WHEN, get(Keys.notifyTurnFinished)) ?? 'whenTranscriptHidden',
    },
    statusBar: { enabled: get(Keys.statusBarEnabled) !== false },
    agents: { autoDismissDialogs: get(Keys.agentsAutoDismissDialogs) === true },
  };
}

/** `~`, `${workspaceFolder}` and `${userHome}` expanded; relative paths resolved against the folder. */
export function expandPath(p: string, folder: string): string {
  if (!p) return p;
  let out = p.replace(/\$\{workspaceFolder\}/g, folder).replace(/\$\{userHome\}/g, homedir());
  if (out === '~' || out.startsWith('~/')) out = join(homedir(), out.slice(1));
  return isAbsolute(out) ? out : resolve(folder, out);
}

export interface SidecarLaunchSettings {
  env: NodeJS.ProcessEnv;
  sidecarArgs: string[];
}

/**
 * Environment and arguments for a sidecar this window starts. Secrets never go here: an API key is
 * handed over with `account/login/start` after connecting.
 */
export function sidecarLaunchSettings(config: FleetConfig, folder: string, baseEnv: NodeJS.ProcessEnv): SidecarLaunchSettings {
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  if (config.codexPath) env.CODEX_FLEET_CODEX = expandPath(config.codexPath, folder);
  if (config.codexHome) env.CODEX_HOME = expandPath(config.codexHome, folder);
  return { env, sidecarArgs: ['--idle-timeout', String(idleTimeoutMs(config))] };
}

const idleTimeoutMs = (config: FleetConfig): number => Math.round(config.idleTimeoutMinutes * 60_000);

/**
 * What an integrated terminal of `folder` needs so that `codex-fleet` there reaches this window's
 * sidecar — or, when none runs, starts one as this window would: the state dir this window uses, and
 * the environment a sidecar it starts gets (CODEX_HOME, the codex path, the idle timeout).
 */
export function terminalCliEnvironment(config: FleetConfig, folder: string, baseEnv: NodeJS.ProcessEnv): Record<string, string> {
  const { env } = sidecarLaunchSettings(config, folder, baseEnv);
  const vars: Record<string, string> = { CODEX_FLEET_STATE_DIR: fleetRoot(baseEnv), CODEX_FLEET_IDLE_TIMEOUT_MS: String(idleTimeoutMs(config)) };
  for (const key of ['CODEX_HOME', 'CODEX_FLEET_CODEX'] as const) {
    const value = env[key];
    if (value) vars[key] = value;
  }
  return vars;
}

/** What a settings change needs: a runtime restart (codex path) or a sidecar restart. */
export type RestartNeed = { scope: 'runtime' | 'sidecar'; setting: string };

export function restartNeeds(before: FleetConfig, after: FleetConfig): RestartNeed[] {
  const needs: RestartNeed[] = [];
  if (before.codexPath !== after.codexPath) needs.push({ scope: 'runtime', setting: `${CONFIG_SECTION}.${Keys.codexPath}` });
  if (before.codexHome !== after.codexHome) needs.push({ scope: 'sidecar', setting: `${CONFIG_SECTION}.${Keys.codexHome}` });
  if (before.idleTimeoutMinutes !== after.idleTimeoutMinutes) needs.push({ scope: 'sidecar', setting: `${CONFIG_SECTION}.${Keys.idleTimeoutMinutes}` });
  return needs;
}
