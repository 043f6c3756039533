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
 *
 * With E2E_EXTENSION_VSIX=<file.vsix> the VSIX is installed instead (`code-server --install-extension`)
 * and everything runs from the installed copy, as a user's would: the window's extension, the
 * sidecar (also when the test's SDK or CLI starts it), the CLI, and the codex bundled in the VSIX
 * (CODEX_FLEET_CODEX is not set). `itRanTheInstalledVsix()` checks that at the end of a suite.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FleetStatus } from '../../../protocol/types';
import { FleetClient } from '../../../sdk/fleetClient';
import { CLI_SCRIPT, FleetHarness, type HarnessOptions } from '../../support/fleetHarness';
import { extensionId, installedExtensionPath } from '../support/extensions';
import { useVsCode, type VsCodeSession, type VsCodeSessionOptions } from '../support/session';
import { E2E_DIR, REPO_ROOT } from '../support/tools';

/** Env keys the harness sets that VS Code (and so the extension and its sidecar) must see too. */
const PASSED_ENV = ['CODEX_HOME', 'CODEX_FLEET_MOCK_KEY', 'CODEX_FLEET_STATE_DIR', 'CODEX_FLEET_CODEX', 'CODEX_FLEET_IDLE_TIMEOUT_MS'];

/** The built VSIX to install instead of the repository folder (undefined: the folder is linked). */
export const EXTENSION_VSIX = process.env.E2E_EXTENSION_VSIX ? path.resolve(process.env.E2E_EXTENSION_VSIX) : undefined;

export interface FleetFixture {
  readonly h: FleetHarness;
  readonly vsc: VsCodeSession;
  /** Run the CLI against the workspace (`--json` added); resolves with parsed stdout. */
  cli<T = unknown>(...args: string[]): Promise<T>;
  /** An SDK client of the same sidecar, subscribed from seq 0 (closed after the suite). */
  sdk(name?: string): Promise<FleetClient>;
  /** The folder the extension runs from: the repository (or its staged copy), or the VSIX's install. */
  readonly extensionPath: string;
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

/** `PATH` without the directories inside this repository. */
function withoutRepoEntries(value: string | undefined): string {
  return (value ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && path.resolve(dir) !== REPO_ROOT && !path.resolve(dir).startsWith(REPO_ROOT + path.sep))
    .join(path.delimiter);
}

export function useFleet(opts: FleetFixtureOptions = {}): FleetFixture {
  let harness: FleetHarness | undefined;
  let extensionPath: string | undefined;
  let cliScript = CLI_SCRIPT;
  // Filled in by the `before` below, which mocha runs before useVsCode's (registration order).
  const vsOptions: VsCodeSessionOptions = {
    extensions: [],
    env: {},
    userSettings: opts.userSettings,
    // After the install, before the window (and so the extension) starts: run the installed copy's
    // sidecar and CLI from the test too.
    beforeOpen: (server) => {
      if (!EXTENSION_VSIX) return;
      extensionPath = installedExtensionPath(server.extensionsDir, extensionId(REPO_ROOT));
      if (!extensionPath) throw new Error(`${EXTENSION_VSIX} is not listed in ${server.extensionsDir}/extensions.json after its install`);
      h().sidecarScript = path.join(extensionPath, 'dist', 'server', 'sidecar.js');
      cliScript = path.join(extensionPath, 'bin', 'codex-fleet.js');
    },
  };

  before(async function () {
    this.timeout(60_000);
    if (EXTENSION_VSIX) {
      if (!fs.existsSync(EXTENSION_VSIX)) throw new Error(`E2E_EXTENSION_VSIX=${EXTENSION_VSIX} does not exist: run \`npm run package -- --target linux-x64\` first`);
    } else if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'client', 'extension.js'))) {
      throw new Error('run `npm run build` first');
    }
    harness = await FleetHarness.create(opts);
    if (opts.extraTomlFor) harness.model.writeCodexHome(harness.codexHome, { model: opts.model, extraToml: opts.extraTomlFor(harness.model.baseUrl) });
    vsOptions.workspace = harness.workspace;
    if (EXTENSION_VSIX) {
      vsOptions.extensions = [EXTENSION_VSIX];
      // The bundled codex, found as the extension finds it: no CODEX_FLEET_CODEX, and no PATH entries
      // of this repository (npm/npx put node_modules/.bin, with @openai/codex's `codex`, on PATH).
      delete harness.env.CODEX_FLEET_CODEX;
      harness.env.PATH = withoutRepoEntries(harness.env.PATH);
      vsOptions.env!.PATH = harness.env.PATH;
    } else {
      extensionPath = extensionUnderTest();
      vsOptions.extensions = [extensionPath];
    }
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
        const child = spawn(process.execPath, [cliScript, '--workspace', h().workspace, '--json', ...args], { env: h().env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        child.once('error', reject);
        child.once('close', (code) => {
          if (code !== 0) reject(new Error(`codex-fleet ${args.join(' ')} exited ${code}: ${out.trim() || err.trim()}`)); // --json errors are on stdout
          else resolve((out.trim() ? JSON.parse(out) : undefined) as T);
        });
      });
    },
    async sdk(name = 'e2e-test') {
      return h().connect(name);
    },
    get extensionPath() {
      if (!extensionPath) throw new Error('useFleet(): the extension is not installed yet');
      return extensionPath;
    },
  };
}

/**
 * Call last in a suite that uses `useFleet()`: with E2E_EXTENSION_VSIX, a test that the suite ran
 * what the VSIX installed — the window connected to a sidecar started from the installed folder,
 * which runs the codex bundled in it. Nothing without E2E_EXTENSION_VSIX.
 */
export function itRanTheInstalledVsix(fleet: FleetFixture): void {
  if (!EXTENSION_VSIX) return;
  it(`ran the installed ${path.basename(EXTENSION_VSIX)}: its sidecar, CLI and bundled codex, the window connected`, async () => {
    const installed = fs.realpathSync(fleet.extensionPath);
    assert.ok(installed.startsWith(fs.realpathSync(fleet.vsc.server.extensionsDir) + path.sep), `${installed} is not inside the extensions dir`);
    assert.ok(!fs.lstatSync(path.join(installed, 'node_modules')).isSymbolicLink(), 'the install links node_modules');
    const status = await fleet.cli<FleetStatus & { running: boolean }>('status');
    assert.equal(status.running, true);
    const argv = fs.readFileSync(`/proc/${status.sidecar.pid}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes(path.join(installed, 'dist', 'server', 'sidecar.js')), `sidecar command line: ${argv.join(' ')}`);
    assert.equal(status.runtime.codexSource, 'pinned');
    assert.ok(fs.realpathSync(status.runtime.codexPath).startsWith(path.join(installed, 'node_modules', '@openai', 'codex-linux-x64') + path.sep), status.runtime.codexPath);
    assert.ok(status.sidecar.clients.some((c) => c.name === 'vscode'), `clients: ${status.sidecar.clients.map((c) => c.name).join(', ')}`);
  });
}

/** *Codex Fleet: Open Transcript* from the palette, picking the session by name; waits for its title. */
export async function openTranscriptByName(fleet: FleetFixture, name: string): Promise<void> {
  const page = fleet.vsc.browser.page;
  const widget = page.locator('.quick-input-widget');
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press('F1');
  await widget.locator('input.input').fill('>Codex Fleet: Open Transcript');
  await widget.locator('.monaco-list-row.focused', { hasText: 'Open Transcript' }).waitFor();
  await widget.locator('input.input').press('Enter');
  await widget.locator('input.input').fill(name);
  await widget.locator('.monaco-list-row.focused', { hasText: name }).waitFor();
  await widget.locator('input.input').press('Enter');
  await fleet.vsc.browser.webviewFrame().locator('.session-title', { hasText: name }).waitFor({ timeout: 30_000 });
}
