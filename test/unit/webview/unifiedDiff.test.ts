import * as assert from 'node:assert/strict';
import { applyHunks, diffSides, hunkSides, parseGitDiff, parseHunks } from '../../../client/transcript/unifiedDiff';

const BEFORE = 'a\nb\nc\nd\ne\nf\ng\n';
const AFTER = 'a\nb\nC\nd\ne\nf\ng\nh\n';
const DIFF = '@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n@@ -6,2 +6,3 @@\n f\n g\n+h\n';

describe('client/unifiedDiff', () => {
  it('parses hunks and stops at their counts', () => {
    const hunks = parseHunks(`${DIFF}diff --git a/next b/next\n`);
    assert.equal(hunks.length, 2);
    assert.deepEqual(hunks[0], { oldStart: 2, oldLines: 3, newStart: 2, newLines: 3, lines: [' b', '-c', '+C', ' d'] });
    assert.deepEqual(hunks[1].lines, [' f', ' g', '+h']);
  });

  it('applies forward and in reverse', () => {
    const hunks = parseHunks(DIFF);
    assert.equal(applyHunks(BEFORE, hunks, 'forward'), AFTER);
    assert.equal(applyHunks(AFTER, hunks, 'reverse'), BEFORE);
  });

  it('finds hunks whose line numbers drifted, and refuses ones that do not fit', () => {
    const hunks = parseHunks(DIFF);
    assert.equal(applyHunks(`x\ny\n${BEFORE}`, hunks, 'forward'), `x\ny\n${AFTER}`);
    assert.equal(applyHunks('totally\ndifferent\n', hunks, 'forward'), undefined);
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    const hunks = parseHunks('@@ -1,2 +1,2 @@\n a\n-b\n+B\n');
    assert.equal(applyHunks('a\r\nb\r\n', hunks, 'forward'), 'a\r\nB\r\n');
    assert.equal(applyHunks('a\nb', hunks, 'forward'), 'a\nB');
  });

  it('decides the diff editor sides whether or not the change is on disk', () => {
    const change = { path: '/w/f.txt', kind: 'update' as const, diff: DIFF };
    assert.deepEqual(diffSides(change, AFTER), { before: BEFORE, after: null }, 'applied: left rebuilt, right is the real file');
    assert.deepEqual(diffSides(change, BEFORE), { before: null, after: AFTER }, 'pending: left is the real file, right rebuilt');
    const partial = diffSides(change, 'unrelated\n');
    assert.equal(partial.partial, true);
    assert.deepEqual({ before: partial.before, after: partial.after }, hunkSides(parseHunks(DIFF)));
  });

  it('shows adds and deletes against an empty side', () => {
    assert.deepEqual(diffSides({ path: '/w/n.txt', kind: 'add', diff: 'new\n' }, undefined), { before: '', after: 'new\n' });
    assert.deepEqual(diffSides({ path: '/w/n.txt', kind: 'add', diff: 'new\n' }, 'new\n'), { before: '', after: null });
    assert.deepEqual(diffSides({ path: '/w/n.txt', kind: 'add', diff: '@@ -0,0 +1,2 @@\n+x\n+y\n' }, undefined), { before: '', after: 'x\ny\n' });
    assert.deepEqual(diffSides({ path: '/w/o.txt', kind: 'delete', diff: 'old\n' }, undefined), { before: 'old\n', after: '' });
    assert.deepEqual(diffSides({ path: '/w/o.txt', kind: 'delete', diff: 'old\n' }, 'old\n'), { before: null, after: '' });
  });

  it('splits a git diff into per-file changes', () => {
    const git = [
      'diff --git a/src/a.ts b/src/a.ts',
      'index 111..222 100644',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+hello',
      'diff --git a/old.txt b/old.txt',
      'deleted file mode 100644',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/m1.txt b/m2.txt',
      'similarity index 100%',
      'rename from m1.txt',
      'rename to m2.txt',
      '',
    ].join('\n');
    const files = parseGitDiff(git);
    assert.deepEqual(
      files.map((f) => [f.path, f.kind, f.movePath ?? null]),
      [
        ['src/a.ts', 'update', null],
        ['new.txt', 'add', null],
        ['old.txt', 'delete', null],
        ['m1.txt', 'update', 'm2.txt'],
      ],
    );
    assert.deepEqual(diffSides(files[1], undefined), { before: '', after: 'hello\n' });
    assert.deepEqual(diffSides(files[2], undefined), { before: 'bye\n', after: '' });
  });
});
