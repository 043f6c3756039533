import * as assert from 'node:assert/strict';
import { RestartBudget } from '../../../client/connection/restartBudget';
import { redactSecrets } from '../../../client/util/redact';

describe('client/restartBudget', () => {
  it('allows 5 attempts in 3 minutes with doubling delays, then refuses until the window moves', () => {
    let now = 0;
    const b = new RestartBudget(5, 180_000, () => now);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      assert.equal(b.record(), true);
      delays.push(b.nextDelayMs());
    }
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000]);
    assert.equal(b.record(), false);
    assert.equal(b.exhausted(), true);
    now = 180_001;
    assert.equal(b.exhausted(), false);
    assert.equal(b.record(), true);
    b.reset();
    assert.equal(b.nextDelayMs(), 250);
  });
});

describe('client/redact', () => {
  it('masks API keys and tokens in log text', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
    const out = redactSecrets(`login {"type":"apiKey","apiKey":"${key}"} and Bearer abcdefghijklmnopqrstu and OPENAI_API_KEY=${key}`);
    assert.ok(!out.includes('abcdefghijklmnopqrstuvwxyz'), out);
    assert.ok(!out.includes('Bearer abcdefghijklmnopqrstu'), out);
    assert.equal(redactSecrets('nothing secret here: sk-short'), 'nothing secret here: sk-short');
  });
});
