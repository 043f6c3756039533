import * as assert from 'node:assert/strict';
import type { AgentSummary } from '../../../protocol/types';
import {
  agentContextValue,
  agentDescription,
  agentDetails,
  agentIcon,
  agentNameFor,
  agentNeedsAttention,
  agentStateText,
  transcriptMarkdown,
  validateAgentName,
} from '../../../client/agents/agentText';
import { parseChanges } from '../../../client/agents/gitChanges';
import { NOW } from './fixtures';

function agent(over: Partial<AgentSummary> = {}): AgentSummary {
  return { name: 'alpha', kind: 'tui', state: 'WAITING', waitReason: 'endOfTurn', cwd: '/ws', createdAt: NOW, updatedAt: NOW, ...over };
}

describe('client/agents/agentText', () => {
  it('says the state with the reason for WAITING', () => {
    assert.equal(agentStateText(agent()), 'WAITING (end of turn)');
    assert.equal(agentStateText(agent({ waitReason: 'approval' })), 'WAITING (approval)');
    assert.equal(agentStateText(agent({ waitReason: 'userInput' })), 'WAITING (question)');
    assert.equal(agentStateText(agent({ waitReason: undefined })), 'WAITING');
    assert.equal(agentStateText(agent({ state: 'RUNNING', waitReason: undefined })), 'RUNNING');
    assert.equal(agentStateText(agent({ state: 'STOPPED', waitReason: undefined })), 'STOPPED');
    assert.equal(agentStateText(agent({ state: 'DONE', waitReason: undefined })), 'DONE');
  });

  it('maps states to icons: RUNNING spins, approval / question warn', () => {
    assert.deepEqual(agentIcon(agent({ state: 'RUNNING' })), { id: 'loading~spin' });
    assert.equal(agentIcon(agent({ waitReason: 'approval' })).id, 'shield');
    assert.equal(agentIcon(agent({ waitReason: 'approval' })).color, 'notificationsWarningIcon.foreground');
    assert.equal(agentIcon(agent({ waitReason: 'userInput' })).id, 'question');
    assert.equal(agentIcon(agent({ waitReason: 'starting' })).id, 'sync~spin');
    assert.equal(agentIcon(agent()).id, 'circle-large-outline');
    assert.equal(agentIcon(agent({ state: 'STOPPED' })).id, 'debug-stop');
    assert.equal(agentIcon(agent({ state: 'DONE' })).id, 'pass');
    assert.ok(agentNeedsAttention(agent({ waitReason: 'approval' })));
    assert.ok(!agentNeedsAttention(agent()));
  });

  it('describes state, kind (session agents) and branch', () => {
    assert.equal(agentDescription(agent()), 'WAITING (end of turn)');
    assert.equal(agentDescription(agent({ kind: 'session', state: 'RUNNING' })), 'RUNNING · session');
    assert.equal(agentDescription(agent({ state: 'STOPPED', branch: 'codex-fleet/alpha', worktree: '/s/wt/alpha' })), 'STOPPED · codex-fleet/alpha');
  });

  it('context values carry kind, state, live/stopped, worktree and attention', () => {
    assert.equal(agentContextValue(agent()), 'agent tui waiting live');
    assert.equal(agentContextValue(agent({ state: 'STOPPED', worktree: '/wt' })), 'agent tui stopped stopped worktree');
    assert.equal(agentContextValue(agent({ kind: 'session', waitReason: 'approval' })), 'agent session waiting live attention');
    assert.equal(agentContextValue(agent({ state: 'DONE' })), 'agent tui done stopped');
  });

  it('lists details for the tooltip, leaving out what is unknown', () => {
    const rows = new Map(agentDetails(agent({ branch: 'codex-fleet/alpha', baseRef: '0123456789abcdef0123', worktree: '/wt', controls: { model: 'm1' }, pid: 42 })));
    assert.equal(rows.get('Branch'), 'codex-fleet/alpha (from 0123456789ab)');
    assert.equal(rows.get('Model'), 'm1');
    assert.equal(rows.get('Process'), '42');
    assert.ok(!new Map(agentDetails(agent())).has('Branch'));
  });

  it('derives unique, valid agent names from session labels', () => {
    assert.equal(agentNameFor('Fix the flaky tests!', 'abc', new Set()), 'fix-the-flaky-tests');
    assert.equal(agentNameFor('Fix tests', 'abc', new Set(['fix-tests', 'fix-tests-2'])), 'fix-tests-3');
    assert.equal(agentNameFor('日本語', '019a-ff00-11', new Set()), 'session-019aff00');
    assert.ok(agentNameFor('a'.repeat(100), 'x', new Set()).length <= 24);
    assert.equal(validateAgentName('Bad Name', new Set()), "Use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit");
    assert.equal(validateAgentName('taken', new Set(['taken'])), 'An agent named taken already exists');
    assert.equal(validateAgentName('ok-1', new Set()), undefined);
  });

  it('renders the common transcript as Markdown', () => {
    const md = transcriptMarkdown(agent(), [
      { type: 'user_message', content: 'hello', timestamp: 't1' },
      { type: 'assistant_message', text: 'running it', tool_calls: [{ tool_name: 'exec', input_preview: 'ls ```' }], timestamp: 't2' },
      { type: 'tool_result', tool_name: 'exec', output: 'a.txt', is_error: false },
      { type: 'unknown' },
      null,
    ]);
    assert.match(md, /## You · t1\n\nhello/);
    assert.match(md, /## Codex · t2\n\nrunning it/);
    assert.match(md, /\*\*Tool call\*\* `exec`\n\n````\nls ```\n````/);
    assert.match(md, /\*\*Tool result\*\* `exec`\n\n```\na.txt\n```/);
    assert.match(transcriptMarkdown(agent(), []), /No messages yet\./);
  });
});

describe('client/agents/gitChanges', () => {
  it('parses name-status -z with renames, plus untracked files, sorted', () => {
    const ns = ['M', 'src/a.ts', 'A', 'new.ts', 'D', 'gone.ts', 'R100', 'old.ts', 'moved.ts', ''].join('\0');
    assert.deepEqual(parseChanges(ns, 'untracked.txt\0'), [
      { status: 'deleted', path: 'gone.ts' },
      { status: 'added', path: 'moved.ts' },
      { status: 'added', path: 'new.ts' },
      { status: 'deleted', path: 'old.ts' },
      { status: 'modified', path: 'src/a.ts' },
      { status: 'added', path: 'untracked.txt' },
    ]);
    assert.deepEqual(parseChanges('', ''), []);
  });
});
