/**
 * Entry → row content, the row's accessible label and its size class (for height estimates).
 */
import type { Entry, ItemEntry } from '../../model/entries';
import type { RenderContext } from '../renderContext';
import { commandRow } from './commandRows';
import { fileChangeRow } from './fileChangeRows';
import { agentMessageRow, hookPromptRow, planItemRow, reasoningRow, userMessageRow } from './messageRows';
import { requestCard } from './requestCards';
import {
  collabRow,
  dynamicToolRow,
  functionOutputRow,
  imageGenerationRow,
  imageViewRow,
  mcpToolRow,
  simpleRow,
  webSearchRow,
} from './toolRows';
import { noticeRow, planRow, turnEndRow } from './turnRows';

export function renderEntry(entry: Entry, ctx: RenderContext): Node[] {
  switch (entry.kind) {
    case 'item':
      return renderItem(entry, ctx);
    case 'plan':
      return planRow(entry);
    case 'request':
      return requestCard(entry, ctx);
    case 'notice':
      return noticeRow(entry);
    case 'turnEnd':
      return turnEndRow(entry);
  }
}

function renderItem(entry: ItemEntry, ctx: RenderContext): Node[] {
  const item = entry.item;
  switch (item.type) {
    case 'userMessage':
      return userMessageRow(item);
    case 'agentMessage':
      return agentMessageRow(entry, item, ctx);
    case 'reasoning':
      return reasoningRow(entry, item, ctx);
    case 'plan':
      return planItemRow(entry, item, ctx);
    case 'hookPrompt':
      return hookPromptRow(item);
    case 'commandExecution':
      return commandRow(entry, item, ctx);
    case 'fileChange':
      return fileChangeRow(entry, item, ctx);
    case 'mcpToolCall':
      return mcpToolRow(entry, item, ctx);
    case 'dynamicToolCall':
      return dynamicToolRow(entry, item, ctx);
    case 'webSearch':
      return webSearchRow(item);
    case 'imageView':
      return imageViewRow(item);
    case 'imageGeneration':
      return imageGenerationRow(item);
    case 'functionCallOutput':
      return functionOutputRow(item);
    case 'collabAgentToolCall':
      return collabRow(item);
    case 'subAgentActivity':
      return simpleRow('person', `Sub-agent ${item.kind}`, item.agentPath);
    case 'enteredReviewMode':
      return simpleRow('eye', 'Entered review mode', item.review);
    case 'exitedReviewMode':
      return simpleRow('eye-closed', 'Review finished', item.review);
    case 'contextCompaction':
      return simpleRow('fold', 'Context compacted');
    case 'sleep':
      return simpleRow('watch', 'Waited', `${Math.round(item.durationMs / 100) / 10} s`);
    default:
      return simpleRow('question', 'Unknown item');
  }
}

/** Row class: `row <kind>` plus the item type, for CSS. */
export function rowClass(entry: Entry): string {
  return entry.kind === 'item' ? `row item ${entry.item.type}` : `row ${entry.kind}`;
}

export function sizeClass(entry: Entry): string {
  return entry.kind === 'item' ? entry.item.type : entry.kind;
}

export function entryLabel(entry: Entry): string {
  switch (entry.kind) {
    case 'item': {
      const item = entry.item;
      switch (item.type) {
        case 'userMessage':
          return 'Your message';
        case 'agentMessage':
          return entry.streaming ? 'Codex reply, streaming' : 'Codex reply';
        case 'commandExecution':
          return `Command ${item.command}, ${item.status}${item.exitCode !== null ? `, exit code ${item.exitCode}` : ''}`;
        case 'fileChange':
          return `File changes, ${item.changes.length} files, ${item.status}`;
        case 'mcpToolCall':
          return `Tool call ${item.server} ${item.tool}, ${item.status}`;
        case 'dynamicToolCall':
          return `Tool call ${item.tool}, ${item.status}`;
        case 'reasoning':
          return 'Reasoning';
        case 'webSearch':
          return `Web search ${item.query}`;
        default:
          return item.type;
      }
    }
    case 'plan':
      return 'Plan';
    case 'request':
      return entry.state.phase === 'ended' ? 'Answered request' : 'Request waiting for you';
    case 'notice':
      return entry.level === 'error' ? 'Error' : 'Warning';
    case 'turnEnd':
      return `End of turn, ${entry.status}`;
  }
}
