/**
 * Inline cards for pending requests: command / file-change / permissions approvals (one button per
 * decision the request accepts), user-input questions (options + free text), MCP elicitations
 * (a small form from the requested schema) and dynamic tool calls (a result form). Buttons carry
 * `data-action`; the app's delegated click handler turns them into `answerRequest` messages.
 * Form values live in `UiState.drafts`, so a re-render or scrolling away keeps what was typed.
 */
import type { ApprovalDecision, PendingRequest, UserInputQuestion } from '../../../protocol/types';
import type { RequestEntry } from '../../model/entries';
import { json } from '../../model/transcriptText';
import { h, hc, icon, relativePath } from '../dom';
import type { RenderContext } from '../renderContext';
import { decisionLabel, describeEnd } from './commandRows';
import { fileList } from './fileChangeRows';

const TITLES: Record<PendingRequest['kind'], [string, string]> = {
  commandApproval: ['Run this command?', 'terminal'],
  fileChangeApproval: ['Apply these changes?', 'files'],
  permissionsApproval: ['Grant these permissions?', 'shield'],
  userInput: ['Codex asks', 'question'],
  elicitation: ['A tool asks', 'plug'],
  toolCall: ['Tool call for this client', 'symbol-method'],
};

export function requestCard(e: RequestEntry, ctx: RenderContext): Node[] {
  const r = e.request;
  const [title, iconName] = TITLES[r.kind];
  const s = e.state;
  if (s.phase === 'ended') {
    return [h('div', { class: 'card ended' }, h('div', { class: 'card-title' }, icon(iconName), h('span', null, title), h('span', { class: 'muted' }, describeEnd(s))), summary(r, ctx))];
  }
  const busy = s.phase === 'answering';
  const card = h('div', { class: 'card pending', role: 'group', aria: { label: title } });
  card.appendChild(h('div', { class: 'card-title' }, icon(iconName), h('span', null, title)));
  card.append(...body(r, ctx));
  card.appendChild(actions(r, busy, ctx));
  if (busy) card.appendChild(h('div', { class: 'muted', role: 'status' }, 'Sending answer…'));
  if (s.phase === 'failed') card.appendChild(h('div', { class: 'error-text', role: 'alert' }, icon('error'), h('span', null, s.message)));
  return [card];
}

function summary(r: PendingRequest, ctx: RenderContext): Node {
  switch (r.kind) {
    case 'commandApproval':
      return h('code', { class: 'cmd' }, r.command);
    case 'fileChangeApproval':
      return h('span', { class: 'muted' }, r.changes.map((c) => relativePath(c.path, ctx.model.session?.cwd)).join(', '));
    case 'userInput':
      return h('span', { class: 'muted' }, r.questions.map((q) => q.question).join(' · '));
    case 'elicitation':
      return h('span', { class: 'muted' }, r.message);
    case 'toolCall':
      return h('code', { class: 'cmd' }, r.tool);
    case 'permissionsApproval':
      return h('span', { class: 'muted' }, r.reason ?? '');
  }
}

function body(r: PendingRequest, ctx: RenderContext): Node[] {
  const out: Node[] = [];
  const field = (label: string, value: string | undefined, mono = false): void => {
    if (value) out.push(h('div', { class: 'field' }, h('span', { class: 'field-label' }, label), mono ? h('code', { class: 'cmd' }, value) : h('span', null, value)));
  };
  switch (r.kind) {
    case 'commandApproval':
      out.push(h('pre', { class: 'output cmd-block', tabindex: 0, aria: { label: 'Command' } }, r.command));
      field('Directory', r.cwd);
      field('Reason', r.reason);
      break;
    case 'fileChangeApproval':
      out.push(fileList(r.changes, ctx.model.session?.cwd, { requestId: r.id }));
      field('Reason', r.reason);
      field('Also allow writes under', r.grantRoot ?? undefined, true);
      break;
    case 'permissionsApproval':
      field('Reason', r.reason);
      field('Directory', r.cwd);
      out.push(h('pre', { class: 'output json', tabindex: 0 }, json(r.permissions)));
      break;
    case 'userInput':
      for (const q of r.questions) out.push(questionForm(r.id, q, ctx));
      break;
    case 'elicitation':
      out.push(h('div', { class: 'user-text' }, r.message), h('div', { class: 'meta' }, icon('plug'), h('span', null, r.serverName)));
      if (r.url) out.push(h('a', { class: 'chip', role: 'link', tabindex: 0, title: r.url, data: { action: 'open-link', href: r.url } }, icon('link-external'), r.url));
      out.push(...schemaForm(r.id, r.requestedSchema, ctx));
      break;
    case 'toolCall':
      out.push(h('div', { class: 'field' }, h('span', { class: 'field-label' }, 'Tool'), h('code', { class: 'cmd' }, r.namespace ? `${r.namespace}.${r.tool}` : r.tool)));
      out.push(h('pre', { class: 'output json', tabindex: 0, aria: { label: 'Arguments' } }, json(r.arguments)));
      out.push(textInput(r.id, 'result', 'Result text', ctx, true));
      out.push(checkbox(r.id, 'success', 'Succeeded', ctx, true));
      break;
  }
  return out;
}

function actions(r: PendingRequest, busy: boolean, ctx: RenderContext): HTMLElement {
  const bar = h('div', { class: 'card-actions' });
  const button = (label: string, action: string, data: Record<string, string>, secondary: boolean): void => {
    const b = hc('vscode-button', { data: { action, requestId: r.id, focusId: `${r.id}:${label}`, ...data }, aria: { label } }, label) as HTMLElement & { secondary: boolean; disabled: boolean };
    b.secondary = secondary;
    b.disabled = busy;
    bar.appendChild(b);
  };
  if (r.kind === 'commandApproval' || r.kind === 'fileChangeApproval' || r.kind === 'permissionsApproval') {
    const decisions: ApprovalDecision[] = r.decisions.length ? r.decisions : ['accept', 'acceptForSession', 'decline'];
    decisions.forEach((d, i) => button(decisionButton(d), 'answer', { decision: d }, i > 0));
    if (r.kind === 'commandApproval' && r.execPolicyAmendment?.length) button(`Always allow “${r.execPolicyAmendment.join(' ')}”`, 'answer-amendment', {}, true);
  } else if (r.kind === 'userInput') {
    button('Submit', 'submit-input', {}, false);
  } else if (r.kind === 'elicitation') {
    button('Accept', 'answer-elicitation', { elicit: 'accept' }, false);
    button('Decline', 'answer-elicitation', { elicit: 'decline' }, true);
    button('Cancel', 'answer-elicitation', { elicit: 'cancel' }, true);
  } else {
    button('Send result', 'submit-tool', {}, false);
  }
  void ctx;
  return bar;
}

function decisionButton(d: ApprovalDecision): string {
  return d === 'accept' ? 'Accept' : d === 'acceptForSession' ? 'Accept for Session' : d === 'decline' ? 'Decline' : d === 'cancel' ? 'Cancel Turn' : decisionLabel(d);
}

function questionForm(requestId: string, q: UserInputQuestion, ctx: RenderContext): HTMLElement {
  const box = h('fieldset', { class: 'question' }, h('legend', null, q.header || 'Question'), h('div', { class: 'user-text' }, q.question));
  if (q.options.length) {
    const group = hc('vscode-radio-group', { attrs: { variant: 'vertical' }, aria: { label: q.question } });
    const chosen = ctx.ui.draft(requestId, `q:${q.id}`);
    for (const o of q.options) {
      const radio = hc('vscode-radio', { attrs: { name: `${requestId}:${q.id}`, value: o.label, label: o.description ? `${o.label} — ${o.description}` : o.label } }) as HTMLElement & { checked: boolean };
      radio.checked = chosen === o.label;
      radio.addEventListener('change', () => ctx.ui.setDraft(requestId, `q:${q.id}`, o.label));
      group.appendChild(radio);
    }
    box.appendChild(group);
  }
  if (q.allowOther || q.options.length === 0) box.appendChild(textInput(requestId, `o:${q.id}`, q.options.length ? 'Other answer' : 'Answer', ctx, false, q.secret));
  return box;
}

function textInput(requestId: string, field: string, label: string, ctx: RenderContext, multiline: boolean, secret = false): HTMLElement {
  const el = hc(multiline ? 'vscode-textarea' : 'vscode-textfield', { aria: { label }, attrs: { placeholder: label }, data: { focusId: `${requestId}:${field}` } }) as HTMLElement & { value: string; type: string };
  if (secret) el.type = 'password';
  el.value = ctx.ui.draft(requestId, field);
  el.addEventListener('input', () => ctx.ui.setDraft(requestId, field, el.value));
  return h('label', { class: 'form-row' }, h('span', { class: 'field-label' }, label), el);
}

function checkbox(requestId: string, field: string, label: string, ctx: RenderContext, fallback: boolean): HTMLElement {
  const el = hc('vscode-checkbox', { attrs: { label } }) as HTMLElement & { checked: boolean };
  const d = ctx.ui.draft(requestId, field);
  el.checked = d === '' ? fallback : d === 'true';
  if (d === '') ctx.ui.setDraft(requestId, field, String(fallback));
  el.addEventListener('change', () => ctx.ui.setDraft(requestId, field, String(el.checked)));
  return el;
}

interface SchemaProp {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
}

/** Fields for a flat JSON schema (strings, numbers, booleans, enums), as MCP elicitations use. */
function schemaForm(requestId: string, schema: unknown, ctx: RenderContext): Node[] {
  const props = schemaProperties(schema);
  return props.map(([name, p]) => {
    const label = p.title ?? name;
    if (p.type === 'boolean') return checkbox(requestId, `f:${name}`, label, ctx, false);
    if (Array.isArray(p.enum)) {
      const sel = hc('vscode-single-select', { aria: { label } }) as HTMLElement & { value: string };
      for (const v of p.enum) sel.appendChild(hc('vscode-option', { attrs: { value: String(v) } }, String(v)));
      sel.addEventListener('change', () => ctx.ui.setDraft(requestId, `f:${name}`, sel.value));
      return h('label', { class: 'form-row' }, h('span', { class: 'field-label' }, label), sel);
    }
    return textInput(requestId, `f:${name}`, label, ctx, false);
  });
}

export function schemaProperties(schema: unknown): Array<[string, SchemaProp]> {
  if (!schema || typeof schema !== 'object') return [];
  const props = (schema as { properties?: unknown }).properties;
  if (!props || typeof props !== 'object') return [];
  return Object.entries(props as Record<string, unknown>).flatMap(([k, v]) => (v && typeof v === 'object' ? [[k, v as SchemaProp] as [string, SchemaProp]] : []));
}
