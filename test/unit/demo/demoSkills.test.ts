import { strict as assert } from 'node:assert';
import { sampleArguments, skillCalls, skillSummary } from '../../../demo/demoSkills';
import type { ModelRequest } from '../../support/scriptedModel';

const BACKLOG_SCHEMA = {
  type: 'object',
  properties: {
    item: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        kind: { type: 'string', enum: ['bug', 'feature', 'chore'] },
        points: { type: 'integer', minimum: 1, maximum: 2 },
        ratio: { type: 'number' },
        blocked: { type: 'boolean' },
        assignee: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        labels: { type: 'array', items: { type: 'string' } },
      },
      required: ['title', 'kind'],
    },
  },
  required: ['item'],
};

function request(body: Record<string, unknown>, outputs: Array<{ callId: string; output: string }> = []): ModelRequest {
  return {
    body,
    input: [],
    toolNames: [],
    isTitleRequest: false,
    lastUserText: () => undefined,
    functionOutputs: () => outputs,
    hasText: () => false,
  };
}

describe('demo model: remote skills', () => {
  it('builds different, schema-valid arguments for each call', () => {
    const [a, b, c] = [0, 1, 2].map((i) => sampleArguments(BACKLOG_SCHEMA, i));
    assert.deepEqual(a, { item: { title: 'title 1', kind: 'bug', points: 1, ratio: 0.5, blocked: false, assignee: 'assignee 1', labels: ['label 1'] } });
    assert.deepEqual(b, { item: { title: 'title 2', kind: 'feature', points: 2, ratio: 1.5, blocked: true, assignee: 'assignee 2', labels: ['label 2'] } });
    assert.equal((c as { item: { points: number } }).item.points, 2, 'the maximum holds');
  });

  it('calls a tool the message names, three times; other messages and tools are left alone', () => {
    const tools = [
      { type: 'function', name: 'exec_command', parameters: {} },
      { type: 'namespace', name: 'ns', tools: [{ type: 'function', name: 'file_item', parameters: BACKLOG_SCHEMA }] },
    ];
    const skill = skillCalls(request({ tools }), 'Use file_item for three items');
    assert.equal(skill?.tool, 'file_item');
    assert.equal(skill?.calls.length, 3);
    assert.ok(skill?.calls.every((s) => s.type === 'functionCall' && s.name === 'file_item'));
    assert.equal(skillCalls(request({ tools }), 'file items please'), undefined, 'only the exact tool name triggers it');
    assert.equal(skillCalls(request({}), 'Use file_item'), undefined);
  });

  it('sums up the answers of its last batch of calls only', () => {
    const outputs = [
      { callId: 'other', output: 'not ours' },
      { callId: 'demo-skill-a-0', output: 'old' },
      { callId: 'demo-skill-b-0', output: 'one' },
      { callId: 'demo-skill-b-1', output: 'two' },
    ];
    assert.deepEqual(skillSummary(request({}, outputs)), ['one', 'two']);
    assert.equal(skillSummary(request({}, [{ callId: 'call_x', output: 'exec' }])), undefined);
  });
});
