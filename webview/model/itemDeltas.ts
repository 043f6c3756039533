/**
 * Streaming deltas applied to ThreadItems. Appends in place (V8 keeps repeated `+=` as ropes, so a
 * long stream costs O(delta), not O(text)). `item/completed` later replaces the item wholesale with
 * Codex's final version, which also repairs anything a lost delta left behind.
 */
import type { DeltaStream, ThreadItem } from '../../protocol/types';
import type { ItemEntry } from './entries';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

/** Append `delta` to the part of the entry's item that `stream` feeds. Returns false if the stream does not fit the item. */
export function appendDelta(entry: ItemEntry, stream: DeltaStream, delta: string): boolean {
  const item = entry.item;
  switch (stream) {
    case 'agentMessage':
      if (item.type !== 'agentMessage') return false;
      item.text += delta;
      return true;
    case 'plan':
      if (item.type !== 'plan') return false;
      item.text += delta;
      return true;
    case 'reasoningSummary':
    case 'reasoning': {
      if (item.type !== 'reasoning') return false;
      const parts = stream === 'reasoning' ? item.content : item.summary;
      if (parts.length === 0) parts.push(delta);
      else parts[parts.length - 1] += delta;
      return true;
    }
    case 'commandOutput':
      if (item.type !== 'commandExecution') return false;
      item.aggregatedOutput = (item.aggregatedOutput ?? '') + delta;
      return true;
    case 'fileChangeOutput':
      entry.extraOutput = (entry.extraOutput ?? '') + delta;
      return true;
  }
}

/**
 * An item for a delta whose `item/started` was never seen (e.g. it happened between a snapshot and
 * the first event): enough to show the streamed text until `item/completed` brings the real item.
 */
export function placeholderItem(itemId: string, stream: DeltaStream): ThreadItem {
  switch (stream) {
    case 'agentMessage':
      return agentMessage(itemId, '');
    case 'plan':
      return { type: 'plan', id: itemId, text: '' } satisfies Item<'plan'>;
    case 'reasoning':
    case 'reasoningSummary':
      return { type: 'reasoning', id: itemId, summary: [], content: [] } satisfies Item<'reasoning'>;
    case 'commandOutput':
      return commandExecution(itemId, '', '');
    case 'fileChangeOutput':
      return { type: 'fileChange', id: itemId, changes: [], status: 'inProgress' } satisfies Item<'fileChange'>;
  }
}

export function agentMessage(id: string, text: string): Item<'agentMessage'> {
  return { type: 'agentMessage', id, text, phase: null, moderation: null, memoryCitation: null, delivery: null, questions: null };
}

export function commandExecution(id: string, command: string, cwd: string): Item<'commandExecution'> {
  return {
    type: 'commandExecution',
    id,
    command,
    cwd,
    pluginId: null,
    scriptPath: null,
    processId: null,
    source: 'agent',
    status: 'inProgress',
    commandActions: [],
    aggregatedOutput: null,
    exitCode: null,
    durationMs: null,
  };
}
