/**
 * A tiny element builder. Model content only ever becomes text nodes or attribute values here;
 * nothing in the view assigns `innerHTML` (Markdown goes through `markdown.ts`, which sanitizes).
 * No inline event handlers: behaviour hangs off `data-action` attributes and delegated listeners.
 */
import stripAnsiCodes from 'strip-ansi';
import { formatDuration as formatSharedDuration, formatTokens } from '../../shared/format';

export type Child = Node | string | null | undefined | false;

export interface Attrs {
  class?: string;
  role?: string;
  title?: string;
  tabindex?: number;
  /** `data-*` attributes (camelCase keys, as in `dataset`). */
  data?: Record<string, string>;
  /** `aria-*` attributes (without the prefix). */
  aria?: Record<string, string>;
  /** Other plain attributes (never `on*`, never `style`, never `href`/`src` with model URLs). */
  attrs?: Record<string, string | boolean>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, a?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (a) applyAttrs(el, a);
  append(el, children);
  return el;
}

/** Custom elements (vscode-elements) by tag name. */
export function hc(tag: string, a?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (a) applyAttrs(el, a);
  append(el, children);
  return el;
}

function applyAttrs(el: HTMLElement, a: Attrs): void {
  if (a.class) el.className = a.class;
  if (a.role) el.setAttribute('role', a.role);
  if (a.title) el.title = a.title;
  if (a.tabindex !== undefined) el.tabIndex = a.tabindex;
  if (a.data) for (const [k, v] of Object.entries(a.data)) el.dataset[k] = v;
  if (a.aria) for (const [k, v] of Object.entries(a.aria)) el.setAttribute(`aria-${k}`, v);
  if (a.attrs) {
    for (const [k, v] of Object.entries(a.attrs)) {
      if (/^on/i.test(k) || k === 'style') throw new Error(`refusing attribute ${k}`);
      if (v === false) continue;
      el.setAttribute(k, v === true ? '' : v);
    }
  }
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** A codicon glyph (font from media/codicons, decorative). */
export function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, aria: { hidden: 'true' } });
}

/** A plain, small action button (lighter than a custom element in every row). */
export function actionButton(action: string, label: string, iconName: string, data?: Record<string, string>, text?: string): HTMLButtonElement {
  return h(
    'button',
    { class: `action${text ? ' with-text' : ''}`, title: label, aria: { label }, data: { action, ...data }, attrs: { type: 'button' } },
    icon(iconName),
    text ? h('span', null, text) : null,
  );
}

/** A duration, or nothing when there is none (the shared formatter otherwise). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  return formatSharedDuration(ms);
}

export { formatTokens };

/** Last segment of a path (either separator). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** `path` relative to `cwd` when inside it. */
export function relativePath(path: string, cwd: string | undefined): string {
  if (!cwd) return path;
  const root = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/**
 * Terminal output without escape sequences (colors, cursor moves, OSC titles/links). `strip-ansi`,
 * not `node:util`'s stripVTControlCharacters: this runs in the browser, and Node 20's version leaves
 * parts of OSC titles, OSC 8 links and colon SGR parameters behind.
 */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') || text.includes('\u009b') ? stripAnsiCodes(text) : text;
}
