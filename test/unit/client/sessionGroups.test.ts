import * as assert from 'node:assert/strict';
import {
  compareSessions,
  groupOf,
  groupSessions,
  oneLine,
  sessionContextValue,
  sessionDescription,
  sessionIcon,
  sessionLabel,
} from '../../../client/state/sessionGroups';
import { relativeTime } from '../../../client/util/time';
import { NOW, commandRequest, session } from './fixtures';

describe('client/sessionGroups', () => {
  it('groups by what the session needs, in display order, skipping empty groups', () => {
    const sessions = [
      session('idle1'),
      session('run1', { activity: 'running', activeTurnId: 't1' }),
      session('wait1', { activity: 'waitingOnApproval', activeTurnId: 't2' }),
      session('ask1', { activity: 'waitingOnUserInput' }),
      session('arch1', { archived: true }),
    ];
    const groups = groupSessions(sessions, [], { showArchived: false });
    assert.deepEqual(
      groups.map((g) => [g.kind, g.sessions.map((s) => s.id)]),
      [
        ['needsYou', ['ask1', 'wait1']],
        ['running', ['run1']],
        ['idle', ['idle1']],
      ],
    );
    assert.deepEqual(
      groupSessions(sessions, [], { showArchived: true }).map((g) => g.kind),
      ['needsYou', 'running', 'idle', 'archived'],
    );
  });

  it('puts a session with a pending request under Needs you even before its activity says so', () => {
    const s = session('a', { activity: 'running' });
    assert.equal(groupOf(s, new Set(['a'])), 'needsYou');
    const groups = groupSessions([s], [commandRequest('req-1', 'a')], { showArchived: false });
    assert.deepEqual(groups.map((g) => g.kind), ['needsYou']);
  });

  it('keeps archived sessions archived whatever their activity', () => {
    assert.equal(groupOf(session('a', { archived: true, activity: 'running' }), new Set(['a'])), 'archived');
    assert.deepEqual(groupSessions([session('a', { archived: true })], [], { showArchived: false }), []);
  });

  it('sorts pinned first, then newest update, then id', () => {
    const list = [
      session('b', { updatedAt: NOW - 10 }),
      session('a', { updatedAt: NOW - 10 }),
      session('new', { updatedAt: NOW }),
      session('pinnedOld', { updatedAt: NOW - 99_999, pinned: true }),
    ];
    assert.deepEqual(
      [...list].sort(compareSessions).map((s) => s.id),
      ['pinnedOld', 'new', 'a', 'b'],
    );
  });

  it('labels with the name, else the first message on one line, else "New session"', () => {
    assert.equal(sessionLabel({ name: 'Fix CI', preview: 'whatever' }), 'Fix CI');
    assert.equal(sessionLabel({ name: '  ', preview: 'Run\n  the   tests\tplease' }), 'Run the tests please');
    assert.equal(sessionLabel({ preview: '' }), 'New session');
    assert.equal(oneLine('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });

  it('describes with relative time, model and queued count', () => {
    assert.equal(sessionDescription(session('a', { model: 'gpt-5.5', queued: 2, updatedAt: NOW - 5 * 60_000 }), NOW), '5 min ago · gpt-5.5 · 2 queued');
    assert.equal(sessionDescription(session('a', { updatedAt: NOW - 10_000 }), NOW), 'now');
  });

  it('spins while running and calls for attention when it needs you', () => {
    assert.equal(sessionIcon(session('a', { activity: 'running' }), 'running').id, 'loading~spin');
    assert.equal(sessionIcon(session('a', { activity: 'waitingOnApproval' }), 'needsYou').id, 'bell-dot');
    assert.equal(sessionIcon(session('a', { activity: 'waitingOnUserInput' }), 'needsYou').id, 'question');
    assert.equal(sessionIcon(session('a', { activity: 'systemError' }), 'idle').id, 'error');
    assert.equal(sessionIcon(session('a', { archived: true }), 'archived').id, 'archive');
  });

  it('exposes menu tokens in contextValue', () => {
    assert.equal(sessionContextValue(session('a', { activeTurnId: 't' }), 'needsYou'), 'session needsYou active running unpinned');
    assert.equal(sessionContextValue(session('a', { archived: true, pinned: true }), 'archived'), 'session archived archived pinned');
    // The menus' regexes must not confuse "pinned" with "unpinned".
    assert.ok(!/\bpinned\b/.test('session idle active unpinned'));
  });

  it('formats relative times', () => {
    assert.equal(relativeTime(NOW - 2 * 3_600_000, NOW), '2 h ago');
    assert.equal(relativeTime(NOW - 30 * 3_600_000, NOW), 'yesterday');
    assert.equal(relativeTime(NOW - 5 * 86_400_000, NOW), '5 d ago');
    assert.equal(relativeTime(NOW - 90 * 86_400_000, NOW), new Date(NOW - 90 * 86_400_000).toISOString().slice(0, 10));
  });
});
