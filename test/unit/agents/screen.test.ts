import * as assert from 'node:assert/strict';
import { Screen, stripTerminalReplies } from '../../../server/agents/screen';
import { classifyScreen, sanitizeMessage } from '../../../server/agents/tuiDriver';

describe('agents/screen', () => {
  it('follows cursor addressing, erases, alternate screen and wide characters', () => {
    const s = new Screen(20, 5);
    s.write('hello\r\nworld');
    assert.deepEqual(s.lines().slice(0, 2), ['hello', 'world']);
    s.write('\x1b[?1049h\x1b[2;3Habc\x1b[1;1H› 漢字x');
    assert.ok(s.altScreen);
    assert.deepEqual(s.lines().slice(0, 2), ['› 漢字x', '  abc']);
    s.write('\x1b[2;4H\x1b[K');
    assert.equal(s.lines()[1], '  a');
    s.write('\x1b[?1049l');
    assert.equal(s.lines()[0], 'hello');
  });

  it('scrolls inside a scroll region and keeps colours out of the text', () => {
    const s = new Screen(10, 4);
    s.write('\x1b[31mA\x1b[0m\r\nB\r\nC\r\nD');
    s.write('\x1b[2;4r\x1b[4;1H\n');
    assert.deepEqual(s.lines(), ['A', 'C', 'D', '']);
    s.write('\x1b]0;title\x07\x1bP1$r\x1b\\X');
    assert.equal(s.lines()[3], 'X');
  });

  it('answers terminal queries like a terminal would', () => {
    const s = new Screen(80, 24);
    const replies: string[] = [];
    s.onReply = (d) => replies.push(d);
    s.write('\x1b[3;5H\x1b[6n\x1b[c\x1b]11;?\x1b\\\x1b[?u\x1b[?2004h');
    assert.deepEqual(replies, ['\x1b[3;5R', '\x1b[?62;22c', '\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\']);
    assert.equal(s.bracketedPaste, true);
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
