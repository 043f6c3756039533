/**
 * Terminal agents against the REAL codex TUI (native binary, in a pty) and the scripted model,
 * driving AgentManager directly (no sidecar): lifecycle states from the hooks, messaging through the
 * TUI, approvals, subagents, stop/start with history, worktrees, hook trust as Codex reports it.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentState, AgentSummary, AgentWaitReason, FleetEventBody } from '../../protocol/types';
import { AgentManager, type AgentDeps } from '../../server/agents/agentManager';
import { TuiAgentRuntime } from '../../server/agents/tuiAgent';
import type { CommonTranscriptEvent } from '../../server/agents/transcript';
import { Emitter } from '../../sdk/emitter';
import { testCodex } from '../support/fleetHarness';
import { MOCK_ENV_KEY, ScriptedModel } from '../support/scriptedModel';
import { hooksListFor, NamespaceProxy } from '../support/agentsSupport';

const codex = testCodex();

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' }).trim();
}

describe('terminal agents with the real codex TUI', function () {
  this.timeout(30_000);
  let model: ScriptedModel;
  let proxy: NamespaceProxy;
  let dir: string;
  let workspace: string;
  let userHome: string;
  let manager: AgentManager;
  let deps: AgentDeps;
  const events = new Emitter<FleetEventBody>();
  const emitted: FleetEventBody[] = [];
  const timings: string[] = [];

  before(async () => {
    // Never skipped (not under CI=true either): without the real codex this suite fails, it does not go green.
    assert.ok(existsSync(codex.path), `the real codex is missing at ${codex.path} (npm ci installs the platform package)`);
    model = await ScriptedModel.start();
    proxy = await NamespaceProxy.start(model.baseUrl);
    dir = mkdtempSync(join(tmpdir(), 'fleet-agents-'));
    workspace = join(dir, 'ws');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'README.md'), 'hello\n');
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '.');
    git(workspace, 'commit', '-qm', 'init');
    userHome = join(dir, 'user-codex');
    model.writeCodexHome(userHome, { model: 'mock-model' });
    const cfg = join(userHome, 'config.toml');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(JSON.stringify(model.baseUrl), JSON.stringify(proxy.baseUrl)));
    deps = {
      workspace,
      stateDir: join(dir, 'state'),
      codexPath: codex.path,
      codexEnv: codex.env,
      codexSource: 'pinned',
      userCodexHome: userHome,
      env: { ...process.env, [MOCK_ENV_KEY]: 'test' },
      appServerSocket: () => undefined,
      emit: (b) => {
        emitted.push(b);
        events.fire(b);
      },
      log: { info: () => undefined, warn: (m) => process.env.AGENTS_TEST_LOG && console.warn(m), error: (m) => console.error(m) },
      maxAgents: 3,
      updatePolicy: 'NEVER',
    };
    manager = new AgentManager(deps);
  });

  after(async () => {
    await manager?.dispose();
    await proxy?.close();
    await model?.close();
    if (timings.length) console.log(`      timings: ${timings.join('; ')}`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The next agent/updated of `name` matching (or the current summary if it already matches). */
  function waitAgent(name: string, state: AgentState, reason?: AgentWaitReason, timeoutMs = 15_000): Promise<AgentSummary> {
    const ok = (a: AgentSummary) => a.name === name && a.state === state && (reason === undefined || a.waitReason === reason);
    const now = manager.list().find((a) => a.name === name);
    if (now && ok(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        const cur = manager.list().find((a) => a.name === name);
        reject(new Error(`agent ${name} not ${state}${reason ? `(${reason})` : ''} within ${timeoutMs} ms; now ${cur?.state}(${cur?.waitReason})`));
      }, timeoutMs);
      const sub = events.event((e) => {
        if (e.kind === 'agent/updated' && ok(e.agent)) {
          clearTimeout(timer);
          sub.dispose();
          resolve(e.agent);
        }
      });
    });
  }

  function common(name: string): CommonTranscriptEvent[] {
    return manager.transcript(name).entries as CommonTranscriptEvent[];
  }

  it('trusts exactly our hooks: hooks/list reports them trusted under the keys we wrote', async () => {
    const t0 = Date.now();
    const created = await manager.create({ name: 'alpha', consent: true, approvalPolicy: 'on-request', sandbox: 'workspace-write' });
    assert.equal(created.state, 'WAITING');
    await waitAgent('alpha', 'WAITING', 'endOfTurn');
    timings.push(`create→WAITING ${Date.now() - t0} ms`);
    const home = manager.registry.paths('alpha').home;
    const hooks = await hooksListFor(codex.path, home, workspace, { ...process.env, [MOCK_ENV_KEY]: 'test' });
    const ours = hooks.filter((h) => h.sourcePath.startsWith(home));
    assert.equal(ours.length, 11);
    for (const h of ours) assert.equal(h.trustStatus, 'trusted', `${h.key}: ${h.trustStatus}`);
  });

  it('message → RUNNING → WAITING, the reply in the transcript', async () => {
    model.enqueue([{ type: 'message', text: 'Hello from the scripted model.' }]);
    const running = waitAgent('alpha', 'RUNNING');
    const t0 = Date.now();
    const r = await manager.send('alpha', 'first message');
    assert.deepEqual(r, { delivered: true, queued: false });
    timings.push(`send→delivered ${Date.now() - t0} ms`);
    await running;
    await waitAgent('alpha', 'WAITING', 'endOfTurn');
    timings.push(`message round trip ${Date.now() - t0} ms`);
    const t = common('alpha');
    assert.ok(t.some((e) => e.type === 'user_message' && e.content === 'first message'), JSON.stringify(t));
    assert.ok(t.some((e) => e.type === 'assistant_message' && e.text === 'Hello from the scripted model.'));
    const summary = manager.list().find((a) => a.name === 'alpha')!;
    assert.match(summary.sessionId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('multi-line text arrives as one message; a busy agent queues it and delivers after the turn', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    model.enqueue([{ type: 'message', text: 'first part' }]);
    model.setHandler(async (req) => {
      if (req.lastUserText() === 'slow one') await gate;
      return [{ type: 'message', text: `echo: ${req.lastUserText()}` }];
    });
    try {
      await manager.send('alpha', 'line one\nline two');
      await waitAgent('alpha', 'WAITING', 'endOfTurn');
      assert.ok(common('alpha').some((e) => e.type === 'user_message' && e.content === 'line one\nline two'));
      await manager.send('alpha', 'slow one');
      await waitAgent('alpha', 'RUNNING');
      const queued = await manager.send('alpha', 'after the slow one', { wait: false });
      assert.deepEqual(queued, { delivered: false, queued: true });
      release();
      await model.waitForRequest((q) => q.lastUserText() === 'after the slow one');
      await waitAgent('alpha', 'WAITING', 'endOfTurn');
      assert.ok(common('alpha').some((e) => e.type === 'assistant_message' && e.text === 'echo: after the slow one'));
    } finally {
      model.setHandler(undefined);
    }
  });

  it('an approval inside the TUI shows WAITING(approval); answering it resumes the turn', async () => {
    model.enqueue(
      [{ type: 'functionCall', name: 'exec_command', arguments: { cmd: 'echo approved > approved.txt', sandbox_permissions: 'require_escalated', justification: 'test' }, callId: 'call_appr' }],
      [{ type: 'message', text: 'wrote it' }],
    );
    await manager.send('alpha', 'please write');
    await waitAgent('alpha', 'WAITING', 'approval');
    const rt = manager.runtime('alpha');
    assert.ok(rt instanceof TuiAgentRuntime);
    // The hook fires before the TUI draws its approval prompt: answer once it is on screen.
    await new Promise<void>((resolve) => {
      if (rt.screenKind() === 'approval') return resolve();
      const sub = rt.onScreen((k) => k === 'approval' && (sub.dispose(), resolve()));
    });
    manager.input('alpha', 'y');
    await waitAgent('alpha', 'WAITING', 'endOfTurn');
    assert.equal(readFileSync(join(workspace, 'approved.txt'), 'utf8').trim(), 'approved');
    const t = common('alpha');
    const call = t.find((e) => e.type === 'assistant_message' && e.tool_calls.some((c) => c.tool_call_id === 'call_appr'));
    const result = t.find((e) => e.type === 'tool_result' && e.tool_call_id === 'call_appr');
    assert.ok(call && result, 'tool call and its result are paired by call id');
    assert.equal(result.type === 'tool_result' && result.tool_name, 'exec_command');
  });

  it('a subagent keeps the agent RUNNING past the root Stop', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    model.setHandler(async (req) => {
      const u = req.lastUserText() ?? '';
      if (u === 'spawn a helper') {
        return !req.functionOutputs().some((o) => o.output.includes('agent_id'))
          ? [{ type: 'functionCall', name: 'multi_agent_v1.spawn_agent', arguments: { message: 'helper task' } }]
          : [{ type: 'message', text: 'helper spawned' }];
      }
      if (u.includes('helper task')) {
        await gate;
        return [{ type: 'message', text: 'helper done' }];
      }
      return [{ type: 'message', text: 'ok' }];
    });
    try {
      const rt = manager.runtime('alpha') as TuiAgentRuntime;
      await manager.send('alpha', 'spawn a helper');
      await model.waitForRequest((q) => (q.lastUserText() ?? '').includes('helper task'));
      // The root turn ends (its reply is in the transcript) while the helper still works.
      await new Promise<void>((resolve) => {
        const check = () => common('alpha').some((e) => e.type === 'assistant_message' && e.text === 'helper spawned');
        if (check()) return resolve();
        const sub = rt.onChange(() => check() && (sub.dispose(), resolve()));
      });
      assert.equal(manager.list().find((a) => a.name === 'alpha')!.state, 'RUNNING');
      assert.equal(rt.subagents.length, 1);
      release();
      await waitAgent('alpha', 'WAITING', 'endOfTurn');
      assert.equal(rt.subagents.length, 0);
    } finally {
      model.setHandler(undefined);
    }
  });

  it('stop → STOPPED; start resumes the conversation with its history', async () => {
    const before = manager.list().find((a) => a.name === 'alpha')!;
    const stopped = await manager.stop('alpha');
    assert.equal(stopped.state, 'STOPPED');
    assert.equal(stopped.pid, undefined);
    const t0 = Date.now();
    await manager.start('alpha');
    await waitAgent('alpha', 'WAITING', 'endOfTurn');
    timings.push(`start(resume)→WAITING ${Date.now() - t0} ms`);
    model.enqueue([{ type: 'message', text: 'I remember.' }]);
    await manager.send('alpha', 'do you remember?');
    const req = await model.waitForRequest((q) => q.lastUserText() === 'do you remember?');
    assert.ok(req.hasText('first message'), 'the resumed request carries the earlier messages');
    await waitAgent('alpha', 'WAITING', 'endOfTurn');
    assert.equal(manager.list().find((a) => a.name === 'alpha')!.sessionId, before.sessionId);
  });

  it('creates an agent on its own worktree and branch, and removes both on destroy', async () => {
    const a = await manager.create({ name: 'wt', worktree: true, consent: true });
    assert.equal(a.branch, 'codex-fleet/wt');
    assert.ok(a.worktree && existsSync(join(a.worktree, 'README.md')));
    assert.equal(a.cwd, a.worktree);
    assert.equal(a.baseRef, git(workspace, 'rev-parse', 'HEAD'));
    await waitAgent('wt', 'WAITING', 'endOfTurn');
    const removed = waitFor((e) => e.kind === 'agent/removed' && e.name === 'wt');
    await manager.destroy('wt');
    await removed;
    assert.ok(!existsSync(a.worktree!));
    assert.equal(git(workspace, 'branch', '--list', 'codex-fleet/wt'), '');
  });

  it('--base REF and --keep-worktree: the branch starts at REF and outlives the agent', async () => {
    writeFileSync(join(workspace, 'later.txt'), 'x\n');
    git(workspace, 'add', 'later.txt');
    git(workspace, 'commit', '-qm', 'later');
    const a = await manager.create({ name: 'wt2', worktree: true, baseRef: 'HEAD~1', consent: true });
    assert.equal(a.baseRef, git(workspace, 'rev-parse', 'HEAD~1'));
    assert.ok(!existsSync(join(a.worktree!, 'later.txt')), 'the worktree is at the base, not at HEAD');
    await waitAgent('wt2', 'WAITING', 'endOfTurn');
    await manager.destroy('wt2', { keepWorktree: true });
    assert.ok(existsSync(join(a.worktree!, 'README.md')));
    assert.equal(git(workspace, 'rev-parse', 'refs/heads/codex-fleet/wt2'), a.baseRef);
    git(workspace, 'worktree', 'remove', '--force', a.worktree!);
    git(workspace, 'branch', '-D', 'codex-fleet/wt2');
    await assert.rejects(manager.create({ name: 'wt3', worktree: true, baseRef: 'no-such-ref' }), /base ref "no-such-ref" is not a commit/);
  });

  it('the TUI quitting by itself (Ctrl-C at an idle composer) is DONE; start brings it back', async () => {
    const done = waitAgent('alpha', 'DONE');
    manager.input('alpha', '\x03');
    const s = await done;
    assert.equal(s.pid, undefined);
    await manager.start('alpha');
    await waitAgent('alpha', 'WAITING', 'endOfTurn');
  });

  it('destroy keeps the sessions (moved to the user CODEX_HOME); adopt brings one back with its history', async () => {
    const sessionId = manager.list().find((a) => a.name === 'alpha')!.sessionId!;
    await manager.destroy('alpha');
    assert.equal(manager.list().length, 0);
    const t0 = Date.now();
    const adopted = await manager.adopt(sessionId, 'beta');
    assert.equal(adopted.sessionId, sessionId);
    await waitAgent('beta', 'WAITING', 'endOfTurn');
    timings.push(`adopt→WAITING ${Date.now() - t0} ms`);
    assert.ok(common('beta').some((e) => e.type === 'user_message' && e.content === 'first message'), 'transcript rebuilt from the rollout');
    model.enqueue([{ type: 'message', text: 'adopted' }]);
    await manager.send('beta', 'still there?');
    const req = await model.waitForRequest((q) => q.lastUserText() === 'still there?');
    assert.ok(req.hasText('do you remember?'), 'the adopted session carries its history');
    await waitAgent('beta', 'WAITING', 'endOfTurn');
  });

  it('refuses bad names, duplicates, the limit, and --worktree outside a git repository', async () => {
    await assert.rejects(manager.create({ name: 'Bad Name' }), /invalid agent name/);
    await assert.rejects(manager.create({ name: 'beta' }), /already exists/);
    await assert.rejects(manager.send('nobody', 'hi'), /no agent named nobody/);
    const plain = mkdtempSync(join(tmpdir(), 'fleet-nogit-'));
    const m2 = new AgentManager({ ...deps, workspace: plain, stateDir: join(plain, '.state') });
    await assert.rejects(m2.create({ name: 'x', worktree: true }), /not inside a git repository/);
    await m2.dispose();
    const m3 = new AgentManager({ ...deps, stateDir: join(plain, '.state3'), maxAgents: 0 });
    await assert.rejects(m3.create({ name: 'x' }), /maximum of 0 agents/);
    await m3.dispose();
    rmSync(plain, { recursive: true, force: true });
  });

  function waitFor(pred: (e: FleetEventBody) => boolean, timeoutMs = 15_000): Promise<FleetEventBody> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (sub.dispose(), reject(new Error('event not seen'))), timeoutMs);
      const sub = events.event((e) => {
        if (pred(e)) {
          clearTimeout(timer);
          sub.dispose();
          resolve(e);
        }
      });
    });
  }
});
