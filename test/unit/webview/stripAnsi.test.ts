import * as assert from 'node:assert/strict';
import { stripAnsi } from '../../../webview/view/dom';

describe('webview/stripAnsi', () => {
  it('removes colours, cursor moves, OSC titles and OSC 8 links from command output', () => {
    assert.equal(stripAnsi('\u001b[1;31;4:3merror\u001b[0m: \u001b[38;2;1;2;3mrgb\u001b[m'), 'error: rgb');
    assert.equal(stripAnsi('\u001b]0;my title\u0007\u001b[2Kdone'), 'done');
    assert.equal(stripAnsi('see \u001b]8;;https://example.com/a b\u001b\\the docs\u001b]8;;\u001b\\.'), 'see the docs.');
    assert.equal(stripAnsi('plain [text] stays'), 'plain [text] stays');
  });
});
