/**
 * Terminal agents through the sidecar protocol (an in-process Sidecar with the agents wired in, the
 * real codex app-server and TUI, the scripted model): create/list/send/transcript, a terminal
 * attached over `agents/attach` whose typing reaches the agent, and a session agent whose viewer
 * mirrors a turn started by another client.
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as P from '../../protocol/sidecarProtocol';
import type { AgentState, AgentSummary, FleetEvent } from '../../protocol/types';
import { FleetClient } from '../../sdk/fleetClient';
import { statePaths } from '../../sdk/stateDir';
import type { AgentManager } from '../../server/agents/agentManager';
import { PtyHost } from '../../server/agents/ptyHost';
import { Screen } from '../../server/agents/screen';
import { Sidecar } from '../../server/sidecar';
import { CLI_SCRIPT, testCodexBinary } from '../support/fleetHarness';
import { MOCK_ENV_KEY, ScriptedModel } from '../support/scriptedModel';

describe('terminal agents through the sidecar protocol', function () {
  this.timeout(30_000);
  let model: ScriptedModel;
  let root: string;
  let sidecar: Sidecar;
  let manager: AgentManager;
  let client: FleetClient;
  let workspace: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    model = await ScriptedModel.start();
    root = mkdtempSync(join(tmpdir(), 'fleet-agsc-'));
    workspace = join(root, 'ws');
    mkdirSync(workspace);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace });
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'init'], { cwd: workspace });
    const codexHome = join(root, 'codex-home');
    model.writeCodexHome(codexHome, { model: 'mock-model' });
    env = {
      ...process.env,
      CODEX_HOME: codexHome,
      [MOCK_ENV_KEY]: 'test-key',
      CODEX_FLEET_STATE_DIR: join(root, 'state'),
      CODEX_FLEET_CODEX: testCodexBinary(),
      CODEX_FLEET_AGENT_UPDATES: 'NEVER',
    };
    delete env.OPENAI_API_KEY;
    const paths = statePaths(workspace, env);
    sidecar = new Sidecar({ paths, env, idleTimeoutMs: 0, ringSize: 5000, echoLog: false });
    // Until the sidecar wires agents itself (then it exposes them as `agents`).
    manager = sidecar.agents;
    await sidecar.start();
    client = await FleetClient.connect({ workspace, clientName: 'agents-it', env, autoStart: false });
    await client.subscribe({ kinds: ['agent/updated', 'agent/removed', 'runtime/state'] });
  });

  after(async () => {
    client?.close();
    await manager?.dispose();
    await sidecar?.stop();
    await model?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function agentEvent(name: string, state: AgentState, extra: (a: AgentSummary) => boolean = () => true) {
    return client.waitForEvent((e: FleetEvent) => e.kind === 'agent/updated' && e.agent.name === name && e.agent.state === state && extra(e.agent), 15_000);
  }

  /** Like agentEvent, but satisfied at once when the agent is already there. */
  async function untilAgent(name: string, pred: (a: AgentSummary) => boolean): Promise<void> {
    const wait = client.waitForEvent((e: FleetEvent) => e.kind === 'agent/updated' && e.agent.name === name && pred(e.agent), 15_000);
    const { data } = await client.request(P.AgentsList);
    const now = data.find((a) => a.name === name);
    if (now && pred(now)) {
      wait.catch(() => undefined);
      return;
    }
    await wait;
  }

  /** Everything an attached terminal received, interpreted as a screen. */
  function terminal(name: string): { screen: Screen; seen(text: string): Promise<void>; dispose(): void } {
    const screen = new Screen(100, 30);
    const waiters: Array<{ text: string; resolve: () => void }> = [];
    const output = client.connection.onNotification(P.AgentsOutput, (p) => {
      if (p.name === name) screen.write(p.data);
    });
    const parsed = screen.onParsed(() => {
      for (const w of [...waiters]) {
        if (!screen.text().includes(w.text)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    return {
      screen,
      seen: (text) =>
        screen.text().includes(text)
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`terminal never showed ${JSON.stringify(text)}:\n${screen.text()}`)), 15_000);
              waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
            }),
      dispose: () => {
        output.dispose();
        parsed.dispose();
        screen.dispose();
      },
    };
  }

  it('create, attach, type in the terminal, send, transcript, list, destroy', async () => {
    const waiting = agentEvent('one', 'WAITING', (a) => a.waitReason === 'endOfTurn');
    const { agent } = await client.request(P.AgentsCreate, { name: 'one', consent: true });
    assert.equal(agent.kind, 'tui');
    await waiting;
    const term = terminal('one');
    const { screen } = await client.request(P.AgentsAttach, { name: 'one', cols: 100, rows: 30 });
    term.screen.write(screen);
    await term.seen('for shortcuts');

    model.enqueue([{ type: 'message', text: 'Typed reply arrived.' }]);
    client.notify(P.AgentsInput, { name: 'one', data: 'typed in the terminal' });
    await term.seen('typed in the terminal');
    const done = agentEvent('one', 'WAITING', (a) => a.waitReason === 'endOfTurn');
    client.notify(P.AgentsInput, { name: 'one', data: '\r' });
    await model.waitForRequest((r) => r.lastUserText() === 'typed in the terminal');
    await done;
    await term.seen('Typed reply arrived.');

    model.enqueue([{ type: 'message', text: 'Sent reply.' }]);
    assert.deepEqual(await client.request(P.AgentsSend, { name: 'one', text: 'sent over the protocol' }), { delivered: true });
    await agentEvent('one', 'WAITING', (a) => a.waitReason === 'endOfTurn');
    const { entries } = await client.request(P.AgentsTranscript, { name: 'one' });
    const texts = entries.map((e) => JSON.stringify(e));
    assert.ok(texts.some((t) => t.includes('"user_message"') && t.includes('typed in the terminal')));
    assert.ok(texts.some((t) => t.includes('"assistant_message"') && t.includes('Sent reply.')));
    const raw = await client.request(P.AgentsTranscript, { name: 'one', raw: true });
    assert.ok(raw.entries.length > entries.length);

    const { data } = await client.request(P.AgentsList);
    assert.deepEqual(data.map((a) => a.name), ['one']);
    await client.request(P.AgentsDetach, { name: 'one' });
    term.dispose();
    const removed = client.waitForEvent((e) => e.kind === 'agent/removed' && e.name === 'one');
    await client.request(P.AgentsDestroy, { name: 'one' });
    await removed;
    await assert.rejects(client.request(P.AgentsStop, { name: 'one' }), /no agent named one/);
  });

  it('a session agent mirrors a turn started by another client; closing its viewer keeps the session', async () => {
    const { agent } = await client.request(P.AgentsCreate, { name: 'viewer', kind: 'session' });
    assert.equal(agent.kind, 'session');
    const sessionId = agent.sessionId!;
    assert.ok(sessionId);
    const term = terminal('viewer');
    const { screen } = await client.request(P.AgentsAttach, { name: 'viewer', cols: 100, rows: 30 });
    term.screen.write(screen);
    await term.seen('for shortcuts');

    model.enqueue([{ type: 'message', text: 'Mirrored in the viewer.' }]);
    const running = agentEvent('viewer', 'RUNNING');
    const waiting = running.then(() => agentEvent('viewer', 'WAITING', (a) => a.waitReason === 'endOfTurn'));
    const sent = await client.request(P.SessionsSend, { sessionId, text: 'started from the cli' });
    await running;
    await client.request(P.SessionsWaitTurn, { sessionId, turnId: sent.turnId! });
    await waiting;
    await term.seen('started from the cli');
    await term.seen('Mirrored in the viewer.');

    const stopped = await client.request(P.AgentsStop, { name: 'viewer' });
    assert.equal(stopped.agent.state, 'STOPPED');
    model.enqueue([{ type: 'message', text: 'still alive' }]);
    const again = await client.request(P.SessionsSend, { sessionId, text: 'after the viewer closed' });
    const result = await client.request(P.SessionsWaitTurn, { sessionId, turnId: again.turnId! });
    assert.equal(result.reply, 'still alive');
    term.dispose();
    await client.request(P.AgentsDestroy, { name: 'viewer' });
  });

  /** The built CLI (needs `npm run build`) against this in-process sidecar. */
  function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI_SCRIPT, '--workspace', workspace, ...args], { env }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('the CLI: create --yes, send, list, transcript, attach in a terminal with Ctrl-] to detach, destroy', async () => {
    const created = await cli('agents', 'create', 'cli-agent', '--yes', '--json', '--approval-policy', 'on-request');
    assert.equal(created.code, 0, created.stderr);
    assert.equal((JSON.parse(created.stdout) as AgentSummary).name, 'cli-agent');
    await untilAgent('cli-agent', (a) => a.state === 'WAITING' && a.waitReason === 'endOfTurn');
    model.enqueue([{ type: 'message', text: 'Hi from the CLI test.' }]);
    const sent = await cli('agents', 'send', 'cli-agent', 'hello', 'from', 'cli');
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /Delivered to cli-agent/);
    const list = await cli('agents', 'list');
    assert.match(list.stdout, /cli-agent\s+tui\s+(RUNNING|WAITING)/);
    await untilAgent('cli-agent', (a) => a.state === 'WAITING' && a.waitReason === 'endOfTurn');
    const tr = await cli('agents', 'transcript', 'cli-agent');
    assert.match(tr.stdout, /user:\nhello from cli/, tr.stderr);
    assert.match(tr.stdout, /assistant:\nHi from the CLI test\./);
    const bad = await cli('agents', 'send', 'nobody', 'x');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^codex-fleet: no agent named nobody/);

    // attach: the CLI in a real terminal shows the TUI, typing reaches the agent, Ctrl-] detaches.
    const term = new PtyHost({ file: process.execPath, args: [CLI_SCRIPT, '--workspace', workspace, 'agents', 'attach', 'cli-agent'], cwd: workspace, env: env as Record<string, string>, cols: 100, rows: 30 });
    const shows = (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (term.screen.text().includes(text)) return resolve();
        const timer = setTimeout(() => reject(new Error(`attach never showed ${text}:\n${term.screen.text()}`)), 15_000);
        const sub = term.onData(() => term.screen.text().includes(text) && (clearTimeout(timer), sub.dispose(), resolve()));
      });
    await shows('for shortcuts');
    term.write('typed through attach');
    await shows('typed through attach');
    term.write('\x1d');
    const exit = await term.exited;
    assert.equal(exit.exitCode, 0);
    assert.match(term.screen.text(), /detached from cli-agent/);
    assert.ok(manager.runtime('cli-agent').isRunning, 'detaching leaves the agent running');

    const destroyed = await cli('agents', 'destroy', 'cli-agent', '--json');
    assert.equal(destroyed.code, 0, destroyed.stderr);
  });
});
