/**
 * A TUI agent's own CODEX_HOME: `config.toml` generated from the user's config plus our pins,
 * `auth.json` (and profile files) symlinked to the user's, `hooks.json` with our lifecycle hooks,
 * and the `[hooks.state."<key>"] trusted_hash` entries that make Codex run exactly those hooks.
 *
 * The trust hash is Codex's normalized hook identity (verified against `hooks/list` of 0.169):
 * sha256 over the compact, key-sorted JSON of
 *   {event_name: <snake_case event>, matcher?: <matcher>, hooks: [{type:"command", command, timeout, async:false, statusMessage?}]}
 * with `timeout` clamped to [1, ∞) and to at most 3 s for SessionEnd / Interrupt; absent optionals omitted.
 * The key is `<canonical hooks.json path>:<snake_case event>:<group index>:<handler index>`.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TurnControls } from '../../protocol/types';
import { writeFileAtomic } from '../store/atomicFile';
import { assertSafeKey, cloneToml, isTable, mergeToml, parseToml, setPath, splitDottedKey, stringifyToml, type TomlTable, type TomlValue } from './toml';

/** The Codex hook events an agent reports (all observation-only: our hook prints nothing). */
export const HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreModelRequest',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'Interrupt',
  'SessionEnd',
] as const;

export const HOOK_TIMEOUT_SEC = 10;
/** Codex clamps these events' hook timeouts to 3 s (and hashes the clamped value). */
const SHORT_TIMEOUT_EVENTS = new Set<string>(['SessionEnd', 'Interrupt']);

/** `PreToolUse` → `pre_tool_use` (Codex's label in keys and hashes). */
export function hookLabel(event: string): string {
  return event.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export interface CommandHookSpec {
  event: string;
  command: string;
  timeoutSec?: number;
  matcher?: string;
  statusMessage?: string;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function effectiveTimeout(event: string, timeoutSec = 600): number {
  const t = Math.max(1, Math.floor(timeoutSec));
  return SHORT_TIMEOUT_EVENTS.has(event) ? Math.min(t, 3) : t;
}

/** The `trusted_hash` Codex expects for a command hook (what `hooks/list` reports as `currentHash`). */
export function hookTrustHash(spec: CommandHookSpec): string {
  const identity = {
    event_name: hookLabel(spec.event),
    matcher: spec.matcher,
    hooks: [
      { type: 'command', command: spec.command, timeout: effectiveTimeout(spec.event, spec.timeoutSec), async: false, statusMessage: spec.statusMessage },
    ],
  };
  return `sha256:${createHash('sha256').update(canonicalJson(identity)).digest('hex')}`;
}

export function hookTrustKey(hooksJsonPath: string, event: string, group = 0, handler = 0): string {
  return `${hooksJsonPath}:${hookLabel(event)}:${group}:${handler}`;
}

/** POSIX single-quoting: safe for any string, including quotes and newlines. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** hooks.json content: one command hook per event, `<command> <EventName>`. */
export function hooksJson(hookScript: string): { json: string; specs: CommandHookSpec[] } {
  const specs: CommandHookSpec[] = HOOK_EVENTS.map((event) => ({
    event,
    command: `/bin/sh ${shellQuote(hookScript)} ${event}`,
    timeoutSec: effectiveTimeout(event, HOOK_TIMEOUT_SEC),
  }));
  const hooks: Record<string, unknown> = {};
  for (const s of specs) hooks[s.event] = [{ hooks: [{ type: 'command', command: s.command, timeout: s.timeoutSec }] }];
  return { json: `${JSON.stringify({ hooks }, null, 2)}\n`, specs };
}

/** The reporter every hook runs: drops the hook's stdin JSON, prefixed by the event name, in the inbox. */
export function hookScript(inbox: string): string {
  return [
    '#!/bin/sh',
    '# Codex Fleet: report a Codex hook event to the sidecar (observation only; prints nothing).',
    `inbox=${shellQuote(inbox)}`,
    'tmp="$inbox/.tmp.$$"',
    `{ printf '%s\\n' "$1"; cat; } > "$tmp" 2>/dev/null || exit 0`,
    'ts=$(date +%s%N 2>/dev/null)',
    "case \"$ts\" in *N|'') ts=\"$(date +%s)000000000\" ;; esac",
    'mv -f "$tmp" "$inbox/$ts-$$.json" 2>/dev/null',
    'exit 0',
    '',
  ].join('\n');
}

/** A JSON value from a client (config override) as a TOML value; null and undefined are rejected. */
export function fromJson(v: unknown): TomlValue {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === 'object' && v !== null) {
    const t: TomlTable = {};
    for (const [k, x] of Object.entries(v)) {
      assertSafeKey(k);
      t[k] = fromJson(x);
    }
    return t;
  }
  throw new Error(`a config value cannot be ${v === null ? 'null' : typeof v}`);
}

/** Notices and migration prompts that would otherwise interrupt a fresh TUI (swallowing typed input). */
const NOTICE_PINS: TomlTable = {
  hide_full_access_warning: true,
  hide_world_writable_warning: true,
  hide_rate_limit_model_nudge: true,
  hide_gpt5_1_migration_prompt: true,
  'hide_gpt-5.1-codex-max_migration_prompt': true,
  hide_gov_cloud_guidance: true,
  model_migrations: { 'gpt-5.5': 'gpt-6-sol' },
};

export interface AgentConfigOptions {
  /** Folders to mark trusted (empty without the user's consent). */
  trustedFolders: string[];
  controls?: TurnControls;
  /** `[hooks.state]` entries: key → trusted_hash. */
  hookTrust: Record<string, string>;
  /** Free-form overrides, dotted keys → values, merged last. */
  overrides?: Record<string, unknown>;
}

/** The agent's config.toml: the user's config, then our pins, then the overrides. Pure. */
export function buildAgentConfig(userConfig: TomlTable, opts: AgentConfigOptions): TomlTable {
  let cfg = mergeToml(cloneToml(userConfig), {
    cli_auth_credentials_store: 'file',
    check_for_update_on_startup: false,
    notice: NOTICE_PINS,
    features: { hooks: true, in_app_updates: false },
  });
  for (const folder of opts.trustedFolders) setPath(cfg, ['projects', folder, 'trust_level'], 'trusted');
  const c = opts.controls ?? {};
  if (c.model !== undefined) cfg.model = c.model;
  if (c.effort !== undefined) cfg.model_reasoning_effort = c.effort;
  if (c.approvalPolicy !== undefined) cfg.approval_policy = c.approvalPolicy;
  if (c.sandbox !== undefined) cfg.sandbox_mode = c.sandbox;
  if (c.networkAccess !== undefined) setPath(cfg, ['sandbox_workspace_write', 'network_access'], c.networkAccess);
  const hooksTable = isTable(cfg.hooks) ? cfg.hooks : {};
  const state = isTable(hooksTable.state) ? { ...hooksTable.state } : {};
  for (const [key, hash] of Object.entries(opts.hookTrust)) state[key] = { ...(isTable(state[key]) ? state[key] : {}), trusted_hash: hash };
  cfg = mergeToml(cfg, { hooks: { ...hooksTable, state } });
  for (const [key, value] of Object.entries(opts.overrides ?? {})) setPath(cfg, splitDottedKey(key), fromJson(value));
  return cfg;
}

export interface AgentHomeOptions extends Omit<AgentConfigOptions, 'hookTrust'> {
  /** The agent's CODEX_HOME (created). */
  home: string;
  /** The user's CODEX_HOME (config, auth.json, profiles). */
  userCodexHome: string;
  /** Hook inbox directory (created). */
  inbox: string;
}

export interface AgentHome {
  home: string;
  configPath: string;
  hooksJsonPath: string;
  hookScriptPath: string;
  /** key → trusted_hash written to config.toml. */
  hookTrust: Record<string, string>;
  warnings: string[];
}

function readUserConfig(userCodexHome: string, warnings: string[]): TomlTable {
  const p = join(userCodexHome, 'config.toml');
  if (!existsSync(p)) return {};
  try {
    return parseToml(readFileSync(p, 'utf8'));
  } catch (e) {
    warnings.push(`could not read ${p} (${e instanceof Error ? e.message : String(e)}); the agent starts from an empty config`);
    return {};
  }
}

/**
 * What the user answered inside the agent's TUI (folder trust, dismissed notices) lives in the
 * agent's previous config.toml: keep it over the user's config (our pins still win).
 */
function withAgentAnswers(user: TomlTable, agentConfigPath: string): TomlTable {
  if (!existsSync(agentConfigPath)) return user;
  try {
    const prev = parseToml(readFileSync(agentConfigPath, 'utf8'));
    const keep: TomlTable = {};
    if (isTable(prev.projects)) keep.projects = prev.projects;
    if (isTable(prev.notice)) keep.notice = prev.notice;
    return mergeToml(user, keep);
  } catch {
    return user;
  }
}

/** Replace whatever is at `link` with a symlink to `target`. */
function relink(link: string, target: string): void {
  try {
    const st = lstatSync(link);
    if (st.isSymbolicLink() || st.isFile()) unlinkSync(link);
    else return; // a directory the user created there: leave it alone
  } catch {
    // absent
  }
  symlinkSync(target, link);
}

/** Write (or rewrite) the agent's CODEX_HOME. Idempotent; keeps sessions and Codex's own state. */
export function writeAgentHome(opts: AgentHomeOptions): AgentHome {
  const warnings: string[] = [];
  mkdirSync(opts.home, { recursive: true, mode: 0o700 });
  mkdirSync(opts.inbox, { recursive: true, mode: 0o700 });
  const home = realpathSync(opts.home);
  const userHome = resolve(opts.userCodexHome);

  const hookScriptPath = join(home, 'fleet-hook.sh');
  writeFileAtomic(hookScriptPath, hookScript(realpathSync(opts.inbox)), 0o700);
  const hooksJsonPath = join(home, 'hooks.json');
  const { json, specs } = hooksJson(hookScriptPath);
  writeFileAtomic(hooksJsonPath, json);
  const hookTrust: Record<string, string> = {};
  for (const s of specs) hookTrust[hookTrustKey(hooksJsonPath, s.event)] = hookTrustHash(s);

  const configPath = join(home, 'config.toml');
  const cfg = buildAgentConfig(withAgentAnswers(readUserConfig(userHome, warnings), configPath), { ...opts, hookTrust });
  writeFileAtomic(configPath, `# Generated by Codex Fleet from ${join(userHome, 'config.toml')}; rewritten on every start.\n${stringifyToml(cfg)}`);

  relink(join(home, 'auth.json'), join(userHome, 'auth.json'));
  if (!existsSync(join(userHome, 'auth.json')) && !process.env.OPENAI_API_KEY && !process.env.CODEX_API_KEY) {
    warnings.push(`${join(userHome, 'auth.json')} does not exist: log in with \`codex login\` (agents share that login)`);
  }
  // Profiles (`--profile NAME` layers CODEX_HOME/NAME.config.toml) and user instructions carry over.
  let entries: string[] = [];
  try {
    entries = readdirSync(userHome);
  } catch {
    // no user CODEX_HOME
  }
  for (const f of entries) {
    if ((f.endsWith('.config.toml') && f !== 'config.toml') || f === 'AGENTS.md' || f === 'AGENTS.override.md') relink(join(home, f), join(userHome, f));
  }
  return { home, configPath, hooksJsonPath, hookScriptPath, hookTrust, warnings };
}

/**
 * Folders to trust for `cwd`: its canonical path, the git work tree root containing it and, for a
 * linked worktree, the main repository's root (Codex resolves project trust to the repository).
 */
export function trustFoldersFor(cwd: string): string[] {
  const out = new Set<string>();
  let dir: string;
  try {
    dir = realpathSync(cwd);
  } catch {
    dir = resolve(cwd);
  }
  out.add(dir);
  for (let d = dir; ; d = dirname(d)) {
    const git = join(d, '.git');
    if (existsSync(git)) {
      out.add(d);
      try {
        if (lstatSync(git).isFile()) {
          const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(git, 'utf8'));
          const gitdir = m?.[1]?.trim();
          // <main>/.git/worktrees/<name>
          if (gitdir && /[\\/]\.git[\\/]worktrees[\\/][^\\/]+$/.test(gitdir)) out.add(dirname(dirname(dirname(resolve(d, gitdir)))));
        }
      } catch {
        // unreadable .git file: the work tree root is enough
      }
      break;
    }
    if (dirname(d) === d) break;
  }
  return [...out];
}
