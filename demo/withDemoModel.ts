/**
 * Run one command against the offline demo model, e.g. an SDK example:
 *
 *   npx tsx demo/withDemoModel.ts python3 examples/python/summarise_repository.py
 *
 * Starts the demo model (demo/demoModel.ts), a private CODEX_HOME pointing the pinned codex at it, a private
 * sidecar state dir and a throwaway copy of demo/workspace; runs the command with that environment
 * (CODEX_FLEET_WORKSPACE names the copy; the examples use it as their default workspace); then stops the
 * sidecar the command started and removes everything. Exits with the command's exit code.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoModel } from './demoModel';
import { codexBinaryInPackage, codexPlatform } from '../shared/codexPlatform';

const ROOT = path.resolve(__dirname, '..');

function pinnedCodex(): string | undefined {
  const target = codexPlatform(process.platform, process.arch);
  if (!target) return undefined;
  const bin = path.join(ROOT, 'node_modules', target.pkg, codexBinaryInPackage(target));
  return fs.existsSync(bin) ? bin : undefined;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2).filter((a, i) => i > 0 || a !== '--');
  if (!command) {
    console.error('usage: npx tsx demo/withDemoModel.ts COMMAND [ARG...]');
    return 2;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-fleet-demo-run-'));
  const workspace = path.join(root, 'tiny-tasks');
  fs.cpSync(path.join(ROOT, 'demo', 'workspace'), workspace, { recursive: true });
  const model = await startDemoModel(path.join(root, 'codex-home'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...model.env,
    CODEX_FLEET_STATE_DIR: path.join(root, 'state'),
    CODEX_FLEET_WORKSPACE: workspace,
    CODEX_FLEET_CLI: path.join(ROOT, 'bin', 'codex-fleet.js'),
  };
  delete env.OPENAI_API_KEY;
  const codex = pinnedCodex();
  if (codex && !env.CODEX_FLEET_CODEX) env.CODEX_FLEET_CODEX = codex;
  try {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'bin', 'codex-fleet.js'), 'stop', '--force', '--workspace', workspace], { env, stdio: 'ignore', timeout: 20_000 });
    } catch {
      // no sidecar was started, or it is already going
    }
    await model.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
