/**
 * Codex Fleet in a real VS Code (code-server) against the REAL codex and the scripted model:
 * `useFleet()` prepares a FleetHarness (workspace, CODEX_HOME → scripted model, private state dir,
 * pinned codex) and opens VS Code on it with the extension installed and the same environment, so
 * the extension, the CLI and SDK clients in the test all reach one sidecar.
 *
 *   describe('approvals', function () {
 *     const fleet = useFleet();
 *     it('...', async () => { await fleet.vsc.browser.openViewContainer('Codex Fleet'); });
 *   });
 *
 * Until package.json carries client/contributes.json (scripts/mergeContributes.mjs), the extension
 * is staged in .e2e/staging/ with a merged manifest, copies of dist/ and media/, and node_modules linked.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FleetClient } from '../../../sdk/fleetClient';
import { CLI_SCRIPT, FleetHarness, type HarnessOptions } from '../../support/fleetHarness';
import { useVsCode, type VsCodeSession, type VsCodeSessionOptions } from '../support/session';
import { E2E_DIR, REPO_ROOT } from '../support/tools';

/** Env keys the harness sets that VS Code (and so the extension and its sidecar) must see too. */
const PASSED_ENV = ['CODEX_HOME', 'CODEX_FLEET_MOCK_KEY', 'CODEX_FLEET_STATE_DIR', 'CODEX_FLEET_CODEX', 'CODEX_FLEET_IDLE_TIMEOUT_MS'];

export interface FleetFixture {
  readonly h: FleetHarness;
  readonly vsc: VsCodeSession;
  /** Run the CLI against the workspace (`--json` added); resolves with parsed stdout. */
  cli<T = unknown>(...args: string[]): Promise<T>;
  /** An SDK client of the same sidecar, subscribed from seq 0 (closed after the suite). */
  sdk(name?: string): Promise<FleetClient>;
}

export interface FleetFixtureOptions extends HarnessOptions {
  userSettings?: Record<string, unknown>;
  /** Extra config.toml for CODEX_HOME that needs the scripted model's URL (e.g. a second provider). */
  extraTomlFor?: (modelBaseUrl: string) => string;
  /** Adjust the harness's environment before VS Code starts; returns extra env for VS Code (e.g. PATH). */
  prepareEnv?: (h: FleetHarness) => Record<string, string>;
}

/** A provider at the scripted model that wants an OpenAI login (so Codex starts "not signed in"). */
export function providerRequiringLogin(baseUrl: string): string {
  return [
    'model_provider = "mockauth"',
    '[model_providers.mockauth]',
    'name = "Scripted model behind an OpenAI login"',
    `base_url = "${baseUrl}"`,
    'wire_api = "responses"',
    'requires_openai_auth = true',
    'request_max_retries = 0',
    'stream_max_retries = 0',
  ].join('\n');
}

/** The extension folder to install: the repo once its manifest has the views, else a staged copy. */
export function extensionUnderTest(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes?: { views?: unknown } };
  if (pkg.contributes?.views) return REPO_ROOT;
  const staged = path.join(E2E_DIR, 'staging', 'codex-fleet');
  fs.mkdirSync(staged, { recursive: true });
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'mergeContributes.mjs'), '--out', path.join(staged, 'package.json')], { stdio: 'ignore' });
  // Bundles are copied (VS Code maps `require('vscode')` to an extension by the file's real path);
  // node_modules (the pinned codex) is linked.
  for (const name of ['dist', 'media']) {
    fs.rmSync(path.join(staged, name), { recursive: true, force: true });
    fs.cpSync(path.join(REPO_ROOT, name), path.join(staged, name), { recursive: true });
  }
  const modules = path.join(staged, 'node_modules');
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), modules);
  return staged;
}

export function useFleet(opts: FleetFixtureOptions = {}): FleetFixture {
  let harness: FleetHarness | undefined;
  // Filled in by the `before` below, which mocha runs before useVsCode's (registration order).
  const vsOptions: VsCodeSessionOptions = { extensions: [], env: {}, userSettings: opts.userSettings };

  before(async function () {
    this.timeout(60_000);
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'client', 'extension.js'))) throw new Error('run `npm run build` first');
    harness = await FleetHarness.create(opts);
    if (opts.extraTomlFor) harness.model.writeCodexHome(harness.codexHome, { model: opts.model, extraToml: opts.extraTomlFor(harness.model.baseUrl) });
    vsOptions.workspace = harness.workspace;
    vsOptions.extensions = [extensionUnderTest()];
    const extra = opts.prepareEnv?.(harness) ?? {};
    for (const key of PASSED_ENV) {
      const v = harness.env[key];
      if (v !== undefined) vsOptions.env![key] = v;
    }
    Object.assign(vsOptions.env!, extra);
  });
  const vsc = useVsCode(vsOptions);

  after(async function () {
    this.timeout(30_000);
    await harness?.dispose(); // closes the SDK clients and stops the sidecar
    harness = undefined;
  });

  const h = (): FleetHarness => {
    if (!harness) throw new Error('useFleet(): the harness is not ready (used outside the suite?)');
    return harness;
  };

  return {
    get h() {
      return h();
    },
    vsc,
    cli<T>(...args: string[]): Promise<T> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI_SCRIPT, '--workspace', h().workspace, '--json', ...args], { env: h().env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        child.once('error', reject);
        child.once('close', (code) => {
          if (code !== 0) reject(new Error(`codex-fleet ${args.join(' ')} exited ${code}: ${err.trim()}`));
          else resolve((out.trim() ? JSON.parse(out) : undefined) as T);
        });
      });
    },
    async sdk(name = 'e2e-test') {
      return h().connect(name);
    },
  };
}
