/**
 * What a user outside this repository gets: `npm pack` → `npm install -g` of the tarball into a
 * temporary prefix → the installed `codex-fleet` runs, with the codex of @openai/codex's platform
 * dependency (no codex on PATH, no CODEX_FLEET_CODEX), against the scripted model.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { version } from '../../package.json';
import type { FleetStatus, SessionSummary } from '../../protocol/types';
import { FleetHarness, ROOT } from '../support/fleetHarness';

const run = promisify(execFile);

describe('npm pack → npm install -g → codex-fleet', function () {
  this.timeout(240_000);
  let tmp: string;
  let prefix: string;
  let h: FleetHarness | undefined;
  let env: NodeJS.ProcessEnv;

  /** The installed CLI, asynchronously (the scripted model answers from this process). */
  const cli = async (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(join(prefix, 'bin', 'codex-fleet'), ['--workspace', h!.workspace, ...args], { env, timeout: 60_000 });

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fleet-pack-'));
    prefix = join(tmp, 'prefix');
    await run('npm', ['pack', '--pack-destination', tmp], { cwd: ROOT, timeout: 120_000 });
    const tarball = join(tmp, `codex-fleet-${version}.tgz`);
    assert.deepEqual(readdirSync(tmp), [`codex-fleet-${version}.tgz`]);
    // From the npm cache when it has the packages (it does after `npm ci`); the registry otherwise.
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: tmp, timeout: 180_000 });
    h = await FleetHarness.create();
    // Only node and the system on PATH: the codex must come from the installed package.
    env = { ...h.env, PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':') };
    delete env.CODEX_FLEET_CODEX;
  });

  after(async () => {
    try {
      await h?.dispose();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('the tarball holds the CLI and the sidecar, and nothing of the repository beyond them', async () => {
    const { stdout } = await run('tar', ['tzf', join(tmp, `codex-fleet-${version}.tgz`)]);
    const files = stdout.trim().split('\n').sort();
    const expected = ['package/README.md', 'package/bin/codex-fleet.js', 'package/dist/cli/codexFleet.js', 'package/dist/sdk/index.js', 'package/dist/server/sidecar.js', 'package/package.json'];
    const declarations = files.filter((f) => f.startsWith('package/dist/sdk/types/'));
    assert.ok(declarations.includes('package/dist/sdk/types/sdk/index.d.ts'), 'the SDK has its declarations');
    assert.deepEqual(declarations.filter((f) => !f.endsWith('.d.ts')), [], 'declarations only');
    assert.deepEqual(files.filter((f) => f !== 'package/LICENSE' && !declarations.includes(f)), expected);
  });

  it('codex-fleet/sdk imports from the installed package', async () => {
    const modules = join(prefix, 'lib', 'node_modules');
    const { stdout } = await run(process.execPath, ['-p', `typeof require(require.resolve('codex-fleet/sdk', { paths: [${JSON.stringify(modules)}] })).CodexFleet.connect`]);
    assert.equal(stdout.trim(), 'function');
  });

  it('--version and status work from the installed package', async () => {
    assert.equal((await cli('--version')).stdout.trim(), version);
    const status = JSON.parse((await cli('status', '--json')).stdout) as { running: boolean };
    assert.equal(status.running, false);
  });

  it('sessions start runs the sidecar and the codex installed with the package', async () => {
    const started = JSON.parse((await cli('sessions', 'start', '--json', '--name', 'packed')).stdout) as SessionSummary;
    assert.equal(started.name, 'packed');
    const st = JSON.parse((await cli('status', '--json')).stdout) as FleetStatus;
    assert.equal(st.runtime.state, 'ready');
    assert.equal(st.runtime.codexSource, 'pinned');
    const installed = realpathSync(join(prefix, 'lib', 'node_modules', 'codex-fleet'));
    assert.ok(st.runtime.codexPath.startsWith(installed), `${st.runtime.codexPath} is inside ${installed}`);
    h!.model.enqueue([{ type: 'message', text: 'Hello from the packed CLI.' }]);
    const sent = JSON.parse((await cli('sessions', 'send', started.id, 'hello', '--wait', '--json')).stdout) as { status: string; reply: string };
    assert.deepEqual([sent.status, sent.reply], ['completed', 'Hello from the packed CLI.']);
  });
});
