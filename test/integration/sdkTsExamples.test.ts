/**
 * The TypeScript examples (examples/typescript) run as their users run them — a child process
 * importing `codex-fleet/sdk` (the built package entry, dist/sdk) — against the real sidecar and
 * codex, with the offline demo model (demo/demoModel.ts) answering.
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_LABEL, demoReply } from '../../demo/demoModel';
import { FleetHarness, ROOT, type EventLog } from '../support/fleetHarness';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

describe('TypeScript SDK examples against the offline demo model', function () {
  this.timeout(90_000);
  let h: FleetHarness;
  let log: EventLog;

  before(async () => {
    h = await FleetHarness.create();
    h.model.setHandler(demoReply);
    const c = await h.connect('examples-observer');
    log = h.log(c);
    await h.ready(c);
  });
  after(async () => h?.dispose());

  /** Run an example in the workspace (cwd there, so no tsconfig maps the package name back to the sources). */
  function run(example: string, ...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(TSX, [join(ROOT, 'examples', 'typescript', example), h.workspace, ...args], { cwd: h.workspace, env: h.env, timeout: 60_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${example} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
  }

  it('the package entry codex-fleet/sdk is the built bundle, with its declarations', () => {
    // Plain node (tsx here maps the name to the sources through tsconfig paths, for the typecheck).
    const script = "const p = require.resolve('codex-fleet/sdk'); const sdk = require(p); process.stdout.write(JSON.stringify([p, typeof sdk.CodexFleet, typeof sdk.z.object]))";
    const [path, fleet, zod] = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
    assert.deepEqual([path, fleet, zod], [join(ROOT, 'dist', 'sdk', 'index.js'), 'function', 'function']);
    assert.ok(existsSync(join(ROOT, 'dist', 'sdk', 'types', 'sdk', 'index.d.ts')));
  });

  it('summarise: one sendAndWait, the reply printed', async () => {
    const out = await run('summarise.ts');
    assert.match(out, new RegExp(`Hello from the ${DEMO_LABEL.replace(/[()]/g, '\\$&')}`));
    assert.match(out, /Summarise this repository/);
  });

  it("approvalWorker: the session's command approval is accepted from the event stream and the command runs", async () => {
    const out = await run('approvalWorker.ts', 'Run the tests');
    assert.match(out, /accepted: .*node --test/);
    assert.match(out, /The command finished/);
    assert.match(out, /approvals accepted: 1/);
    const ended = await log.waitFor('request/ended', (e) => e.by === 'example-approval-worker');
    assert.equal(ended.reason, 'answered');
  });

  it('backlogSkill: the model calls the skill three times with a dozen validated fields each', async () => {
    const out = await run('backlogSkill.ts');
    assert.match(out, /`add_backlog_item` answered 3 times/);
    assert.match(out, /backlog \(3 items\)/);
    // The three calls run concurrently, so the ids follow the order they arrived in.
    assert.match(out, /BL-\d {2}high {3} 2 pt {2}bug {5}Fix due dates off by one day/);
    assert.match(out, /BL-\d {2}low {4} 1 pt {2}chore {3}Upgrade the test runner/);
    const calls = log.of('request/pending').filter((e) => e.request.kind === 'toolCall' && e.request.tool === 'add_backlog_item');
    assert.equal(calls.length, 3);
    const ends = log.of('request/ended').filter((e) => calls.some((c) => c.request.id === e.requestId));
    assert.deepEqual(ends.map((e) => e.answer?.type === 'toolResult' && e.answer.success), [true, true, true]);
  });
});
