import { strict as assert } from 'node:assert';
import type { Thread } from '../../../protocol/codex';
import { SessionRegistry } from '../../../server/sessions/sessionRegistry';

const thread = (id: string): Thread => ({ id, status: { type: 'idle' }, turns: [], cwd: '/ws' }) as unknown as Thread;

describe('SessionRegistry', () => {
  it('a turn that ended before turn/start answered is not brought back as running', () => {
    const r = new SessionRegistry();
    r.upsert(thread('s1'), { loaded: true });
    // Notifications first (a fast turn), then turn/start's own answer arrives.
    r.turnStarted('s1', 't1');
    r.turnEnded('s1', { turnId: 't1', status: 'completed', reply: 'done' });
    r.turnStarted('s1', 't1');
    assert.equal(r.get('s1')!.activeTurnId, undefined);
    assert.equal(r.result('s1', 't1')?.reply, 'done');
    // The next turn starts as usual.
    r.turnStarted('s1', 't2');
    assert.equal(r.get('s1')!.activeTurnId, 't2');
  });
});
