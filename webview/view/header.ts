/**
 * The panel header (session name, activity, model, cwd; toolbar: find, copy as Markdown, export)
 * and the banner for errors and runtime trouble.
 */
import type { SessionActivity } from '../../protocol/types';
import type { TranscriptModel } from '../model/transcriptModel';
import { h, hc, icon } from './dom';

const ACTIVITY: Record<SessionActivity, [string, string]> = {
  notLoaded: ['Not loaded', 'circle-outline'],
  idle: ['Idle', 'circle-large-outline'],
  running: ['Running', 'loading codicon-modifier-spin'],
  waitingOnApproval: ['Needs approval', 'bell-dot'],
  waitingOnUserInput: ['Needs input', 'comment-unresolved'],
  systemError: ['Error', 'error'],
};

export class Header {
  readonly el: HTMLElement;
  readonly banner: HTMLElement;
  private readonly title: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly status: HTMLElement;
  private bannerText = '';

  constructor() {
    this.title = h('h1', { class: 'session-title' }, 'Loading transcript…');
    this.status = h('span', { class: 'session-status', role: 'status' });
    this.meta = h('div', { class: 'session-meta muted' });
    const tool = (action: string, iconName: string, label: string): HTMLElement => {
      const b = hc('vscode-toolbar-button', { data: { action }, title: label, aria: { label } }) as HTMLElement & { icon: string; label: string };
      b.icon = iconName;
      b.label = label;
      return b;
    };
    const toolbar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', aria: { label: 'Transcript actions' } },
      tool('find', 'search', 'Find in transcript (Ctrl+F)'),
      tool('copy-markdown', 'copy', 'Copy transcript as Markdown'),
      tool('export-markdown', 'markdown', 'Export as Markdown'),
      tool('export-json', 'json', 'Export as JSON'),
    );
    this.el = h('header', { class: 'header' }, h('div', { class: 'header-main' }, this.title, this.status, toolbar), this.meta);
    this.banner = h('div', { class: 'banner', role: 'alert', attrs: { hidden: true } });
  }

  update(model: TranscriptModel): void {
    const s = model.session;
    if (!s) return;
    const name = s.name || s.preview || s.id;
    this.title.textContent = name.length > 120 ? `${name.slice(0, 119)}…` : name;
    this.title.title = name;
    document.title = `Codex: ${this.title.textContent}`;
    const activity = model.isRunning && s.activity === 'idle' ? 'running' : s.activity;
    const [label, iconName] = ACTIVITY[activity] ?? ['', 'circle-outline'];
    this.status.replaceChildren(icon(iconName), h('span', null, s.archived ? `${label} · archived` : label));
    this.status.className = `session-status ${activity}`;
    this.meta.replaceChildren(
      ...(s.model ? [h('span', null, icon('hubot'), ` ${s.model}`)] : []),
      h('span', { title: s.cwd }, icon('folder'), ` ${s.cwd}`),
      h('span', { title: s.id }, icon('key'), ` ${s.id.slice(0, 8)}`),
    );
    const rt = model.runtime;
    const runtimeProblem = rt && rt.state !== 'ready' ? `Codex is ${rt.state}${rt.lastError ? `: ${rt.lastError}` : ''}` : '';
    if (runtimeProblem || this.bannerText.startsWith('Codex is ')) this.showBanner(runtimeProblem);
  }

  /** Show (or with '' hide) the banner. */
  showBanner(text: string): void {
    this.bannerText = text;
    this.banner.hidden = !text;
    this.banner.replaceChildren(...(text ? [icon('warning'), h('span', null, text)] : []));
  }
}
