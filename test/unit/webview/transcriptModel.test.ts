import * as assert from 'node:assert/strict';
import type { ThreadItem } from '../../../protocol/codex';
import type { ItemEntry, RequestEntry, TurnEndEntry } from '../../../webview/model/entries';
import { itemKey, requestKey, turnEndKey } from '../../../webview/model/entries';
import { TranscriptModel } from '../../../webview/model/transcriptModel';
import {
  EventStream,
  SESSION_ID,
  agentMessage,
  command,
  commandApproval,
  session,
  snapshot,
  turn,
  userMessage,
} from '../../support/transcriptFixtures';

function item(model: TranscriptModel, turnId: string, itemId: string): ThreadItem {
  const e = model.get(itemKey(turnId, itemId));
  assert.ok(e && e.kind === 'item', `no item ${turnId}/${itemId}`);
  return (e as ItemEntry).item;
}

function textOf(model: TranscriptModel, turnId: string, itemId: string): string {
  const it = item(model, turnId, itemId);
  assert.equal(it.type, 'agentMessage');
  return (it as Extract<ThreadItem, { type: 'agentMessage' }>).text;
}

function loaded(): { model: TranscriptModel; ev: EventStream } {
  const model = new TranscriptModel();
  model.applySnapshot(snapshot([turn('t1', [userMessage('u1', 'hi'), agentMessage('a1', 'hello')])], { lastSeq: 10 }));
  return { model, ev: new EventStream(10) };
}

describe('webview/transcriptModel', () => {
  describe('snapshot', () => {
    it('builds ordered entries with a footer per turn and indexes them', () => {
      const model = new TranscriptModel();
      model.applySnapshot(
        snapshot([turn('t1', [userMessage('u1', 'a'), agentMessage('a1', 'b')]), turn('t2', [userMessage('u2', 'c')], 'inProgress')], { lastSeq: 42 }),
      );
      assert.deepEqual(
        model.entries.map((e) => e.key),
        [itemKey('t1', 'u1'), itemKey('t1', 'a1'), turnEndKey('t1'), itemKey('t2', 'u2'), turnEndKey('t2')],
      );
      assert.equal(model.lastSeq, 42);
      assert.equal(model.indexOf(turnEndKey('t2')), 4);
      assert.equal(model.isRunning, true, 'an inProgress turn means running');
      assert.equal(model.runningTurnId, 't2');
    });

    it('places pending requests after their item, and unknown-turn ones at the end', () => {
      const model = new TranscriptModel();
      const r1 = commandApproval('req-1', 't1', 'c1');
      const r2 = { ...commandApproval('req-2', 'gone', 'x'), turnId: 'gone' };
      model.applySnapshot(snapshot([turn('t1', [command('c1', 'ls', null, null), agentMessage('a1', 'x')], 'inProgress')], { pending: [r1, r2] }));
      assert.deepEqual(
        model.entries.map((e) => e.key),
        [itemKey('t1', 'c1'), requestKey('req-1'), itemKey('t1', 'a1'), turnEndKey('t1'), requestKey('req-2')],
      );
      assert.equal((model.get(itemKey('t1', 'c1')) as ItemEntry).requestId, 'req-1');
    });

    it('a new snapshot replaces everything, including lastSeq (a restarted sidecar counts from 1 again)', () => {
      const { model, ev } = loaded();
      model.applyBatch(10, ev.batch({ kind: 'turn/started', sessionId: SESSION_ID, turnId: 't2' }));
      model.applySnapshot(snapshot([], { lastSeq: 3 }));
      assert.equal(model.entries.length, 0);
      assert.equal(model.lastSeq, 3);
      const r = model.applyBatch(3, [{ kind: 'turn/started', sessionId: SESSION_ID, turnId: 't9', seq: 4, time: 1 }]);
      assert.equal(r.applied, 1);
    });
  });

  describe('seq handling', () => {
    it('ignores events with seq ≤ lastSeq (duplicates) and applies the rest once', () => {
      const { model, ev } = loaded();
      const events = ev.batch(
        { kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'a1', stream: 'agentMessage', delta: ' world' },
        { kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'a1', stream: 'agentMessage', delta: '!' },
      );
      assert.deepEqual(model.applyBatch(10, events), { applied: 2, ignored: 0, gap: false });
      assert.deepEqual(model.applyBatch(10, events), { applied: 0, ignored: 2, gap: false }, 'the same batch again');
      assert.deepEqual(model.applyBatch(11, events).applied, 0, 'an overlapping batch');
      assert.equal(textOf(model, 't1', 'a1'), 'hello world!');
      assert.equal(model.lastSeq, 12);
    });

    it('detects a gap (prevSeq beyond lastSeq), applies nothing and reports it once until a snapshot', () => {
      const { model } = loaded();
      const later = [{ kind: 'item/delta' as const, sessionId: SESSION_ID, turnId: 't1', itemId: 'a1', stream: 'agentMessage' as const, delta: 'X', seq: 20, time: 1 }];
      assert.deepEqual(model.applyBatch(15, later), { applied: 0, ignored: 1, gap: true });
      assert.equal(textOf(model, 't1', 'a1'), 'hello');
      const next = [{ ...later[0], seq: 21 }];
      assert.deepEqual(model.applyBatch(20, next), { applied: 0, ignored: 1, gap: false }, 'waits for the snapshot quietly');
      model.applySnapshot(snapshot([turn('t1', [agentMessage('a1', 'helloX')])], { lastSeq: 20 }));
      assert.equal(model.applyBatch(20, next).applied, 1);
      assert.equal(textOf(model, 't1', 'a1'), 'helloXX');
    });

    it('ignores events about other sessions', () => {
      const { model, ev } = loaded();
      const r = model.applyBatch(10, ev.batch({ kind: 'turn/started', sessionId: 'other', turnId: 'tx' }));
      assert.equal(r.applied, 0);
      assert.equal(model.get(turnEndKey('tx')), undefined);
      assert.equal(model.lastSeq, 11, 'the seq still advances');
    });
  });

  describe('items and turns', () => {
    it('streams a turn: started, item started, deltas in order, completed', () => {
      const { model, ev } = loaded();
      const structure = model.structureVersion;
      model.applyBatch(
        10,
        ev.batch(
          { kind: 'turn/started', sessionId: SESSION_ID, turnId: 't2' },
          { kind: 'item/started', sessionId: SESSION_ID, turnId: 't2', item: userMessage('u2', 'go') },
          { kind: 'item/started', sessionId: SESSION_ID, turnId: 't2', item: agentMessage('a2', '') },
          ...['one', ' two', ' three'].map((delta) => ({ kind: 'item/delta' as const, sessionId: SESSION_ID, turnId: 't2', itemId: 'a2', stream: 'agentMessage' as const, delta })),
        ),
      );
      assert.ok(model.structureVersion > structure);
      assert.equal(model.isRunning, true);
      assert.equal(textOf(model, 't2', 'a2'), 'one two three');
      const entry = model.get(itemKey('t2', 'a2')) as ItemEntry;
      assert.equal(entry.streaming, true);
      const version = entry.version;
      model.applyBatch(model.lastSeq, ev.batch({ kind: 'item/completed', sessionId: SESSION_ID, turnId: 't2', item: agentMessage('a2', 'one two three.') }));
      assert.equal(textOf(model, 't2', 'a2'), 'one two three.', 'item/completed is authoritative');
      assert.equal((model.get(itemKey('t2', 'a2')) as ItemEntry).streaming, false);
      assert.ok((model.get(itemKey('t2', 'a2')) as ItemEntry).version > version);
      model.applyBatch(model.lastSeq, ev.batch({ kind: 'turn/completed', sessionId: SESSION_ID, turnId: 't2', status: 'completed' }));
      assert.equal(model.isRunning, false);
      assert.deepEqual(
        model.entries.slice(-3).map((e) => e.key),
        [itemKey('t2', 'u2'), itemKey('t2', 'a2'), turnEndKey('t2')],
        'items sit before their turn footer',
      );
      assert.equal((model.get(turnEndKey('t2')) as TurnEndEntry).status, 'completed');
    });

    it('appends command output and reasoning deltas to the right fields', () => {
      const { model, ev } = loaded();
      model.applyBatch(
        10,
        ev.batch(
          { kind: 'item/started', sessionId: SESSION_ID, turnId: 't1', item: command('c1', 'ls', null, null) },
          { kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'c1', stream: 'commandOutput', delta: 'a\n' },
          { kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'c1', stream: 'commandOutput', delta: 'b\n' },
          { kind: 'item/started', sessionId: SESSION_ID, turnId: 't1', item: { type: 'reasoning', id: 'r1', summary: [], content: [] } },
          { kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'r1', stream: 'reasoningSummary', delta: '**Plan**' },
          { kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'r1', stream: 'reasoningSummary', delta: ' it' },
        ),
      );
      assert.equal((item(model, 't1', 'c1') as Extract<ThreadItem, { type: 'commandExecution' }>).aggregatedOutput, 'a\nb\n');
      assert.deepEqual((item(model, 't1', 'r1') as Extract<ThreadItem, { type: 'reasoning' }>).summary, ['**Plan** it']);
    });

    it('shows a delta whose item/started was missed as a placeholder item', () => {
      const { model, ev } = loaded();
      model.applyBatch(10, ev.batch({ kind: 'item/delta', sessionId: SESSION_ID, turnId: 't1', itemId: 'a9', stream: 'agentMessage', delta: 'late' }));
      assert.equal(textOf(model, 't1', 'a9'), 'late');
    });

    it('interrupting a turn stops items that never completed from streaming', () => {
      const { model, ev } = loaded();
      model.applyBatch(
        10,
        ev.batch(
          { kind: 'turn/started', sessionId: SESSION_ID, turnId: 't2' },
          { kind: 'item/started', sessionId: SESSION_ID, turnId: 't2', item: agentMessage('a2', 'partial') },
          { kind: 'turn/completed', sessionId: SESSION_ID, turnId: 't2', status: 'interrupted' },
        ),
      );
      assert.equal((model.get(itemKey('t2', 'a2')) as ItemEntry).streaming, false);
      assert.equal((model.get(turnEndKey('t2')) as TurnEndEntry).status, 'interrupted');
    });

    it('keeps per-turn token usage as the difference of session totals', () => {
      const { model, ev } = loaded();
      const usage = (total: number) => ({ total: { inputTokens: total, cachedInputTokens: 0, outputTokens: 0, reasoningOutputTokens: 0, totalTokens: total } });
      model.applyBatch(
        10,
        ev.batch(
          { kind: 'tokenUsage/updated', sessionId: SESSION_ID, turnId: 't1', usage: usage(100) },
          { kind: 'turn/started', sessionId: SESSION_ID, turnId: 't2' },
          { kind: 'tokenUsage/updated', sessionId: SESSION_ID, turnId: 't2', usage: usage(160) },
          { kind: 'tokenUsage/updated', sessionId: SESSION_ID, turnId: 't2', usage: usage(250) },
        ),
      );
      assert.equal((model.get(turnEndKey('t2')) as TurnEndEntry).turnTokens, 150);
      assert.equal((model.get(turnEndKey('t1')) as TurnEndEntry).turnTokens, undefined, 'unknown without an earlier total');
    });

    it('keeps the turn plan and the turn diff on their entries', () => {
      const { model, ev } = loaded();
      model.applyBatch(
        10,
        ev.batch(
          { kind: 'turn/plan', sessionId: SESSION_ID, turnId: 't1', plan: [{ step: 'a', status: 'pending' }] },
          { kind: 'turn/plan', sessionId: SESSION_ID, turnId: 't1', plan: [{ step: 'a', status: 'completed' }] },
          { kind: 'turn/diff', sessionId: SESSION_ID, turnId: 't1', diff: 'diff --git a/x b/x' },
        ),
      );
      const plans = model.entries.filter((e) => e.kind === 'plan');
      assert.equal(plans.length, 1, 'one plan entry, updated in place');
      assert.deepEqual(plans[0].kind === 'plan' && plans[0].steps, [{ step: 'a', status: 'completed' }]);
      assert.equal((model.get(turnEndKey('t1')) as TurnEndEntry).diff, 'diff --git a/x b/x');
    });
  });

  describe('requests, queue, session', () => {
    it('follows a request from pending to answered, marking its item', () => {
      const { model, ev } = loaded();
      model.applyBatch(
        10,
        ev.batch(
          { kind: 'turn/started', sessionId: SESSION_ID, turnId: 't2' },
          { kind: 'item/started', sessionId: SESSION_ID, turnId: 't2', item: command('c2', 'rm -rf build', null, null) },
          { kind: 'request/pending', request: commandApproval('req-1', 't2', 'c2') },
        ),
      );
      assert.equal(model.indexOf(requestKey('req-1')), model.indexOf(itemKey('t2', 'c2')) + 1, 'card right after its item');
      assert.equal((model.get(itemKey('t2', 'c2')) as ItemEntry).requestId, 'req-1');
      model.markAnswering('req-1', { type: 'decision', decision: 'accept' });
      assert.equal(model.request('req-1')?.state.phase, 'answering');
      const itemVersion = model.get(itemKey('t2', 'c2'))!.version;
      model.applyBatch(model.lastSeq, ev.batch({ kind: 'request/ended', requestId: 'req-1', sessionId: SESSION_ID, reason: 'answered', by: 'vscode', answer: { type: 'decision', decision: 'accept' } }));
      const r = model.request('req-1') as RequestEntry;
      assert.deepEqual(r.state, { phase: 'ended', reason: 'answered', by: 'vscode', answer: { type: 'decision', decision: 'accept' } });
      assert.ok(model.get(itemKey('t2', 'c2'))!.version > itemVersion, 'the item re-renders its approval line');
    });

    it('shows "already answered" when the host says someone else won, and a retryable error otherwise', () => {
      const { model, ev } = loaded();
      model.applyBatch(10, ev.batch({ kind: 'request/pending', request: commandApproval('req-1', 't1', 'zz') }, { kind: 'request/pending', request: commandApproval('req-2', 't1', 'zz') }));
      model.markAnswering('req-1', { type: 'decision', decision: 'decline' });
      model.markAnswerFailed('req-1', 'already', true);
      assert.deepEqual(model.request('req-1')?.state, { phase: 'ended', reason: 'answered', alreadyAnswered: true });
      model.markAnswering('req-2', { type: 'decision', decision: 'accept' });
      model.markAnswerFailed('req-2', 'socket closed', false);
      assert.deepEqual(model.request('req-2')?.state, { phase: 'failed', message: 'socket closed' });
      model.markAnswering('req-2', { type: 'decision', decision: 'accept' });
      assert.equal(model.request('req-2')?.state.phase, 'answering', 'a failed card can be answered again');
      model.markAnswering('req-1', { type: 'decision', decision: 'accept' });
      assert.equal(model.request('req-1')?.state.phase, 'ended', 'an ended card cannot');
    });

    it('a duplicate request/pending (snapshot + replay) updates the card instead of adding one', () => {
      const { model, ev } = loaded();
      const r = commandApproval('req-1', 't1', 'zz');
      model.applyBatch(10, ev.batch({ kind: 'request/pending', request: r }, { kind: 'request/pending', request: { ...r, reason: 'again' } }));
      assert.equal(model.entries.filter((e) => e.kind === 'request').length, 1);
    });

    it('replaces the queue and the session summary', () => {
      const { model, ev } = loaded();
      const q = { id: 'q1', sessionId: SESSION_ID, text: 'next', images: [], queuedAt: 1, by: 'vscode' };
      const before = model.sessionVersion;
      model.applyBatch(10, ev.batch({ kind: 'queue/updated', sessionId: SESSION_ID, queue: [q] }, { kind: 'session/updated', session: session({ name: 'Renamed', activity: 'running' }) }));
      assert.deepEqual(model.queue, [q]);
      assert.equal(model.session?.name, 'Renamed');
      assert.equal(model.isRunning, true);
      assert.ok(model.sessionVersion > before);
      model.applyBatch(model.lastSeq, ev.batch({ kind: 'queue/updated', sessionId: SESSION_ID, queue: [] }));
      assert.deepEqual(model.queue, []);
    });

    it('turns session errors into notices in their turn', () => {
      const { model, ev } = loaded();
      model.applyBatch(10, ev.batch({ kind: 'session/error', sessionId: SESSION_ID, turnId: 't1', message: 'Reconnecting… 1/5', willRetry: true }));
      const notice = model.entries[model.indexOf(turnEndKey('t1')) - 1];
      assert.equal(notice.kind, 'notice');
      assert.equal(notice.kind === 'notice' && notice.level, 'warning');
    });
  });
});
