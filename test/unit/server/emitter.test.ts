import { strict as assert } from 'node:assert';
import { Emitter } from '../../../sdk/emitter';

describe('Emitter', () => {
  it('calls the listeners of when it fired: ones added or removed while firing count from the next fire', () => {
    const em = new Emitter<number>();
    const calls: string[] = [];
    const b = (n: number) => calls.push(`b${n}`);
    let subB = { dispose: () => undefined as unknown };
    em.event((n) => {
      calls.push(`a${n}`);
      if (n === 1) em.event((m) => calls.push(`c${m}`));
      if (n === 2) subB.dispose();
    });
    subB = em.event(b);
    em.fire(1);
    assert.deepEqual(calls, ['a1', 'b1'], 'c was added during fire 1');
    calls.length = 0;
    em.fire(2);
    assert.deepEqual(calls, ['a2', 'b2', 'c2'], 'b was removed during fire 2: still called in it');
    calls.length = 0;
    em.fire(3);
    assert.deepEqual(calls, ['a3', 'c3']);
    em.dispose();
    em.fire(4);
    assert.deepEqual(calls, ['a3', 'c3']);
  });
});
