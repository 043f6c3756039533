/**
 * Run a command against the offline demo model: starts the model (demo/demoModel.ts), writes a
 * CODEX_HOME pointing Codex at it, gives the command a private sidecar state dir (so it never talks
 * to a sidecar you already run), and stops that sidecar and the model when the command ends.
 *
 *   npx tsx demo/offline.ts -- npx tsx examples/typescript/summarise.ts demo/workspace
 *
 * The command's exit code is this script's.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoModel } from './demoModel';
import { codexBinaryInPackage, codexPlatform } from '../shared/codexPlatform';

const PINNED_TARGET = codexPlatform(process.platform, process.arch);
const PINNED_CODEX = PINNED_TARGET ? path.join(__dirname, '..', 'node_modules', PINNED_TARGET.pkg, codexBinaryInPackage(PINNED_TARGET)) : '';

/** Stop every sidecar the command started under `stateRoot` (SIGTERM: they stop their Codex too), waiting up to 10 s. */
async function stopSidecars(stateRoot: string): Promise<void> {
  const pids: number[] = [];
  for (const dir of fs.existsSync(stateRoot) ? fs.readdirSync(stateRoot) : []) {
    try {
      const { pid } = JSON.parse(fs.readFileSync(path.join(stateRoot, dir, 'sidecar.lock'), 'utf8')) as { pid?: number };
      if (pid) {
        process.kill(pid, 'SIGTERM');
        pids.push(pid);
      }
    } catch {
      // no sidecar (or it already stopped)
    }
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let waited = 0; pids.some(alive) && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
}

async function main(): Promise<number> {
  const dash = process.argv.indexOf('--');
  const [cmd, ...args] = dash >= 0 ? process.argv.slice(dash + 1) : process.argv.slice(2);
  if (!cmd) {
    process.stderr.write('usage: npx tsx demo/offline.ts -- <command> [args...]\n');
    return 2;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-fleet-offline-'));
  const model = await startDemoModel(path.join(root, 'codex-home'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...model.env, CODEX_FLEET_STATE_DIR: path.join(root, 'state') };
  if (!env.CODEX_FLEET_CODEX && PINNED_CODEX && fs.existsSync(PINNED_CODEX)) env.CODEX_FLEET_CODEX = PINNED_CODEX;
  delete env.OPENAI_API_KEY;
  try {
    const child = spawn(cmd, args, { env, stdio: 'inherit' });
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await stopSidecars(env.CODEX_FLEET_STATE_DIR!);
    await model.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo/offline: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
