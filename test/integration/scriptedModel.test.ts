/**
 * Proves ScriptedModel against the REAL codex 0.169 binary (`codex exec` and `codex app-server`
 * over stdio), plus a few direct HTTP checks of the model itself. Event-driven: no sleeps.
 *
 *   npx mocha --import=tsx test/integration/scriptedModel.test.ts
 */
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { testCodexBinary } from '../support/fleetHarness';
import { MOCK_ENV_KEY, ScriptedModel } from '../support/scriptedModel';

/** The native binary (the npm wrapper would add a Node process in front of it). */
const CODEX_BIN = testCodexBinary();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('ScriptedModel', function () {
  this.timeout(20_000);
  let model: ScriptedModel;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    model = await ScriptedModel.start();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scripted-model-'));
    const home = path.join(tmp, 'codex-home');
    model.writeCodexHome(home);
    fs.mkdirSync(path.join(tmp, 'work'));
    env = { ...process.env, [MOCK_ENV_KEY]: 'x', CODEX_HOME: home, RUST_LOG: 'error' };
  });

  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await model.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function start(args: string[], stdin: 'pipe' | 'ignore'): ChildProcess {
    const child = spawn(CODEX_BIN, args, { cwd: path.join(tmp, 'work'), env, stdio: [stdin, 'pipe', 'pipe'] });
    children.push(child);
    return child;
  }

  /** `codex exec --json`; stdin must not be a pipe left open, or exec waits to read a prompt from it. */
  function exec(prompt: string): Promise<Run> {
    const child = start(['exec', '--skip-git-repo-check', '--strict-config', '--json', prompt], 'ignore');
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  function jsonLines(text: string): Array<Record<string, unknown>> {
    return text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  function agentMessages(run: Run): string[] {
    return jsonLines(run.stdout)
      .filter((e) => e.type === 'item.completed')
      .map((e) => e.item as Record<string, unknown>)
      .filter((item) => item.type === 'agent_message')
      .map((item) => String(item.text));
  }

  describe('with codex exec', () => {
    it('streams the scripted message to codex exec', async () => {
      model.enqueue([{ type: 'message', text: 'Hello from the scripted model' }]);
      const run = await exec('say hi');
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(agentMessages(run), ['Hello from the scripted model']);
      assert.equal(model.requests.length, 1);
      const req = model.requests[0];
      assert.ok(req);
      assert.equal(req.lastUserText(), 'say hi');
      assert.equal(req.isTitleRequest, false);
      assert.ok(req.toolNames.includes('exec_command'), req.toolNames.join(','));
      assert.deepEqual(model.otherRequests, []);
    });

    it('returns the output of a scripted exec_command call to the model', async () => {
      model.enqueue(
        [{ type: 'functionCall', name: 'exec_command', arguments: { cmd: 'echo scripted-ok' }, callId: 'call_echo' }],
        [{ type: 'message', text: 'the command ran' }],
      );
      const followUp = model.waitForRequest((r) => r.functionOutputs().length > 0);
      const run = await exec('run echo');
      assert.equal(run.code, 0, run.stderr);
      const outputs = (await followUp).functionOutputs();
      assert.equal(outputs.length, 1);
      assert.equal(outputs[0]?.callId, 'call_echo');
      assert.match(outputs[0]?.output ?? '', /scripted-ok/);
      assert.deepEqual(agentMessages(run), ['the command ran']);
      assert.equal(model.requests.length, 2);
    });
  });

  describe('with codex app-server over stdio', () => {
    /** Minimal NDJSON JSON-RPC client (app-server never writes "jsonrpc"; see the behaviour notes). */
    function appServer(): {
      request: (method: string, params: unknown) => Promise<Record<string, unknown>>;
      notified: (method: string, pred?: (p: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
      notifications: Array<{ method: string; params: Record<string, unknown> }>;
      exit: () => Promise<number | null>;
    } {
      const child = start(['app-server'], 'pipe');
      const pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
      const notifications: Array<{ method: string; params: Record<string, unknown> }> = [];
      const listeners = new Set<() => void>();
      let nextId = 1;
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
      void closed.then(() => {
        for (const p of pending.values()) p.reject(new Error(`app-server exited; stderr:\n${stderr}`));
      });
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (typeof msg.id === 'number' && !('method' in msg)) {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          if (msg.error) p?.reject(new Error(JSON.stringify(msg.error)));
          else p?.resolve(msg.result as Record<string, unknown>);
        } else if (typeof msg.method === 'string' && !('id' in msg)) {
          notifications.push({ method: msg.method, params: msg.params as Record<string, unknown> });
          for (const l of [...listeners]) l();
        }
      });
      const send = (msg: unknown): void => void child.stdin?.write(`${JSON.stringify(msg)}\n`);
      return {
        notifications,
        request: (method, params) =>
          new Promise((resolve, reject) => {
            const id = nextId++;
            pending.set(id, { resolve, reject });
            send({ id, method, params });
          }),
        notified: (method, pred = () => true) =>
          new Promise((resolve) => {
            const check = (): boolean => {
              const hit = notifications.find((n) => n.method === method && pred(n.params));
              if (hit) resolve(hit.params);
              return hit !== undefined;
            };
            if (check()) return;
            const listener = (): void => void (check() && listeners.delete(listener));
            listeners.add(listener);
          }),
        exit: () => {
          child.stdin?.end();
          return closed;
        },
      };
    }

    async function runTurn(text: string): Promise<{ deltas: string[]; turn: Record<string, unknown> }> {
      const server = appServer();
      await server.request('initialize', {
        clientInfo: { name: 'codex_fleet_test', title: 'Codex Fleet test', version: '0.0.0' },
        capabilities: { experimentalApi: true },
      });
      const started = await server.request('thread/start', { cwd: path.join(tmp, 'work') });
      const threadId = (started.thread as { id: string }).id;
      const completed = server.notified('turn/completed', (p) => p.threadId === threadId);
      await server.request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
      const done = await completed;
      const deltas = server.notifications
        .filter((n) => n.method === 'item/agentMessage/delta' && n.params.threadId === threadId)
        .map((n) => String(n.params.delta));
      assert.equal(await server.exit(), 0);
      return { deltas, turn: done.turn as Record<string, unknown> };
    }

    it('streams item/agentMessage/delta notifications that concatenate to the scripted text', async () => {
      const chunks = ['Hello', ', app', '-server', ' world'];
      model.enqueue([{ type: 'message', text: chunks.join(''), chunks }]);
      const { deltas, turn } = await runTurn('stream please');
      assert.equal(turn.status, 'completed');
      assert.equal(deltas.join(''), 'Hello, app-server world');
      assert.deepEqual(deltas, chunks);
      assert.equal(model.requests[0]?.lastUserText(), 'stream please');
    });

    it('delivers every delta of a stream step', async () => {
      model.enqueue([{ type: 'stream', count: 2000, word: 'w' }]);
      const { deltas, turn } = await runTurn('flood');
      assert.equal(turn.status, 'completed');
      assert.equal(deltas.length, 2000);
      assert.equal(deltas.join(''), 'w '.repeat(2000));
    });
  });

  describe('over plain HTTP', () => {
    function post(body: unknown): Promise<{ status: number; text: string }> {
      return new Promise((resolve, reject) => {
        const req = http.request(`${model.baseUrl}/responses`, { method: 'POST' }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    }
    const userInput = (text: string): unknown => ({ input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }] });
    const events = (text: string): Array<Record<string, unknown>> =>
      text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);

    it('answers title requests by their schema without consuming the queue', async () => {
      model.enqueue([{ type: 'message', text: 'queued' }]);
      const title = await post({
        ...(userInput('Generate a concise, single-line task title of at most 36 characters.\n\nUser prompt:\nhi') as object),
        tools: [],
        text: { format: { type: 'json_schema', name: 'codex_output_schema', schema: { type: 'object', properties: { title: { type: 'string', maxLength: 36 } } } } },
      });
      const done = events(title.text).find((e) => e.type === 'response.output_item.done');
      assert.deepEqual(done?.item, {
        type: 'message',
        id: (done?.item as { id: string }).id,
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: '{"title":"Scripted task"}', annotations: [] }],
      });
      assert.equal(model.requests[0]?.isTitleRequest, true);
      const next = await post(userInput('hello'));
      assert.ok(next.text.includes('"delta":"queued"') || next.text.includes('"text":"queued"'));
      const completed = events(next.text).at(-1);
      assert.equal(completed?.type, 'response.completed');
      assert.ok((completed?.response as { usage: { total_tokens: number } }).usage.total_tokens > 0);
    });

    it('fails with the scripted HTTP status and ends hanging streams on close', async () => {
      model.enqueue([{ type: 'fail', status: 429, message: 'slow down' }], [{ type: 'message', text: 'a' }, { type: 'hang' }]);
      const failed = await post(userInput('x'));
      assert.equal(failed.status, 429);
      assert.match(failed.text, /slow down/);
      const hanging = post(userInput('y'));
      await model.waitForRequest((r) => r.lastUserText() === 'y');
      await model.close();
      const ended = await hanging;
      assert.ok(!ended.text.includes('response.completed'));
      await assert.rejects(model.waitForRequest(() => false, 10), /closed/);
    });

    it('rejects waitForRequest after its timeout with a clear message', async () => {
      await assert.rejects(model.waitForRequest((r) => r.hasText('never'), 30), /no matching request within 30 ms/);
    });

    it('writes a 20,000-delta flood quickly', async () => {
      model.enqueue([{ type: 'stream', count: 20_000, stamp: true }]);
      const cpu = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const res = await post(userInput('flood'));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      const deltas = events(res.text).filter((e) => e.type === 'response.output_text.delta');
      assert.equal(deltas.length, 20_000);
      assert.match(String(deltas[0]?.delta), /^\d+ $/);
      console.log(`      20k stamped deltas: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (server + client)`);
    });
  });
});
