/**
 * Rows for tool activity: MCP and dynamic tool calls (arguments and result), web searches, image
 * views and generations, function outputs, sub-agents, review mode, compaction, sleeps.
 */
import type { ThreadItem } from '../../../protocol/codex';
import type { ItemEntry } from '../../model/entries';
import { json } from '../../model/transcriptText';
import { baseName, formatDuration, h, hc, icon } from '../dom';
import type { RenderContext } from '../renderContext';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=]+$/i;
const BASE64 = /^[a-z0-9+/=\s]+$/i;
const MAX_JSON_CHARS = 50_000;

function statusBadge(status: string, success?: boolean | null): HTMLElement {
  if (status === 'inProgress') return h('span', { class: 'badge running' }, icon('loading codicon-modifier-spin'), 'Running');
  if (status === 'failed' || success === false) return h('span', { class: 'badge err' }, icon('error'), 'Failed');
  return h('span', { class: 'badge ok' }, icon('pass'), 'Done');
}

function jsonBlock(label: string, value: unknown): HTMLElement {
  let text = json(value);
  if (text.length > MAX_JSON_CHARS) text = `${text.slice(0, MAX_JSON_CHARS)}\n… (${text.length - MAX_JSON_CHARS} more characters)`;
  return h('div', { class: 'tool-part' }, h('div', { class: 'muted small' }, label), h('pre', { class: 'output json', tabindex: 0, aria: { label } }, text));
}

/** A collapsible "tool call" box: header always visible, arguments and result on expand. */
function toolBox(entry: ItemEntry, ctx: RenderContext, title: string, description: string, body: () => Node[]): HTMLElement {
  const open = ctx.ui.isExpanded(entry.key, 'tool');
  const box = hc('vscode-collapsible', { class: 'tool' }) as HTMLElement & { heading: string; description: string; open: boolean };
  box.heading = title;
  box.description = description;
  box.open = open;
  box.addEventListener('vsc-collapsible-toggle', (ev) => {
    ctx.ui.setExpanded(entry.key, 'tool', (ev as CustomEvent<{ open: boolean }>).detail.open);
    ctx.rerender(entry.key);
  });
  if (open) box.append(...body());
  return box;
}

export function mcpToolRow(entry: ItemEntry, item: Item<'mcpToolCall'>, ctx: RenderContext): Node[] {
  const desc = [item.status === 'inProgress' ? 'running' : item.status, formatDuration(item.durationMs)].filter(Boolean).join(' · ');
  const head = h('div', { class: 'cmd-header' }, icon('tools'), h('span', { class: 'title' }, `${item.server} · ${item.tool}`), statusBadge(item.status));
  const box = toolBox(entry, ctx, 'Arguments and result', desc, () => {
    const parts: Node[] = [jsonBlock('Arguments', item.arguments)];
    if (item.result) {
      for (const c of item.result.content) parts.push(mcpContentNode(c));
      if (item.result.structuredContent !== null) parts.push(jsonBlock('Structured result', item.result.structuredContent));
    }
    return parts;
  });
  const out: Node[] = [head, box];
  if (item.error) out.push(h('div', { class: 'error-text' }, icon('error'), h('span', null, item.error.message)));
  return out;
}

function mcpContentNode(c: unknown): Node {
  if (c && typeof c === 'object') {
    const o = c as Record<string, unknown>;
    if (o.type === 'text' && typeof o.text === 'string') return h('pre', { class: 'output', tabindex: 0 }, o.text);
    if (o.type === 'image' && typeof o.data === 'string' && typeof o.mimeType === 'string') {
      const src = `data:${o.mimeType};base64,${o.data}`;
      if (SAFE_DATA_IMAGE.test(src)) return imageNode(src, 'Tool result image');
    }
  }
  return jsonBlock('Result', c);
}

function imageNode(src: string, alt: string): HTMLElement {
  const img = h('img', { class: 'tool-image', attrs: { alt } });
  img.src = src;
  return img;
}

export function dynamicToolRow(entry: ItemEntry, item: Item<'dynamicToolCall'>, ctx: RenderContext): Node[] {
  const name = item.namespace ? `${item.namespace}.${item.tool}` : item.tool;
  const head = h('div', { class: 'cmd-header' }, icon('symbol-method'), h('span', { class: 'title' }, name), statusBadge(item.status, item.success));
  const box = toolBox(entry, ctx, 'Arguments and result', formatDuration(item.durationMs), () => {
    const parts: Node[] = [jsonBlock('Arguments', item.arguments)];
    for (const c of item.contentItems ?? []) {
      if (c.type === 'inputText') parts.push(h('pre', { class: 'output', tabindex: 0 }, c.text));
      else if (c.type === 'inputImage' && SAFE_DATA_IMAGE.test(c.imageUrl)) parts.push(imageNode(c.imageUrl, 'Tool result image'));
      else if (c.type === 'inputImage') parts.push(linkChip(c.imageUrl, 'Image'));
      else parts.push(h('span', { class: 'chip' }, icon('unmute'), 'Audio'));
    }
    return parts;
  });
  return [head, box];
}

function linkChip(url: string, label: string): HTMLElement {
  return h('a', { class: 'chip', role: 'link', tabindex: 0, title: url, data: { action: 'open-link', href: url } }, icon('link-external'), label);
}

export function webSearchRow(item: Item<'webSearch'>): Node[] {
  const a = item.action;
  const detail =
    a?.type === 'openPage' && a.url ? linkChip(a.url, a.url) : a?.type === 'findInPage' ? h('span', { class: 'muted' }, `find “${a.pattern ?? ''}” in ${a.url ?? 'page'}`) : null;
  const out: Node[] = [h('div', { class: 'cmd-header' }, icon('search'), h('span', { class: 'title' }, 'Searched the web'), h('span', { class: 'query' }, item.query)), ...(detail ? [detail] : [])];
  const links = (item.results ?? []).flatMap((r) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return [];
    const o = r as Record<string, unknown>;
    return typeof o.url === 'string' ? [linkChip(o.url, typeof o.title === 'string' ? o.title : o.url)] : [];
  });
  if (links.length) out.push(h('div', { class: 'chips' }, ...links.slice(0, 10)));
  return out;
}

export function imageViewRow(item: Item<'imageView'>): Node[] {
  return [
    h(
      'div',
      { class: 'cmd-header' },
      icon('file-media'),
      h('span', { class: 'title' }, 'Viewed image'),
      h('a', { class: 'chip', role: 'link', tabindex: 0, title: item.path, data: { action: 'open-file', path: item.path } }, baseName(item.path)),
    ),
  ];
}

export function imageGenerationRow(item: Item<'imageGeneration'>): Node[] {
  const out: Node[] = [h('div', { class: 'cmd-header' }, icon('sparkle'), h('span', { class: 'title' }, 'Generated image'), h('span', { class: 'muted' }, item.status))];
  if (item.revisedPrompt) out.push(h('div', { class: 'muted' }, item.revisedPrompt));
  if ('result' in item && item.result && item.result.length < 8_000_000 && BASE64.test(item.result.slice(0, 200))) out.push(imageNode(`data:image/png;base64,${item.result}`, 'Generated image'));
  if (item.savedPath) out.push(h('a', { class: 'chip', role: 'link', tabindex: 0, title: item.savedPath, data: { action: 'open-file', path: item.savedPath } }, baseName(item.savedPath)));
  return out;
}

export function functionOutputRow(item: Item<'functionCallOutput'>): Node[] {
  const text = typeof item.output === 'string' ? item.output : json(item.output);
  return [h('div', { class: 'cmd-header' }, icon('output'), h('span', { class: 'title' }, `Output of ${item.name}`)), h('pre', { class: 'output', tabindex: 0 }, text)];
}

export function collabRow(item: Item<'collabAgentToolCall'>): Node[] {
  const out: Node[] = [
    h('div', { class: 'cmd-header' }, icon('organization'), h('span', { class: 'title' }, `Agents: ${item.tool}`), statusBadge(item.status === 'inProgress' ? 'inProgress' : item.status === 'failed' ? 'failed' : 'completed')),
  ];
  if (item.prompt) out.push(h('div', { class: 'user-text' }, item.prompt));
  for (const [id, st] of Object.entries(item.agentsStates)) if (st) out.push(h('div', { class: 'meta' }, icon('person'), h('span', null, `${id}: ${st.status}${st.message ? ` — ${st.message}` : ''}`)));
  return out;
}

export function simpleRow(iconName: string, text: string, detail?: string): Node[] {
  return [h('div', { class: 'cmd-header' }, icon(iconName), h('span', { class: 'title' }, text), detail ? h('span', { class: 'muted' }, detail) : null)];
}
