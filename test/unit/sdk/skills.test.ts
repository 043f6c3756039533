import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { SkillDefinitionError } from '../../../sdk/errors';
import { SkillContent, skillSpec } from '../../../sdk/skills';

describe('sdk skills', () => {
  it('the input schema becomes JSON Schema as a caller sees it (defaults optional, no $schema); the output schema a "Returns:" line', () => {
    const spec = skillSpec({
      name: 'add_item',
      description: 'Add an item.',
      input: z.object({ title: z.string().describe('Short title'), points: z.number().int().optional(), tags: z.array(z.string()).default([]) }),
      output: z.object({ id: z.string() }),
    });
    assert.equal(spec.type, 'function');
    if (spec.type !== 'function') return;
    assert.deepEqual(spec.inputSchema, {
      type: 'object',
      properties: {
        title: { type: 'string', description: 'Short title' },
        points: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
        tags: { type: 'array', items: { type: 'string' }, default: [] },
      },
      required: ['title'],
    });
    assert.equal(spec.description, 'Add an item.\n\nReturns: {"type":"object","properties":{"id":{"type":"string"}},"required":["id"],"additionalProperties":false}');
  });

  it('refuses an input that is not an object schema', () => {
    assert.throws(() => skillSpec({ name: 'x', description: 'd', input: z.string() }), SkillDefinitionError);
  });

  it('SkillContent builds text and image items in order', () => {
    const c = SkillContent.of('caption', SkillContent.image('data:image/png;base64,AA=='), SkillContent.text('after'));
    assert.deepEqual(c.items, [
      { type: 'inputText', text: 'caption' },
      { type: 'inputImage', imageUrl: 'data:image/png;base64,AA==' },
      { type: 'inputText', text: 'after' },
    ]);
  });
});
