'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { TaskList } = require('../src/tasks');
const { toMarkdown } = require('../src/format');

test('adds and completes tasks', () => {
  const list = new TaskList();
  const a = list.add('write the demo');
  list.add('ship it');
  list.complete(a.id);
  assert.equal(list.pending().length, 1);
});

test('renders Markdown', () => {
  const list = new TaskList();
  list.add('one');
  assert.equal(toMarkdown(list.tasks), '- [ ] one');
});
