/**
 * The composer: Send when idle; Steer / Queue / Interrupt while a turn runs; the queued follow-ups
 * (removable); per-turn controls (model, effort, approval policy, sandbox); attached images.
 * Enter sends (or steers), Shift+Enter is a new line, Ctrl/Cmd+Enter queues while running.
 */
import { APPROVAL_POLICIES, REASONING_EFFORTS, SANDBOX_MODES, type QueuedMessage, type TurnControls } from '../../protocol/types';
import type { AttachedImage, MessageDraft } from '../../protocol/webviewProtocol';
import type { TranscriptModel } from '../model/transcriptModel';
import { actionButton, baseName, h, hc, icon } from './dom';

export type SendKind = 'send' | 'steer' | 'queue';

export interface ComposerActions {
  /** Resolves true when the host accepted the message (the draft is then cleared). */
  submit(kind: SendKind, draft: MessageDraft, controls: TurnControls | undefined): Promise<boolean>;
  interrupt(): Promise<void>;
  removeQueued(queuedId: string): void;
  attachImages(): Promise<AttachedImage[]>;
}

type ValueEl = HTMLElement & { value: string; disabled: boolean };

const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp);base64,[a-z0-9+/=]+$/i;

export class Composer {
  readonly el: HTMLElement;
  private readonly input: ValueEl;
  private readonly queueBox: HTMLElement;
  private readonly attachBox: HTMLElement;
  private readonly buttons: HTMLElement;
  private readonly status: HTMLElement;
  private readonly model: ValueEl;
  private readonly effort: ValueEl;
  private readonly approval: ValueEl;
  private readonly sandbox: ValueEl;
  private images: AttachedImage[] = [];
  private running: boolean | undefined;
  private busy = false;
  private queueSig = '';

  constructor(private readonly actions: ComposerActions) {
    this.queueBox = h('div', { class: 'queue', aria: { label: 'Queued messages', live: 'polite' } });
    this.attachBox = h('div', { class: 'attachments' });
    this.input = hc('vscode-textarea', {
      class: 'composer-input',
      aria: { label: 'Message to Codex' },
      attrs: { rows: '3', resize: 'vertical', placeholder: 'Message Codex — Enter to send, Shift+Enter for a new line' },
    }) as ValueEl;
    this.input.addEventListener('keydown', (ev) => this.onKey(ev));
    this.model = hc('vscode-textfield', { class: 'ctl-model', aria: { label: 'Model for the next turn' }, attrs: { placeholder: 'model (default)' } }) as ValueEl;
    this.effort = select('Reasoning effort', 'effort', REASONING_EFFORTS);
    this.approval = select('Approval policy', 'approval', APPROVAL_POLICIES);
    this.sandbox = select('Sandbox', 'sandbox', SANDBOX_MODES);
    const controls = h('div', { class: 'controls', role: 'group', aria: { label: 'Per-turn controls' } }, this.model, this.effort, this.approval, this.sandbox);
    this.buttons = h('div', { class: 'composer-buttons' });
    this.status = h('div', { class: 'composer-status', role: 'status', aria: { live: 'polite' } });
    this.el = h('div', { class: 'composer' }, this.queueBox, this.attachBox, this.input, h('div', { class: 'composer-bar' }, controls, this.buttons), this.status);
    this.el.addEventListener('click', (ev) => this.onClick(ev));
  }

  focus(): void {
    this.input.focus();
  }

  setDefaults(defaults: TurnControls | undefined): void {
    (this.model as unknown as { placeholder: string }).placeholder = defaults?.model ? `model (default: ${defaults.model})` : 'model (default)';
  }

  /** Reflect the session: running state, queue. Cheap when nothing changed. */
  update(model: TranscriptModel): void {
    const running = model.isRunning;
    if (running !== this.running) {
      this.running = running;
      this.renderButtons();
    }
    const sig = model.queue.map((q) => q.id).join(',');
    if (sig !== this.queueSig) {
      this.queueSig = sig;
      this.renderQueue(model.queue);
    }
  }

  setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error-text', error);
  }

  private renderButtons(): void {
    const b = (label: string, action: string, iconName: string, secondary: boolean, title: string): HTMLElement => {
      const el = hc('vscode-button', { data: { action }, title, aria: { label: title } }, label) as HTMLElement & { secondary: boolean; icon: string; disabled: boolean };
      el.secondary = secondary;
      el.icon = iconName;
      el.disabled = this.busy;
      return el;
    };
    const attach = b('', 'attach', 'file-media', true, 'Attach images');
    (attach as HTMLElement & { iconOnly: boolean }).iconOnly = true;
    if (this.running) {
      this.buttons.replaceChildren(
        attach,
        b('Steer', 'steer', 'debug-step-into', false, 'Steer: add this to the running turn now (Enter)'),
        b('Queue', 'queue', 'list-ordered', true, 'Queue: send when the turn ends (Ctrl+Enter)'),
        b('Interrupt', 'interrupt', 'debug-stop', true, 'Interrupt the running turn'),
      );
    } else {
      this.buttons.replaceChildren(attach, b('Send', 'send', 'send', false, 'Send (Enter)'));
    }
  }

  private renderQueue(queue: QueuedMessage[]): void {
    if (!queue.length) {
      this.queueBox.replaceChildren();
      return;
    }
    const list = h('ol', { class: 'queue-list' });
    for (const q of queue) {
      list.appendChild(
        h(
          'li',
          { class: 'queued' },
          icon('clock'),
          h('span', { class: 'queued-text', title: q.text }, q.text || '(images only)'),
          q.images.length ? h('span', { class: 'muted' }, `+${q.images.length} image(s)`) : null,
          actionButton('remove-queued', 'Remove from queue', 'close', { queuedId: q.id }),
        ),
      );
    }
    this.queueBox.replaceChildren(h('div', { class: 'muted small' }, `Queued for when the turn ends (${queue.length})`), list);
  }

  private renderAttachments(): void {
    this.attachBox.replaceChildren(
      ...this.images.map((img, i) => {
        const chip = h('span', { class: 'chip attachment', title: img.path });
        if (img.preview && SAFE_DATA_IMAGE.test(img.preview)) {
          const thumb = h('img', { class: 'thumb', attrs: { alt: '' } });
          thumb.src = img.preview;
          chip.appendChild(thumb);
        } else chip.appendChild(icon('file-media'));
        chip.append(baseName(img.name || img.path), actionButton('remove-attachment', `Remove ${img.name}`, 'close', { index: String(i) }));
        return chip;
      }),
    );
  }

  private controls(): TurnControls | undefined {
    const c: TurnControls = {};
    if (this.model.value.trim()) c.model = this.model.value.trim();
    if (this.effort.value) c.effort = this.effort.value as TurnControls['effort'];
    if (this.approval.value) c.approvalPolicy = this.approval.value as TurnControls['approvalPolicy'];
    if (this.sandbox.value) c.sandbox = this.sandbox.value as TurnControls['sandbox'];
    return Object.keys(c).length ? c : undefined;
  }

  private onKey(ev: KeyboardEvent): void {
    if (ev.key !== 'Enter' || ev.shiftKey || ev.isComposing) return;
    ev.preventDefault();
    if ((ev.ctrlKey || ev.metaKey) && this.running) void this.submit('queue');
    else void this.submit(this.running ? 'steer' : 'send');
  }

  private onClick(ev: Event): void {
    const el = (ev.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!el || !this.el.contains(el)) return;
    const action = el.dataset.action;
    if (action === 'send' || action === 'steer' || action === 'queue') void this.submit(action);
    else if (action === 'interrupt') void this.actions.interrupt();
    else if (action === 'remove-queued' && el.dataset.queuedId) this.actions.removeQueued(el.dataset.queuedId);
    else if (action === 'remove-attachment') {
      this.images.splice(Number(el.dataset.index), 1);
      this.renderAttachments();
    } else if (action === 'attach') {
      void this.actions.attachImages().then((imgs) => {
        this.images.push(...imgs);
        this.renderAttachments();
      });
    }
  }

  private async submit(kind: SendKind): Promise<void> {
    const text = this.input.value.trim();
    if ((!text && !this.images.length) || this.busy) return;
    this.setBusy(true);
    this.setStatus(kind === 'send' ? 'Sending…' : kind === 'steer' ? 'Steering…' : 'Queueing…');
    const ok = await this.actions.submit(kind, { text, images: this.images.map((i) => i.path) }, kind === 'steer' ? undefined : this.controls());
    this.setBusy(false);
    if (ok) {
      this.input.value = '';
      this.images = [];
      this.renderAttachments();
      this.setStatus(kind === 'queue' ? 'Queued.' : '');
      this.input.focus();
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    for (const b of Array.from(this.buttons.children)) (b as HTMLElement & { disabled: boolean }).disabled = busy;
  }
}

function select(label: string, name: string, values: readonly string[]): ValueEl {
  const sel = hc('vscode-single-select', { class: `ctl-${name}`, aria: { label }, title: label }) as ValueEl;
  sel.appendChild(hc('vscode-option', { attrs: { value: '' } }, `${label}: default`));
  for (const v of values) sel.appendChild(hc('vscode-option', { attrs: { value: v } }, `${label}: ${v}`));
  return sel;
}
