/**
 * Text views of the transcript model: plain text per entry (find-in-transcript searches this, so it
 * works on rows that are not rendered), Markdown (copy / export) and JSON (export). DOM-free.
 */
import { agentMessageText, moderationLabel, readModeration, textVisible } from '../../protocol/moderation';
import type { ThreadItem, TurnInfo } from '../../protocol/types';
import type { Entry, ItemEntry, RequestEntry, TurnEndEntry } from './entries';
import type { TranscriptModel } from './transcriptModel';

/** Everything a row shows as text, for searching. */
export function entryPlainText(entry: Entry): string {
  switch (entry.kind) {
    case 'item':
      return itemPlainText(entry);
    case 'plan':
      return [entry.explanation ?? '', ...entry.steps.map((s) => s.step)].join('\n');
    case 'request':
      return requestText(entry);
    case 'notice':
      return entry.message;
    case 'turnEnd':
      return [entry.error?.message ?? '', entry.error?.additionalDetails ?? ''].join('\n');
  }
}

function itemPlainText(entry: ItemEntry): string {
  const item = entry.item;
  switch (item.type) {
    case 'userMessage':
      return item.content.map((c) => (c.type === 'text' ? c.text : 'path' in c ? c.path : '')).join('\n');
    case 'agentMessage': {
      const label = moderationLabel(readModeration(item.moderation));
      const text = agentMessageText(item);
      return label && label !== text ? `${text}\n${label}` : text;
    }
    case 'plan':
      return item.text;
    case 'reasoning':
      return [...item.summary, ...item.content].join('\n');
    case 'commandExecution':
      return `${item.command}\n${item.cwd}\n${item.aggregatedOutput ?? ''}`;
    case 'fileChange':
      return item.changes.map((c) => c.path).join('\n') + (entry.extraOutput ? `\n${entry.extraOutput}` : '');
    case 'mcpToolCall':
      return `${item.server} ${item.tool}\n${json(item.arguments)}\n${item.result ? json(item.result.content) : ''}\n${item.error?.message ?? ''}`;
    case 'dynamicToolCall':
      return `${item.namespace ?? ''} ${item.tool}\n${json(item.arguments)}\n${(item.contentItems ?? []).map((c) => (c.type === 'inputText' ? c.text : '')).join('\n')}`;
    case 'webSearch':
      return item.query;
    case 'hookPrompt':
      return item.fragments.map((f) => f.text).join('\n');
    case 'functionCallOutput':
      return `${item.name}\n${typeof item.output === 'string' ? item.output : json(item.output)}`;
    case 'imageView':
      return item.path;
    case 'enteredReviewMode':
    case 'exitedReviewMode':
      return item.review;
    case 'collabAgentToolCall':
      return `${item.tool} ${item.prompt ?? ''}`;
    case 'subAgentActivity':
      return `${item.kind} ${item.agentPath}`;
    case 'imageGeneration':
      return item.revisedPrompt ?? '';
    default:
      return '';
  }
}

function requestText(entry: RequestEntry): string {
  const r = entry.request;
  switch (r.kind) {
    case 'commandApproval':
      return `${r.command}\n${r.cwd ?? ''}\n${r.reason ?? ''}`;
    case 'fileChangeApproval':
      return `${r.changes.map((c) => c.path).join('\n')}\n${r.reason ?? ''}`;
    case 'permissionsApproval':
      return `${r.reason ?? ''}\n${json(r.permissions)}`;
    case 'userInput':
      return r.questions.map((q) => `${q.header}\n${q.question}\n${q.options.map((o) => o.label).join('\n')}`).join('\n');
    case 'elicitation':
      return `${r.serverName}\n${r.message}\n${r.url ?? ''}`;
    case 'toolCall':
      return `${r.tool}\n${json(r.arguments)}`;
  }
}

export function json(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? '';
  } catch {
    return String(value);
  }
}

/** A code fence longer than any backtick run inside `text`. */
export function fence(text: string, lang = ''): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text}${text.endsWith('\n') ? '' : '\n'}${f}`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

export function itemMarkdown(entry: ItemEntry): string {
  const item: ThreadItem = entry.item;
  switch (item.type) {
    case 'userMessage': {
      const parts = item.content.map((c) => {
        if (c.type === 'text') return c.text;
        if (c.type === 'image') return 'url' in c ? `![image](${c.url.startsWith('data:') ? 'data:…' : c.url})` : '[image]';
        if ('path' in c) return `[${c.type}: ${c.path}]`;
        return `[${c.type}]`;
      });
      return `### User\n\n${parts.join('\n\n')}`;
    }
    case 'agentMessage': {
      const m = readModeration(item.moderation);
      const label = moderationLabel(m);
      if (!textVisible(m)) return `### Codex\n\n*${label ?? ''}*`;
      return `### Codex\n\n${item.text}${label ? `\n\n*${label}*` : ''}`;
    }
    case 'reasoning':
      return item.summary.length ? quote(`*Reasoning:* ${item.summary.join('\n\n')}`) : '';
    case 'plan':
      return `**Plan**\n\n${item.text}`;
    case 'commandExecution': {
      const status = item.exitCode !== null ? `exit ${item.exitCode}` : item.status;
      const out = item.aggregatedOutput ? `\n\n${fence(item.aggregatedOutput)}` : '';
      return `${fence(`$ ${item.command}`, 'sh')}${out}\n\n*${status}${item.durationMs !== null ? ` · ${item.durationMs} ms` : ''} · ${item.cwd}*`;
    }
    case 'fileChange':
      return `**Changed files** (${item.status})\n\n${item.changes.map((c) => `- \`${c.path}\` (${c.kind.type})`).join('\n')}`;
    case 'mcpToolCall': {
      const result = item.result ? `\n\nResult:\n\n${fence(json(item.result.content), 'json')}` : '';
      const error = item.error ? `\n\nError: ${item.error.message}` : '';
      return `**Tool** \`${item.server}.${item.tool}\` (${item.status})\n\n${fence(json(item.arguments), 'json')}${result}${error}`;
    }
    case 'dynamicToolCall': {
      const out = (item.contentItems ?? []).map((c) => (c.type === 'inputText' ? c.text : `[${c.type}]`)).join('\n');
      return `**Tool** \`${item.namespace ? `${item.namespace}.` : ''}${item.tool}\` (${item.status})\n\n${fence(json(item.arguments), 'json')}${out ? `\n\n${fence(out)}` : ''}`;
    }
    case 'webSearch':
      return `*Web search:* ${item.query}`;
    case 'contextCompaction':
      return '*Context compacted*';
    default: {
      const text = itemPlainText(entry);
      return text ? `*${item.type}:* ${text}` : `*${item.type}*`;
    }
  }
}

function requestMarkdown(entry: RequestEntry): string {
  const s = entry.state;
  const outcome =
    s.phase === 'ended'
      ? `${s.reason}${s.answer?.type === 'decision' ? ` (${s.answer.decision})` : ''}${s.by ? ` by ${s.by}` : ''}`
      : 'pending';
  return quote(`**${entry.request.kind}** — ${outcome}\n\n${requestText(entry).trim()}`);
}

function turnEndMarkdown(e: TurnEndEntry): string {
  const bits: string[] = [e.status];
  if (e.durationMs) bits.push(`${(e.durationMs / 1000).toFixed(1)} s`);
  if (e.usage) bits.push(`${e.turnTokens ?? e.usage.total.totalTokens} tokens`);
  const err = e.error ? `\n\n**Error:** ${e.error.message}` : '';
  return `*Turn ${bits.join(' · ')}*${err}\n\n---`;
}

export function entryMarkdown(entry: Entry): string {
  switch (entry.kind) {
    case 'item':
      return itemMarkdown(entry);
    case 'plan':
      return `**Plan**${entry.explanation ? ` — ${entry.explanation}` : ''}\n\n${entry.steps.map((s) => `- [${s.status === 'completed' ? 'x' : ' '}] ${s.step}`).join('\n')}`;
    case 'request':
      return requestMarkdown(entry);
    case 'notice':
      return quote(`**${entry.level}:** ${entry.message}`);
    case 'turnEnd':
      return turnEndMarkdown(entry);
  }
}

export function transcriptMarkdown(model: TranscriptModel): string {
  const s = model.session;
  const head = s ? `# ${s.name ?? (s.preview || s.id)}\n\n*Session ${s.id} · ${s.cwd}${s.model ? ` · ${s.model}` : ''}*\n\n` : '';
  return head + model.entries.map(entryMarkdown).filter((t) => t.length > 0).join('\n\n') + '\n';
}

/** The session as JSON: the same shape as `sessions/read` (turns with their items), plus what is pending. */
export function transcriptJson(model: TranscriptModel): string {
  const turns: TurnInfo[] = [];
  let current: TurnInfo | undefined;
  for (const e of model.entries) {
    if (!e.turnId) continue;
    if (!current || current.id !== e.turnId) {
      current = turns.find((t) => t.id === e.turnId);
      if (!current) {
        current = { id: e.turnId, status: 'inProgress', items: [] };
        turns.push(current);
      }
    }
    if (e.kind === 'item') current.items.push(e.item);
    if (e.kind === 'turnEnd') {
      Object.assign(current, { status: e.status, error: e.error ?? null, startedAt: e.startedAt ?? null, completedAt: e.completedAt ?? null, durationMs: e.durationMs ?? null });
    }
  }
  const pending = model.entries.flatMap((e) => (e.kind === 'request' && e.state.phase !== 'ended' ? [e.request] : []));
  return JSON.stringify({ session: model.session, turns, queue: model.queue, pending, lastSeq: model.lastSeq }, null, 2);
}
