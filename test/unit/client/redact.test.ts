import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../../client/util/redact';

describe('client/redact', () => {
  it('masks API keys and tokens in log text', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
    const out = redactSecrets(`login {"type":"apiKey","apiKey":"${key}"} and Bearer abcdefghijklmnopqrstu and OPENAI_API_KEY=${key}`);
    assert.ok(!out.includes('abcdefghijklmnopqrstuvwxyz'), out);
    assert.ok(!out.includes('Bearer abcdefghijklmnopqrstu'), out);
    assert.equal(redactSecrets('nothing secret here: sk-short'), 'nothing secret here: sk-short');
  });
});
