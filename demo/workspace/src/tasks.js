'use strict';

/** A small in-memory to-do list. */
class TaskList {
  constructor() {
    this.tasks = [];
    this.nextId = 1;
  }

  add(title) {
    if (!title || !title.trim()) throw new Error('a task needs a title');
    const task = { id: this.nextId++, title: title.trim(), done: false };
    this.tasks.push(task);
    return task;
  }

  complete(id) {
    const task = this.tasks.find((t) => t.id === id);
    if (!task) throw new Error(`no task ${id}`);
    task.done = true;
    return task;
  }

  pending() {
    return this.tasks.filter((t) => !t.done);
  }
}

module.exports = { TaskList };
