/**
 * Integration-test harness: a temp workspace, a CODEX_HOME pointing the REAL codex (the pinned one,
 * or CODEX_FLEET_TEST_CODEX: see testCodex) at the scripted model, a private state dir, and SDK clients connected to a real (built) sidecar.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FleetClient } from '../../sdk/fleetClient';
import { FleetStop } from '../../protocol/sidecarProtocol';
import type { FleetEvent, FleetEventOf, FleetEventKind } from '../../protocol/types';
import { MOCK_ENV_KEY, ScriptedModel } from './scriptedModel';
import { codexBinaryInPackage, codexPlatform } from '../../shared/codexPlatform';

export const ROOT = resolve(__dirname, '..', '..');
export const SIDECAR_SCRIPT = join(ROOT, 'dist', 'server', 'sidecar.js');
export const CLI_SCRIPT = join(ROOT, 'bin', 'codex-fleet.js');

/** The pinned real codex: the native binary inside @openai/codex's platform package. */
function pinnedCodexBinary(): string {
  const target = codexPlatform(process.platform, process.arch);
  if (!target) throw new Error(`Codex ships no binary for ${process.platform}-${process.arch}`);
  return join(ROOT, 'node_modules', target.pkg, codexBinaryInPackage(target));
}

/**
 * The real codex every integration test runs (app-server, TUI agents, the scripted-model checks):
 * `CODEX_FLEET_TEST_CODEX` when set (scripts/testNewestCodex.sh points it at the newest release),
 * else the pinned one. `env` is what the npm wrapper would set for the pinned binary.
 */
export function testCodex(): { path: string; env: Record<string, string> } {
  const override = process.env.CODEX_FLEET_TEST_CODEX;
  if (override) return { path: override, env: {} };
  return { path: pinnedCodexBinary(), env: { CODEX_MANAGED_BY_NPM: '1', CODEX_MANAGED_PACKAGE_ROOT: join(ROOT, 'node_modules', '@openai', 'codex') } };
}

/** The path of {@link testCodex}. */
export function testCodexBinary(): string {
  return testCodex().path;
}

export interface HarnessOptions {
  model?: string;
  extraToml?: string;
  idleTimeoutMs?: number;
  /** Make the workspace a git repository. */
  git?: boolean;
}

export class FleetHarness {
  readonly clients: FleetClient[] = [];
  /** The sidecar bundle `connect()` starts when none runs (an installed extension's, in VSIX e2e runs). */
  sidecarScript = SIDECAR_SCRIPT;

  private constructor(
    readonly root: string,
    readonly workspace: string,
    readonly codexHome: string,
    readonly env: NodeJS.ProcessEnv,
    readonly model: ScriptedModel,
    readonly opts: HarnessOptions,
  ) {}

  static async create(opts: HarnessOptions = {}): Promise<FleetHarness> {
    const model = await ScriptedModel.start();
    const root = mkdtempSync(join(tmpdir(), 'fleet-it-'));
    const workspace = join(root, 'ws');
    const codexHome = join(root, 'codex-home');
    mkdirSync(workspace, { recursive: true });
    model.writeCodexHome(codexHome, { model: opts.model, extraToml: opts.extraToml });
    if (opts.git) {
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace });
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init'], { cwd: workspace });
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CODEX_HOME: codexHome,
      [MOCK_ENV_KEY]: 'test-key',
      CODEX_FLEET_STATE_DIR: join(root, 'state'),
      CODEX_FLEET_CODEX: testCodexBinary(),
      CODEX_FLEET_IDLE_TIMEOUT_MS: String(opts.idleTimeoutMs ?? 120_000),
    };
    delete env.OPENAI_API_KEY;
    return new FleetHarness(root, workspace, codexHome, env, model, opts);
  }

  /** Connect a new client (starting the sidecar if needed) subscribed to every event from seq 0. */
  async connect(name = 'test', opts: { subscribe?: boolean } = {}): Promise<FleetClient> {
    const client = await FleetClient.connect({ workspace: this.workspace, clientName: name, env: this.env, sidecarScript: this.sidecarScript });
    this.clients.push(client);
    const recorder = new EventLog(client);
    recorders.set(client, recorder);
    if (opts.subscribe !== false) await client.subscribe({ sinceSeq: 0 });
    return client;
  }

  log(client: FleetClient): EventLog {
    return recorders.get(client)!;
  }

  /** Wait until the runtime is ready (events from seq 0 include every runtime/state). */
  async ready(client: FleetClient): Promise<void> {
    await this.log(client).waitFor('runtime/state', (e) => e.runtime.state === 'ready', 30_000);
  }

  sidecarLog(): string {
    try {
      const dir = execFileSync('ls', [join(this.root, 'state')]).toString().trim().split('\n')[0];
      return readFileSync(join(this.root, 'state', dir, 'sidecar.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async stopSidecar(): Promise<void> {
    const live = this.clients.find((c) => !c.isClosed);
    if (live) {
      const closed = new Promise<void>((r) => live.onClose(() => r()));
      await live.request(FleetStop, {}).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error('the sidecar did not stop within 15 s')), 15_000)))]).finally(() => clearTimeout(timer));
    }
    for (const c of this.clients) c.close();
    this.clients.length = 0;
  }

  async dispose(): Promise<void> {
    try {
      if (!this.clients.some((c) => !c.isClosed)) {
        const c = await FleetClient.connect({ workspace: this.workspace, clientName: 'teardown', env: this.env, autoStart: false }).catch(() => undefined);
        if (c) this.clients.push(c);
      }
      await this.stopSidecar();
    } finally {
      await this.model.close();
      if (!process.env.FLEET_IT_KEEP) rmSync(this.root, { recursive: true, force: true });
    }
  }
}

const recorders = new WeakMap<FleetClient, EventLog>();

/** Every event a client received, with event-driven waiting (no sleeps). */
export class EventLog {
  readonly events: FleetEvent[] = [];
  private waiters: Array<{ pred: (e: FleetEvent) => boolean; resolve: (e: FleetEvent) => void }> = [];

  constructor(client: FleetClient) {
    client.onEvent((e) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    });
  }

  of<K extends FleetEventKind>(kind: K): Array<FleetEventOf<K>> {
    return this.events.filter((e): e is FleetEventOf<K> => e.kind === kind);
  }

  /** Resolve with the first event of `kind` matching `pred`, already received or arriving later. */
  waitFor<K extends FleetEventKind>(kind: K, pred: (e: FleetEventOf<K>) => boolean = () => true, timeoutMs = 20_000): Promise<FleetEventOf<K>> {
    const test = (e: FleetEvent): boolean => e.kind === kind && pred(e as FleetEventOf<K>);
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen as FleetEventOf<K>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no ${kind} event within ${timeoutMs} ms; last events: ${this.events.slice(-8).map((e) => e.kind).join(', ')}`));
      }, timeoutMs);
      const waiter = {
        pred: test,
        resolve: (e: FleetEvent) => {
          clearTimeout(timer);
          resolve(e as FleetEventOf<K>);
        },
      };
      this.waiters.push(waiter);
    });
  }
}
