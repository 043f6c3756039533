import * as assert from 'node:assert/strict';
import { AgentStateMachine, type HookEvent } from '../../../server/agents/agentState';

const ROOT = 'root-session';
const T = '/codex/sessions/rollout-root.jsonl';

function ev(event: string, extra: Record<string, unknown> = {}): HookEvent {
  return { event, payload: { session_id: ROOT, transcript_path: T, hook_event_name: event, ...extra } };
}
const sub = (event: string, id: string, extra: Record<string, unknown> = {}) => ev(event, { agent_id: id, agent_type: 'default', ...extra });

function started(): AgentStateMachine {
  const m = new AgentStateMachine();
  m.processStarted();
  return m;
}

describe('agents/agentState', () => {
  it('starts WAITING(starting), becomes WAITING(endOfTurn) when ready', () => {
    const m = new AgentStateMachine();
    assert.equal(m.snapshot().state, 'STOPPED');
    m.processStarted();
    assert.deepEqual([m.snapshot().state, m.snapshot().waitReason], ['WAITING', 'starting']);
    m.ready();
    assert.deepEqual([m.snapshot().state, m.snapshot().waitReason], ['WAITING', 'endOfTurn']);
    assert.equal(m.idle, true);
  });

  it('runs a turn: prompt → RUNNING → Stop → WAITING, recording the root session and rollout', () => {
    const m = started();
    m.apply(ev('SessionStart', { source: 'startup' }));
    m.apply(ev('UserPromptSubmit', { prompt: 'hi' }));
    assert.equal(m.snapshot().state, 'RUNNING');
    assert.equal(m.idle, false);
    m.apply(ev('PreModelRequest'));
    m.apply(ev('Stop', { last_assistant_message: 'done' }));
    const s = m.snapshot();
    assert.deepEqual([s.state, s.waitReason, s.rootSessionId, s.transcriptPath], ['WAITING', 'endOfTurn', ROOT, T]);
  });

  it('waits for approval until the tool runs or the turn ends', () => {
    const m = started();
    m.apply(ev('UserPromptSubmit'));
    m.apply(ev('PreToolUse', { tool_name: 'Bash' }));
    m.apply(ev('PermissionRequest', { tool_name: 'Bash' }));
    assert.deepEqual([m.snapshot().state, m.snapshot().waitReason], ['WAITING', 'approval']);
    m.apply(ev('PostToolUse', { tool_name: 'Bash' }));
    assert.equal(m.snapshot().state, 'RUNNING');
    m.apply(ev('PermissionRequest'));
    m.apply(ev('Interrupt'));
    assert.deepEqual([m.snapshot().state, m.snapshot().waitReason], ['WAITING', 'endOfTurn']);
  });

  it('waits for user input on request_user_input', () => {
    const m = started();
    m.apply(ev('UserPromptSubmit'));
    m.apply(ev('PreToolUse', { tool_name: 'request_user_input' }));
    assert.deepEqual([m.snapshot().state, m.snapshot().waitReason], ['WAITING', 'userInput']);
    m.apply(ev('PostToolUse', { tool_name: 'request_user_input' }));
    assert.equal(m.snapshot().state, 'RUNNING');
  });

  it('keeps RUNNING past the root Stop until the last subagent stops', () => {
    const m = started();
    m.apply(ev('UserPromptSubmit'));
    m.apply(sub('SubagentStart', 'child-1', { transcript_path: '/child1.jsonl' }));
    m.apply(sub('UserPromptSubmit', 'child-1', { transcript_path: '/child1.jsonl' }));
    m.apply(sub('SubagentStart', 'child-2'));
    m.apply(ev('Stop'));
    assert.equal(m.snapshot().state, 'RUNNING');
    assert.deepEqual(m.snapshot().subagents.sort(), ['child-1', 'child-2']);
    m.apply(sub('SubagentStop', 'child-1', { agent_transcript_path: '/child1.jsonl' }));
    assert.equal(m.snapshot().state, 'RUNNING');
    m.apply(sub('SubagentStop', 'child-2'));
    assert.deepEqual([m.snapshot().state, m.snapshot().waitReason], ['WAITING', 'endOfTurn']);
    assert.equal(m.snapshot().transcriptPath, T, 'a subagent rollout never replaces the root one');
  });

  it('shows a subagent approval as WAITING(approval) even after the root stopped', () => {
    const m = started();
    m.apply(ev('UserPromptSubmit'));
    m.apply(sub('SubagentStart', 'c'));
    m.apply(ev('Stop'));
    m.apply(sub('PermissionRequest', 'c'));
    assert.deepEqual([m.snapshot().state, m.snapshot().waitReason], ['WAITING', 'approval']);
    m.apply(sub('PostToolUse', 'c'));
    assert.equal(m.snapshot().state, 'RUNNING');
    m.apply(sub('SubagentStop', 'c'));
    assert.equal(m.snapshot().state, 'WAITING');
  });

  it('ignores a nested codex session sharing the agent', () => {
    const m = started();
    m.apply(ev('SessionStart'));
    m.apply(ev('UserPromptSubmit'));
    const nested = (event: string) => ({ event, payload: { session_id: 'nested', transcript_path: '/nested.jsonl' } });
    for (const e of ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd']) {
      const r = m.apply(nested(e));
      assert.equal(r.applied, false);
    }
    assert.equal(m.snapshot().state, 'RUNNING');
    assert.equal(m.snapshot().rootSessionId, ROOT);
    assert.equal(m.snapshot().transcriptPath, T);
    m.apply(ev('Stop'));
    assert.equal(m.snapshot().state, 'WAITING');
  });

  it('follows a new root session started while idle (/new), not while busy', () => {
    const m = started();
    m.apply(ev('UserPromptSubmit'));
    m.apply(ev('Stop'));
    const r = m.apply({ event: 'SessionStart', payload: { session_id: 'second', transcript_path: '/second.jsonl' } });
    assert.equal(r.applied, true);
    assert.equal(m.snapshot().rootSessionId, 'second');
    m.apply({ event: 'UserPromptSubmit', payload: { session_id: 'second' } });
    assert.equal(m.apply({ event: 'SessionStart', payload: { session_id: 'third' } }).applied, false);
  });

  it('keeps the root session across restarts and ends on exit', () => {
    const m = new AgentStateMachine({ rootSessionId: ROOT, transcriptPath: T });
    m.processStarted();
    assert.equal(m.apply({ event: 'UserPromptSubmit', payload: { session_id: 'other' } }).applied, false);
    m.apply(ev('UserPromptSubmit'));
    m.processExited('exited');
    assert.equal(m.snapshot().state, 'DONE');
    assert.equal(m.apply(ev('Stop')).applied, false);
    m.processStarted();
    m.processExited('stopped');
    assert.deepEqual([m.snapshot().state, m.snapshot().rootSessionId], ['STOPPED', ROOT]);
  });
});
