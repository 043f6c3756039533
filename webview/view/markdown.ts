/**
 * Model Markdown → DOM. markdown-it with `html: false` (raw HTML in model output is shown as text),
 * its own link validation (no javascript:/vbscript:/file:/data: links), then DOMPurify on the HTML
 * with a small allow-list, returned as a DocumentFragment (never assigned through innerHTML).
 * After sanitizing: links lose their `href` (kept in `data-href`; a click posts `openLink` to the
 * host, the webview never navigates), remote images become links (CSP would block them anyway),
 * and code blocks get a language label and a copy button.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import taskLists from 'markdown-it-task-lists';
import { actionButton, h } from './dom';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.linkify.set({ fuzzyEmail: false, fuzzyLink: false });
// `- [ ] x` / `- [x] x` list items get a disabled checkbox (not inside code blocks).
md.use(taskLists, { enabled: false });

const purifier = DOMPurify(window);
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
  'em', 'strong', 's', 'del', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'input',
];
const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'class', 'start', 'type', 'checked', 'disabled'];
const SAFE_IMAGE = /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]+$/i;
const SAFE_CLASS = /^(?:language-[\w+#.-]{1,40}|contains-task-list|task-list-item|task-list-item-checkbox)$/;

purifier.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class' && !SAFE_CLASS.test(data.attrValue)) data.keepAttr = false;
});

const PURIFY_CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  RETURN_DOM_FRAGMENT: true as const,
};

/** Render Markdown to a sanitized fragment, with links, images and code blocks made safe and useful. */
export function renderMarkdown(text: string): DocumentFragment {
  const html = md.render(text);
  const frag = purifier.sanitize(html, PURIFY_CONFIG);
  postProcess(frag);
  return frag;
}

/**
 * Split Markdown at blank lines outside fenced code blocks. While a message streams, each block
 * renders on its own and only the last one changes, so a long reply costs O(last block) per frame.
 * (Constructs spanning blank lines — loose lists, indented continuations — can render slightly
 * differently until the message completes and is rendered whole.)
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let start = 0;
  let fence: string | undefined;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1];
      else if (f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = undefined;
    } else if (!fence && line.trim() === '' && pos > start) {
      blocks.push(text.slice(start, pos));
      start = end + 1;
    }
    pos = end + 1;
  }
  if (start < text.length) blocks.push(text.slice(start));
  return blocks;
}

/** Render inline Markdown (no paragraphs), for short labels such as plan steps. */
export function renderInlineMarkdown(text: string): DocumentFragment {
  const frag = purifier.sanitize(md.renderInline(text), PURIFY_CONFIG);
  postProcess(frag);
  return frag;
}

function postProcess(root: DocumentFragment): void {
  // The only inputs are task-list checkboxes, shown and never editable.
  for (const input of Array.from(root.querySelectorAll('input'))) {
    if (input.type === 'checkbox' && input.classList.contains('task-list-item-checkbox')) input.disabled = true;
    else input.remove();
  }
  for (const a of Array.from(root.querySelectorAll('a'))) {
    const href = a.getAttribute('href');
    a.removeAttribute('href');
    if (href) {
      a.dataset.href = href;
      a.dataset.action = 'open-link';
      a.title = href;
      a.tabIndex = 0;
      a.setAttribute('role', 'link');
    }
  }
  for (const img of Array.from(root.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (SAFE_IMAGE.test(src)) {
      img.setAttribute('loading', 'lazy');
      continue;
    }
    const alt = img.getAttribute('alt') || 'image';
    const link = h('a', { class: 'image-link', role: 'link', tabindex: 0, title: src, data: { href: src, action: 'open-link' } }, `[${alt}]`);
    img.replaceWith(link);
  }
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    const lang = code?.className.match(/language-([\w+#.-]+)/)?.[1] ?? '';
    const header = h('div', { class: 'code-header' }, h('span', { class: 'code-lang' }, lang), actionButton('copy-code', 'Copy code', 'copy'));
    const wrap = h('div', { class: 'code-block' });
    pre.replaceWith(wrap);
    pre.tabIndex = 0;
    wrap.append(header, pre);
  }
}
