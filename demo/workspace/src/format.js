'use strict';

/** Render tasks as a Markdown checklist. */
function toMarkdown(tasks) {
  return tasks.map((t) => `- [${t.done ? 'x' : ' '}] ${t.title}`).join('\n');
}

module.exports = { toMarkdown };
