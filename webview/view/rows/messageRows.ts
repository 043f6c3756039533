/**
 * Rows for conversation items: user messages (text and images), agent messages (Markdown, copy),
 * reasoning (collapsed), proposed plans (checklists), hook prompts.
 */
import type { ThreadItem, UserInput } from '../../../protocol/codex';
import { moderationLabel, readModeration, textVisible } from '../../../protocol/moderation';
import type { ItemEntry } from '../../model/entries';
import { actionButton, baseName, h, hc, icon } from '../dom';
import { renderMarkdown, splitBlocks } from '../markdown';
import type { RenderContext } from '../renderContext';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=]+$/i;

/**
 * Rendered Markdown per entry, so rows scrolling back into view and streaming rows do not re-parse
 * unchanged text. While a message streams it is rendered block by block (see `splitBlocks`): blocks
 * already rendered are kept, only changed ones (normally the last) are rebuilt; and re-rendering is
 * throttled to a fraction of the frame budget (after a render that took `cost` ms, the next waits
 * at least 4 × cost). A completed message is rendered once, whole.
 */
interface Rendered {
  text: string;
  el: HTMLElement;
  at: number;
  cost: number;
  chunks?: Array<{ text: string; el: HTMLElement }>;
}

class MarkdownCache {
  private readonly map = new Map<string, Rendered>();

  constructor(private readonly max = 300) {}

  get(key: string, text: string, streaming: boolean, ctx: RenderContext): HTMLElement {
    const hit = this.map.get(key);
    const now = performance.now();
    if (hit && hit.text === text && (hit.chunks !== undefined) === streaming) return this.touch(key, hit).el;
    if (hit?.chunks && streaming && now - hit.at < hit.cost * 4) {
      setTimeout(() => ctx.rerender(key), Math.ceil(hit.cost * 4));
      return this.touch(key, hit).el;
    }
    if (!streaming) {
      const el = h('div', { class: 'markdown' });
      el.appendChild(renderMarkdown(text));
      return this.touch(key, { text, el, at: now, cost: performance.now() - now }).el;
    }
    const el = hit?.chunks ? hit.el : h('div', { class: 'markdown' });
    const chunks = hit?.chunks ?? [];
    const blocks = splitBlocks(text);
    blocks.forEach((block, i) => {
      if (chunks[i]?.text === block) return;
      const chunk = h('div', { class: 'md-chunk' });
      chunk.appendChild(renderMarkdown(block));
      if (chunks[i]) chunks[i].el.replaceWith(chunk);
      else el.appendChild(chunk);
      chunks[i] = { text: block, el: chunk };
    });
    while (chunks.length > blocks.length) chunks.pop()?.el.remove();
    return this.touch(key, { text, el, at: now, cost: performance.now() - now, chunks }).el;
  }

  private touch(key: string, v: Rendered): Rendered {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return v;
  }

  clear(): void {
    this.map.clear();
  }
}

export const markdownCache = new MarkdownCache();

export function userMessageRow(item: Item<'userMessage'>): Node[] {
  const body = h('div', { class: 'user-body' });
  for (const c of item.content) body.appendChild(userInputNode(c));
  return [h('div', { class: 'who' }, icon('account'), h('span', null, 'You')), body];
}

function userInputNode(c: UserInput): Node {
  switch (c.type) {
    case 'text':
      return h('div', { class: 'user-text' }, c.text);
    case 'image':
      if ('url' in c && SAFE_DATA_IMAGE.test(c.url)) {
        const img = h('img', { class: 'user-image', attrs: { alt: 'Attached image' } });
        img.src = c.url;
        return img;
      }
      return 'url' in c
        ? h('a', { class: 'chip', role: 'link', tabindex: 0, title: c.url, data: { action: 'open-link', href: c.url } }, icon('file-media'), 'Image')
        : h('span', { class: 'chip' }, icon('file-media'), 'Image');
    case 'localImage':
      return h('a', { class: 'chip', role: 'link', tabindex: 0, title: c.path, data: { action: 'open-file', path: c.path } }, icon('file-media'), baseName(c.path));
    case 'skill':
    case 'mention':
      return h('span', { class: 'chip', title: c.path }, icon(c.type === 'skill' ? 'sparkle' : 'mention'), c.name);
    default:
      return h('span', { class: 'chip' }, icon('file'), c.type);
  }
}

export function agentMessageRow(entry: ItemEntry, item: Item<'agentMessage'>, ctx: RenderContext): Node[] {
  const moderation = readModeration(item.moderation);
  const label = moderationLabel(moderation);
  const speaker = h('span', null, item.phase === 'commentary' ? 'Codex (commentary)' : 'Codex');
  if (!textVisible(moderation)) {
    // Hidden or blocked: the line says so; the message's own text is never rendered (nor copyable).
    const who = h('div', { class: 'who' }, icon('hubot'), speaker);
    const kind = moderation.kind === 'blocked' ? 'blocked' : 'hidden';
    const note = h('div', { class: `moderation ${kind}`, role: 'note', aria: { label: label ?? kind }, data: { part: 'moderation', moderation: kind } }, icon(kind === 'blocked' ? 'shield' : 'eye-closed'), h('span', null, label ?? ''));
    return [who, note];
  }
  const md = markdownCache.get(entry.key, item.text, entry.streaming, ctx);
  const tools = h('div', { class: 'row-tools' }, actionButton('copy-message', 'Copy message as Markdown', 'copy'));
  const who = h('div', { class: 'who' }, icon('hubot'), speaker, tools);
  if (entry.streaming) md.classList.add('streaming');
  else md.classList.remove('streaming');
  if (!label) return [who, md];
  const kind = moderation.kind === 'unknown' ? 'unknown' : 'annotated';
  return [who, md, h('div', { class: `moderation ${kind}`, role: 'note', aria: { label }, data: { part: 'moderation', moderation: kind } }, icon('info'), h('span', null, label))];
}

export function reasoningRow(entry: ItemEntry, item: Item<'reasoning'>, ctx: RenderContext): Node[] {
  const open = ctx.ui.isExpanded(entry.key, 'reasoning');
  const last = item.summary[item.summary.length - 1] ?? '';
  const heading = last.match(/\*\*(.+?)\*\*/)?.[1] ?? last.split('\n')[0].slice(0, 120);
  const box = hc('vscode-collapsible', { class: 'reasoning', data: { part: 'reasoning' } });
  const c = box as HTMLElement & { heading: string; description: string; open: boolean };
  c.heading = entry.streaming ? 'Thinking…' : 'Reasoning';
  c.description = heading;
  c.open = open;
  box.addEventListener('vsc-collapsible-toggle', (ev) => {
    ctx.ui.setExpanded(entry.key, 'reasoning', (ev as CustomEvent<{ open: boolean }>).detail.open);
    ctx.rerender(entry.key);
  });
  const body = h('div', { class: 'reasoning-body' });
  if (open) {
    item.summary.forEach((part, i) => body.appendChild(markdownCache.get(`${entry.key}#${i}`, part, entry.streaming, ctx)));
    if (item.content.length) body.appendChild(h('pre', { class: 'reasoning-raw' }, item.content.join('\n\n')));
  } else {
    // Rendered on expand only: a collapsed row stays cheap.
    body.appendChild(h('span', { class: 'muted' }, `${item.summary.length} summary part(s)`));
  }
  box.appendChild(body);
  return [box];
}

export function planItemRow(entry: ItemEntry, item: Item<'plan'>, ctx: RenderContext): Node[] {
  return [h('div', { class: 'who' }, icon('checklist'), h('span', null, 'Proposed plan')), markdownCache.get(entry.key, item.text, entry.streaming, ctx)];
}

export function hookPromptRow(item: Item<'hookPrompt'>): Node[] {
  return [h('div', { class: 'who' }, icon('plug'), h('span', null, 'Hook prompt')), ...item.fragments.map((f) => h('pre', { class: 'output' }, f.text))];
}
