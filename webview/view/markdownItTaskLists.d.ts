/** Types for `markdown-it-task-lists` (the package ships none). */
declare module 'markdown-it-task-lists' {
  import type { PluginWithOptions } from 'markdown-it';

  interface TaskListOptions {
    /** Checkboxes can be toggled (default false: they get `disabled`). */
    enabled?: boolean;
    /** Wrap the item text in a `<label>`. */
    label?: boolean;
    /** Put the label after the checkbox. */
    labelAfter?: boolean;
  }

  const taskLists: PluginWithOptions<TaskListOptions>;
  export default taskLists;
}
