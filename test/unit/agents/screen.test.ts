import * as assert from 'node:assert/strict';
import { Screen, stripTerminalReplies } from '../../../server/agents/screen';
import { classifyScreen, sanitizeMessage } from '../../../server/agents/tuiDriver';

/** Feed output and resolve once the screen shows it. */
const write = (s: Screen, data: string): Promise<void> => new Promise((resolve) => s.write(data, resolve));

describe('agents/screen', () => {
  it('follows cursor addressing, erases, alternate screen and wide characters', async () => {
    const s = new Screen(20, 5);
    await write(s, 'hello\r\nworld');
    assert.deepEqual(s.lines().slice(0, 2), ['hello', 'world']);
    await write(s, '\x1b[?1049h\x1b[2;3Habc\x1b[1;1H› 漢字x');
    assert.ok(s.altScreen);
    assert.deepEqual(s.lines().slice(0, 2), ['› 漢字x', '  abc']);
    await write(s, '\x1b[2;4H\x1b[K');
    assert.equal(s.lines()[1], '  a');
    await write(s, '\x1b[?1049l');
    assert.equal(s.lines()[0], 'hello');
  });

  it('scrolls inside a scroll region and keeps colours out of the text', async () => {
    const s = new Screen(10, 4);
    await write(s, '\x1b[31mA\x1b[0m\r\nB\r\nC\r\nD');
    await write(s, '\x1b[2;4r\x1b[4;1H\n');
    assert.deepEqual(s.lines(), ['A', 'C', 'D', '']);
    await write(s, '\x1b]0;title\x07\x1bP1$r\x1b\\X');
    assert.equal(s.lines()[3], 'X');
  });

  it('gives an emoji two columns, as Codex and xterm do', async () => {
    const s = new Screen(20, 3);
    await write(s, '🚀x');
    assert.deepEqual(s.cursor, { x: 3, y: 0 });
    await write(s, '\r\n🚀\x1b[1;4Hy');
    assert.deepEqual(s.lines().slice(0, 2), ['🚀xy', '🚀']);
  });

  it('draws DEC line-drawing characters', async () => {
    const s = new Screen(20, 3);
    await write(s, '\x1b(0lqqk\x1b(B ok');
    assert.equal(s.lines()[0], '┌──┐ ok');
  });

  it('inserts in insert mode, stops at the margin without autowrap, and honours origin mode', async () => {
    const s = new Screen(10, 5);
    await write(s, 'abc\r\x1b[4hXY\x1b[4l');
    assert.equal(s.lines()[0], 'XYabc');
    await write(s, '\x1b[2;1H\x1b[?7l0123456789AB\x1b[?7h');
    assert.deepEqual(s.lines().slice(1, 3), ['012345678B', '']);
    await write(s, '\x1b[3;5r\x1b[?6h\x1b[1;1HO\x1b[?6l\x1b[r');
    assert.equal(s.lines()[2], 'O');
  });

  it('snapshots the screen with its colours, modes and cursor for a reattaching terminal', async () => {
    const s = new Screen(30, 4);
    await write(s, 'plain \x1b[31mred\x1b[0m \x1b[1;38;2;10;20;30mrgb\x1b[0m\r\n\x1b[?2004h› ');
    const snap = s.snapshot();
    assert.match(snap, /\x1b\[31mred/);
    assert.match(snap, /38;2;10;20;30/);
    // Written into a terminal that shows something else, it restores what the program drew.
    const viewer = new Screen(30, 4);
    await write(viewer, '\x1b[?1049hstale\x1b[?2004l');
    await write(viewer, snap);
    assert.equal(viewer.altScreen, false);
    assert.deepEqual(viewer.lines().slice(0, 2), ['plain red rgb', '›']);
    assert.equal(viewer.bracketedPaste, true);
    assert.deepEqual(viewer.cursor, s.cursor);
    assert.equal(viewer.snapshot(), snap);
  });

  it('restores the mouse encoding and a hidden cursor, which the serializer leaves out', async () => {
    const s = new Screen(20, 3);
    await write(s, '\x1b[?1049h\x1b[?1000;1006h\x1b[?25lX');
    assert.match(s.snapshot(), /\x1b\[\?1000h.*\x1b\[\?1006h\x1b\[\?25l$/);
    await write(s, '\x1b[?1006l\x1b[?25h');
    assert.doesNotMatch(s.snapshot(), /1006h|25l/);
    await write(s, '\x1b[?1006h\x1b[?25l\x1bc');
    assert.equal(s.snapshot(), '\x1bc');
  });

  it('answers terminal queries like a terminal would', async () => {
    const replies: string[] = [];
    const s = new Screen(80, 24, (d) => replies.push(d));
    await write(s, '\x1b[3;5H\x1b[6n\x1b]11;?\x1b\\\x1b[?u\x1b[?2004h\x1b[c');
    assert.deepEqual(replies.slice(0, 2), ['\x1b[3;5R', '\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\']);
    assert.match(replies[2] ?? '', /^\x1b\[\?[\d;]+c$/, 'device attributes; the kitty keyboard query stays unanswered');
    assert.equal(replies.length, 3);
    assert.equal(s.bracketedPaste, true);
  });

  it('drained() resolves once everything written before it is on the screen', async () => {
    const s = new Screen(20, 3);
    s.write('\x1b[31mred\x1b[0m\r\n'.repeat(50_000));
    s.write('END');
    await s.drained();
    assert.equal(s.lines()[2], 'END');
  });

  it('resolves waiters for pending writes when disposed', async () => {
    const s = new Screen(10, 2);
    const parsed = new Promise<void>((resolve) => s.write('x'.repeat(10_000), resolve));
    s.dispose();
    await parsed;
    assert.deepEqual(s.lines(), []);
  });

  it("drops an attached terminal's query answers from its keystrokes", () => {
    assert.equal(stripTerminalReplies('a\x1b[12;40Rb\x1b[?62;22c\x1b]11;rgb:0/0/0\x1b\\c\x1b[?1ud\x1b[A'), 'abcd\x1b[A');
  });

  it('classifies what the Codex TUI shows', () => {
    assert.equal(classifyScreen('› Ask Codex to do anything\n  mock · /w\n  ← for agents · ? for shortcuts'), 'composer');
    assert.equal(classifyScreen('› half typed\n  mock-model default · /w'), 'draft');
    assert.equal(classifyScreen('Trust this folder? ...\n› 1. Trust and continue'), 'trust');
    assert.equal(classifyScreen('Hooks need review\n14 hooks are new'), 'hooksReview');
    assert.equal(classifyScreen('Would you like to run the following command?\n› 1. Yes, proceed (y)\nPress enter to confirm or esc to cancel'), 'approval');
    assert.equal(classifyScreen('1. Try new model\n2. Use existing model'), 'modelMigration');
    assert.equal(classifyScreen(''), 'starting');
  });

  it('removes control characters from messages (they would act as keys)', () => {
    assert.equal(sanitizeMessage('a\x03b\x1b[201~c\r\nd\te'), 'ab[201~c\nd\te');
  });
});
