import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTranscript, TranscriptConverter, TranscriptFollower, type CommonTranscriptEvent } from '../../../server/agents/transcript';

const line = (payload: Record<string, unknown>, type = 'response_item') => JSON.stringify({ timestamp: '2026-11-23T21:47:44.841Z', type, payload });
const user = (text: string, id?: string) => line({ type: 'message', role: 'user', id, content: [{ type: 'input_text', text }] });
const assistant = (text: string) => line({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

describe('agents/transcript', () => {
  it('keeps user and assistant messages, drops context injections and bookkeeping', () => {
    const c = new TranscriptConverter();
    const out = [
      line({ id: 's1', cwd: '/w' }, 'session_meta'),
      line({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>' }] }),
      user('<environment_context>\n  <cwd>/w</cwd>\n</environment_context>'),
      user('# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>be nice</INSTRUCTIONS>'),
      user('hello'),
      line({ type: 'task_started' }, 'event_msg'),
      assistant('hi there'),
      line({ type: 'reasoning', summary: [] }),
      'not json',
    ].flatMap((l) => c.feed(l));
    assert.deepEqual(
      out.map((e) => [e.type, e.type === 'user_message' ? e.content : e.type === 'assistant_message' ? e.text : '']),
      [
        ['user_message', 'hello'],
        ['assistant_message', 'hi there'],
      ],
    );
    assert.equal(out[1]!.type === 'assistant_message' && out[1]!.parts[0]?.type, 'text');
  });

  it('pairs tool results with their calls by call id (function, custom and namespaced calls)', () => {
    const c = new TranscriptConverter();
    const events: CommonTranscriptEvent[] = [
      line({ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls"}', call_id: 'call_1' }),
      line({ type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch\n', call_id: 'call_2' }),
      line({ type: 'function_call', namespace: 'multi_agent_v1', name: 'spawn_agent', arguments: '{}', call_id: 'call_3' }),
      line({ type: 'custom_tool_call_output', call_id: 'call_2', output: 'Success.' }),
      line({ type: 'function_call_output', call_id: 'call_1', output: 'exec_command failed: CreateProcess { message: "Rejected(\\"rejected by user\\")" }' }),
      line({ type: 'function_call_output', call_id: 'nope', output: 'orphan' }),
      line({ type: 'function_call_output', call_id: 'call_3', output: [{ type: 'input_text', text: '{"agent_id":"x"}' }] }),
    ].flatMap((l) => c.feed(l));
    const calls = events.filter((e) => e.type === 'assistant_message');
    assert.deepEqual(
      calls.map((e) => (e.type === 'assistant_message' ? [e.tool_calls[0]!.tool_call_id, e.tool_calls[0]!.tool_name] : [])),
      [
        ['call_1', 'exec_command'],
        ['call_2', 'apply_patch'],
        ['call_3', 'multi_agent_v1.spawn_agent'],
      ],
    );
    const results = events.filter((e) => e.type === 'tool_result');
    assert.deepEqual(
      results.map((e) => (e.type === 'tool_result' ? [e.tool_call_id, e.tool_name, e.is_error, e.output] : [])),
      [
        ['call_2', 'apply_patch', false, 'Success.'],
        ['call_1', 'exec_command', true, 'exec_command failed: CreateProcess { message: "Rejected(\\"rejected by user\\")" }'],
        ['call_3', 'multi_agent_v1.spawn_agent', false, '{"agent_id":"x"}'],
      ],
    );
  });

  it('does not repeat an item seen twice (a resumed rollout replays history)', () => {
    const c = new TranscriptConverter();
    assert.equal(c.feed(user('again', 'msg_1')).length, 1);
    assert.equal(c.feed(user('again', 'msg_1')).length, 0);
  });

  describe('follower', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-tr-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('copies raw lines and appends common events as the rollout grows (partial lines wait)', () => {
      const rollout = join(dir, 'rollout.jsonl');
      writeFileSync(rollout, `${user('one')}\n${assistant('two').slice(0, 20)}`);
      const f = new TranscriptFollower(join(dir, 'copy'), { warn: () => undefined });
      f.follow(rollout, true);
      assert.equal(readTranscript(f.rawPath).entries.length, 1);
      appendFileSync(rollout, `${assistant('two').slice(20)}\n`);
      f.poll();
      const common = readTranscript(f.commonPath);
      assert.equal(common.entries.length, 2);
      assert.equal(readTranscript(f.commonPath, 1).entries.length, 1);
      assert.equal(common.next, 2);
      f.close();
    });
  });
});
