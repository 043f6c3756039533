import { strict as assert } from 'node:assert';
import { describeFailure, withHint } from '../../../cli/errors';
import { EventPrinter, eventLine, itemSummary } from '../../../cli/eventFormat';
import { duration, escapeControls, keyValues, relativeTime, styleFor, table, truncate } from '../../../cli/format';
import { UsageError } from '../../../cli/args';
import { CliError } from '../../../cli/context';
import { ErrorCodes, FleetError } from '../../../protocol/errors';
import { SidecarLaunchError } from '../../../sdk/launcher';
import type { FleetEvent, ThreadItem } from '../../../protocol/types';
import { BufferWriter } from './fakeFleet';

const S = '019a0000-0000-7000-8000-000000000001';

describe('cli/format', () => {
  it('aligns table columns, right-aligns on request and leaves the last column ragged', () => {
    const lines = table(['ID', 'N', 'NAME'], [['a', '5', 'first'], ['long-id', '12', 'second']], { alignRight: [1] });
    assert.deepEqual(lines, ['ID        N  NAME', 'a         5  first', 'long-id  12  second']);
  });

  it('measures columns in terminal cells: wide characters count two, colours none', () => {
    const lines = table(['NAME', 'X'], [['漢字', '1'], ['\u001b[31mred\u001b[39m', '2'], ['🚀', '3']]);
    assert.deepEqual(lines, ['NAME  X', '漢字  1', '\u001b[31mred\u001b[39m   2', '🚀    3']);
  });

  it('truncates table rows to a width', () => {
    const [, row] = table(['A', 'B'], [['x', 'a very long description that does not fit']], { maxWidth: 20 });
    assert.equal(row, 'x  a very long desc…');
  });

  it('aligns key/value pairs and drops empty values', () => {
    assert.deepEqual(keyValues([['a', '1'], ['long key', '2'], ['gone', undefined]]), ['a         1', 'long key  2']);
  });

  it('formats relative times and durations', () => {
    const now = 1_000_000_000_000;
    assert.equal(relativeTime(now - 500, now), 'just now');
    assert.equal(relativeTime(now - 42_000, now), '42s ago');
    assert.equal(relativeTime(now - 5 * 60_000, now), '5m ago');
    assert.equal(relativeTime(now - 3 * 3_600_000, now), '3h ago');
    assert.equal(relativeTime(now - 2 * 86_400_000, now), '2d ago');
    assert.equal(relativeTime(now + 90_000, now), 'in 1m');
    assert.equal(relativeTime(now - 90 * 86_400_000, now), '2001-06-11');
    assert.equal(relativeTime(0, now), '-');
    assert.equal(duration(250), '250ms');
    assert.equal(duration(61_000), '1m 1s');
    assert.equal(duration(3_600_000 + 20 * 60_000), '1h 20m');
    assert.equal(duration(26 * 3_600_000), '1d 2h');
  });

  it('truncates by code points and escapes control characters', () => {
    assert.equal(truncate('héllo wörld', 6), 'héllo…');
    assert.equal(truncate('short', 10), 'short');
    assert.equal(escapeControls('a\nb\tc\u0001'), 'a\\nb\\tc\\u0001');
  });

  it('escapes escape sequences, C1 controls, bidi overrides and newlines in every human output, keeping its own colours', () => {
    const hostile = 'evil\u001b]0;title\u0007\u001b[2J\u202egnp.exe\u0085\nfake-row';
    assert.equal(escapeControls(hostile), 'evil\\u001b]0;title\\u0007\\u001b[2J\\u202egnp.exe\\u0085\\nfake-row');
    const red = styleFor(new BufferWriter(true), {}).red('x');
    assert.equal(escapeControls(red, { keepStyles: true }), red);
    assert.equal(escapeControls(red), '\\u001b[31mx\\u001b[39m');
    assert.equal(escapeControls('line one\nline two\u001b[2J', { keepNewlines: true }), 'line one\nline two\\u001b[2J');
    const rows = table(['NAME', 'STATE'], [['a\nb  ready', 'x'], ['c', red]]);
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => !r.includes('\n')));
    assert.ok(rows[2]!.endsWith(red));
    assert.deepEqual(keyValues([['name', 'n\u202eame']]), ['name  n\\u202eame']);
  });

  it('uses colours only on a terminal without NO_COLOR', () => {
    assert.equal(styleFor(new BufferWriter(false), {}).red('x'), 'x');
    assert.equal(styleFor(new BufferWriter(true), { NO_COLOR: '1' }).red('x'), 'x');
    assert.equal(styleFor(new BufferWriter(true), { TERM: 'dumb' }).red('x'), 'x');
    assert.equal(styleFor(new BufferWriter(true), {}).red('x'), '\u001b[31mx\u001b[39m');
  });
});

describe('cli/eventFormat', () => {
  const ev = (seq: number, body: Record<string, unknown>): FleetEvent => ({ seq, time: 0, ...body }) as FleetEvent;
  const delta = (seq: number, itemId: string, text: string, stream = 'agentMessage') =>
    ev(seq, { kind: 'item/delta', sessionId: S, turnId: 't1', itemId, stream, delta: text });

  it('prints one line per event: seq kind session summary', () => {
    const line = eventLine(ev(7, { kind: 'turn/completed', sessionId: S, turnId: 't1', status: 'completed', reply: 'All\ndone' }));
    assert.equal(line, `     7 turn/completed     ${S} turn t1 completed: All done`);
    assert.match(eventLine(ev(1, { kind: 'sidecar/warning', message: 'careful' })), /^ {5}1 sidecar\/warning +- +careful$/);
  });

  it('merges consecutive deltas of one item and flushes on other events', () => {
    const lines: string[] = [];
    const p = new EventPrinter((l) => lines.push(l));
    p.print(delta(1, 'i1', 'Hel'));
    p.print(delta(2, 'i1', 'lo,\n'));
    p.print(delta(3, 'i1', 'world'));
    assert.equal(lines.length, 0);
    assert.equal(p.pending, true);
    p.print(delta(4, 'i2', 'x', 'commandOutput'));
    p.print(ev(5, { kind: 'turn/started', sessionId: S, turnId: 't2' }));
    p.flush();
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^ {3}1-3 item\/delta +\S+ agentMessage "Hello,\\nworld"$/);
    assert.match(lines[1]!, /^ {5}4 item\/delta +\S+ commandOutput "x"$/);
    assert.match(lines[2]!, /turn\/started .* turn t2$/);
  });

  it('summarizes thread items', () => {
    const cmd = { type: 'commandExecution', id: 'c', command: 'ls -la', status: 'completed', exitCode: 0 } as unknown as ThreadItem;
    assert.equal(itemSummary(cmd), '$ ls -la [completed → exit 0]');
    const user = { type: 'userMessage', id: 'u', clientId: null, content: [{ type: 'text', text: 'hi\nthere', text_elements: [] }] } as ThreadItem;
    assert.equal(itemSummary(user), 'user: hi there');
  });
});

describe('cli/errors', () => {
  it('adds hints to sidecar errors and maps exit codes', () => {
    const nf = describeFailure(new FleetError(ErrorCodes.SessionNotFound, 'no session abc'));
    assert.deepEqual(nf, { message: "no session abc; see `codex-fleet sessions list` (add --archived for archived sessions)", exitCode: 1, code: -32001 });
    assert.equal(describeFailure(new FleetError(ErrorCodes.RuntimeUnavailable, 'runtime restarting')).exitCode, 4);
    assert.equal(describeFailure(new FleetError(ErrorCodes.InvalidParams, 'bad')).exitCode, 2);
    assert.equal(describeFailure(new FleetError(ErrorCodes.AlreadyResolved, 'already answered')).message, 'already answered');
  });

  it('keeps errors on one line', () => {
    const f = describeFailure(new FleetError(ErrorCodes.CodexError, 'first\nsecond\n'));
    assert.equal(f.message, 'first | second');
  });

  it('describes usage errors, CLI errors, launch failures and lost connections', () => {
    assert.deepEqual(describeFailure(new UsageError('missing argument ID', ['sessions', 'show'])), {
      message: "missing argument ID; see `codex-fleet sessions show --help`",
      exitCode: 2,
      code: ErrorCodes.InvalidParams,
    });
    assert.deepEqual(describeFailure(new CliError('boom', 3)), { message: 'boom', exitCode: 3, code: ErrorCodes.Internal });
    const launch = describeFailure(new SidecarLaunchError('sidecar exited with code 1 before it was ready', 'trace\nError: EACCES\n'));
    assert.equal(launch.exitCode, 4);
    assert.equal(launch.message, 'could not start the sidecar: sidecar exited with code 1 before it was ready: Error: EACCES');
    assert.equal(describeFailure(new Error('Connection got disposed.'), { connectionClosed: true }).exitCode, 4);
  });

  it('does not repeat a hint the message already gives', () => {
    assert.equal(withHint("see `codex-fleet status`", "run `codex-fleet status`"), "see `codex-fleet status`");
    assert.equal(withHint('failed.', 'try again'), 'failed; try again');
  });
});
