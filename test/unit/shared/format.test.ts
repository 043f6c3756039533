import { strict as assert } from 'node:assert';
import { formatDuration, formatTokens, relativeTime, toEpochMs } from '../../../shared/format';

describe('shared/format', () => {
  const now = 1_000_000_000_000;

  it('formats token counts one way (status bar, transcript)', () => {
    assert.deepEqual([0, 999, 1500, 25_000, 1_234_567, 3_200_000].map(formatTokens), ['0', '999', '1.5k', '25k', '1.2M', '3.2M']);
  });

  it('takes small unix times as seconds and larger ones as milliseconds', () => {
    assert.equal(toEpochMs(1_700_000_000), 1_700_000_000_000);
    assert.equal(toEpochMs(1_700_000_000_000), 1_700_000_000_000);
    assert.equal(toEpochMs(0), 0);
    assert.equal(toEpochMs(-5), -5);
  });

  it('words relative times short (columns) and long (trees) with the same units', () => {
    const cases: [number, string, string][] = [
      [now - 500, 'just now', 'now'],
      [now - 50_000, '50s ago', '50 s ago'],
      [now - 5 * 60_000, '5m ago', '5 min ago'],
      [now - 90 * 60_000, '1h ago', '1 h ago'],
      [now - 30 * 3_600_000, '1d ago', 'yesterday'],
      [now - 5 * 86_400_000, '5d ago', '5 d ago'],
      [now + 2 * 3_600_000, 'in 2h', 'in 2 h'],
      [now - 90 * 86_400_000, '2001-06-11', '2001-06-11'],
    ];
    for (const [then, short, long] of cases) {
      assert.equal(relativeTime(then, now, 'short'), short);
      assert.equal(relativeTime(then, now, 'long'), long);
    }
    assert.equal(relativeTime(0, now, 'short'), '-');
    assert.equal(relativeTime(0, now, 'long'), '');
  });

  it('formats durations', () => {
    assert.deepEqual([250, 4200, 61_000, 80 * 60_000, 26 * 3_600_000].map(formatDuration), ['250ms', '4s', '1m 1s', '1h 20m', '1d 2h']);
  });
});
