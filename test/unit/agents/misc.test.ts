import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookScript } from '../../../server/agents/agentHome';
import { AgentRegistry, summarize, validateAgentName } from '../../../server/agents/agentRegistry';
import { HookReceiver, parseHookFile, type ReceivedHookEvent } from '../../../server/agents/hookReceiver';
import { AgentManager } from '../../../server/agents/agentManager';
import { checkForUpdate, compareVersions, readLatestVersion } from '../../../server/agents/updates';
import type { FleetEventBody } from '../../../protocol/types';

describe('agents/misc', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-misc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the hook script spools stdin, event first, and the receiver reads it in order', async () => {
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const script = join(dir, 'hook.sh');
    writeFileSync(script, hookScript(inbox), { mode: 0o700 });
    for (const [ev, n] of [['UserPromptSubmit', 1], ['Stop', 2]] as const) {
      execFileSync('/bin/sh', [script, ev], { input: JSON.stringify({ session_id: 's', n }) });
    }
    const got: ReceivedHookEvent[] = [];
    let third!: () => void;
    const more = new Promise<void>((resolve) => (third = resolve));
    const r = new HookReceiver(
      inbox,
      (e) => {
        got.push(e);
        if (got.length === 3) third();
      },
      { warn: () => undefined },
    );
    r.start();
    assert.deepEqual(got.map((e) => [e.event, e.payload.n]), [['UserPromptSubmit', 1], ['Stop', 2]]);
    assert.deepEqual(readdirSync(inbox), []);
    execFileSync('/bin/sh', [script, 'SessionEnd'], { input: '{"session_id":"s"}' });
    await more; // delivered by the directory watcher
    assert.equal(got[2]!.event, 'SessionEnd');
    r.close();
  });

  it('rejects malformed hook files', () => {
    assert.equal(parseHookFile('Stop\nnot json'), undefined);
    assert.equal(parseHookFile('rm -rf\n{}'), undefined);
    assert.deepEqual(parseHookFile('Stop\n{"a":1}'), { event: 'Stop', payload: { a: 1 } });
  });

  it('validates agent names', () => {
    for (const ok of ['a', 'fix-tests', 'agent_2']) assert.equal(validateAgentName(ok), ok);
    for (const bad of ['', 'A', '-x', 'a b', 'a/b', '../x', 'x'.repeat(41), 'semi;colon']) assert.throws(() => validateAgentName(bad), /invalid agent name/);
  });

  it('persists records atomically and remembers consent', () => {
    const reg = new AgentRegistry(dir);
    reg.save({ version: 1, name: 'one', kind: 'tui', cwd: '/w', createdAt: 1, updatedAt: 1, consent: false, state: 'RUNNING', waitReason: undefined });
    writeFileSync(join(reg.root, 'junk.txt'), 'x');
    mkdirSync(join(reg.root, 'broken'));
    writeFileSync(join(reg.root, 'broken', 'agent.json'), '{not json');
    const errors: string[] = [];
    const all = reg.loadAll((n, e) => errors.push(`${n}: ${e}`));
    assert.deepEqual(all.map((r) => r.name), ['one']);
    assert.equal(errors.length, 1);
    assert.equal(summarize(all[0]!).state, 'RUNNING');
    assert.equal(reg.hasConsent('/w'), false);
    reg.rememberConsent('/w');
    assert.equal(new AgentRegistry(dir).hasConsent('/w'), true);
  });

  it('compares versions and reads version.json', () => {
    assert.equal(compareVersions('0.169.0', '0.170.0'), -1);
    assert.equal(compareVersions('0.170.0', '0.169.9'), 1);
    assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
    assert.equal(compareVersions('1.2.3-alpha.1', '1.2.3'), -1);
    writeFileSync(join(dir, 'version.json'), JSON.stringify({ latest_version: '0.170.1', last_checked_at: 'x' }));
    assert.equal(readLatestVersion(dir), '0.170.1');
    assert.equal(readLatestVersion(join(dir, 'none')), undefined);
  });

  it('checks for updates against version.json without blocking, reporting once per version', async () => {
    const fake = join(dir, 'codex');
    writeFileSync(fake, '#!/bin/sh\n[ "$1" = "--version" ] && echo "codex-cli 0.169.0"\n', { mode: 0o755 });
    const home = join(dir, 'home');
    mkdirSync(home);
    assert.deepEqual(await checkForUpdate(fake, home), { updateAvailable: false });
    writeFileSync(join(home, 'version.json'), JSON.stringify({ latest_version: '0.170.0' }));
    assert.deepEqual(await checkForUpdate(fake, home), { current: '0.169.0', latest: '0.170.0', updateAvailable: true });
    const events: FleetEventBody[] = [];
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const m = new AgentManager({ workspace: dir, stateDir: join(dir, 'state'), codexPath: fake, userCodexHome: home, appServerSocket: () => undefined, emit: (e) => events.push(e), log: quiet, maxAgents: 1, updatePolicy: 'ASK' });
    await m.checkUpdates();
    await m.checkUpdates();
    const warnings = events.filter((e) => e.kind === 'sidecar/warning');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.kind === 'sidecar/warning' ? warnings[0]!.message : '', /Codex 0\.170\.0 is available \(agents run 0\.169\.0\)/);
    await m.dispose();
  });
});
