import { strict as assert } from 'node:assert';
import { CrashBudget } from '../../../shared/crashBudget';

describe('CrashBudget', () => {
  const opts = { maxCrashes: 5, windowMs: 180_000, initialDelayMs: 250, maxDelayMs: 2000 };

  it('backs off exponentially up to the cap', () => {
    const b = new CrashBudget({ ...opts, maxCrashes: 10 });
    const delays = [0, 1, 2, 3, 4].map((i) => b.recordCrash(i * 1000));
    assert.deepEqual(delays.map((d) => (d.action === 'restart' ? d.delayMs : -1)), [250, 500, 1000, 2000, 2000]);
  });

  it('fails at the fifth crash within three minutes', () => {
    const b = new CrashBudget(opts);
    for (let i = 0; i < 4; i++) assert.equal(b.recordCrash(i * 10_000).action, 'restart');
    assert.deepEqual(b.recordCrash(50_000), { action: 'fail', crashesInWindow: 5 });
  });

  it('forgets crashes older than the window', () => {
    const b = new CrashBudget(opts);
    for (let i = 0; i < 4; i++) b.recordCrash(i * 1000);
    const v = b.recordCrash(400_000);
    assert.deepEqual(v, { action: 'restart', delayMs: 250, crashesInWindow: 1 });
  });
});

describe('CrashBudget as the client uses it (reconnect attempts)', () => {
  it('allows 5 attempts in 3 minutes with doubling delays, then refuses until the window moves', () => {
    const b = new CrashBudget({ maxCrashes: 6, windowMs: 180_000, initialDelayMs: 250, maxDelayMs: 8000 });
    const delays = [0, 1, 2, 3, 4].map(() => {
      const v = b.recordCrash(0);
      assert.equal(v.action, 'restart');
      return v.action === 'restart' ? v.delayMs : -1;
    });
    assert.deepEqual(delays, [250, 500, 1000, 2000, 4000]);
    assert.equal(b.recordCrash(0).action, 'fail');
    assert.deepEqual(b.recordCrash(180_001), { action: 'restart', delayMs: 250, crashesInWindow: 1 });
    b.reset();
    assert.deepEqual(b.recordCrash(180_002), { action: 'restart', delayMs: 250, crashesInWindow: 1 });
  });
});
