/**
 * An agent's integrated terminal: a `vscode.Pseudoterminal` bridged to the pty the sidecar owns.
 * Open → `agents/attach {name, cols, rows}` → the returned screen, then `agents/output` as it
 * comes (raw pty bytes: full colour); keystrokes → `agents/input`; size → `agents/resize`;
 * closing the terminal → `agents/detach` (the agent keeps running). A dropped sidecar connection
 * is said in the terminal and the terminal reattaches when the connection is back.
 */
import * as vscode from 'vscode';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { AgentsAttach, AgentsDetach, AgentsInput, AgentsResize } from '../../protocol/sidecarProtocol';
import type { Fleet } from '../connection/fleet';
import type { FolderConnection } from '../connection/folderConnection';
import type { Log } from '../log';
import { describeError } from '../log';

/** Undo what a full-screen TUI may have switched on, before we print a line of our own. */
const RESET_MODES = '\x1b[?1049l\x1b[?25h\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[0m';
const note = (text: string): string => `${RESET_MODES}\r\n\x1b[2m[codex-fleet: ${text}]\x1b[0m\r\n`;

type Phase = 'closed' | 'attaching' | 'attached' | 'offline' | 'gone';

export class AgentPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly subs: vscode.Disposable[] = [];
  private phase: Phase = 'closed';
  private size: { cols: number; rows: number } | undefined;
  /** Output that arrived while the attach request was in flight (written after the screen). */
  private early: string[] = [];
  private attempt = 0;

  constructor(
    private readonly fleet: Fleet,
    readonly folderKey: string,
    readonly name: string,
    private readonly log: Log,
  ) {}

  /** The agent was destroyed: this terminal shows its last screen only. */
  get gone(): boolean {
    return this.phase === 'gone';
  }

  open(initial: vscode.TerminalDimensions | undefined): void {
    if (initial) this.size = { cols: initial.columns, rows: initial.rows };
    this.subs.push(
      this.fleet.onAgentOutput((o) => {
        if (o.folder.key !== this.folderKey || o.name !== this.name) return;
        if (this.phase === 'attached') this.writeEmitter.fire(o.data);
        else if (this.phase === 'attaching') this.early.push(o.data);
      }),
      this.fleet.onDidChange((c) => {
        if (c?.folder.key !== this.folderKey || !c.change.connection) return;
        if (c.folder.store.connection !== 'connected' && (this.phase === 'attached' || this.phase === 'attaching')) {
          this.phase = 'offline';
          this.writeEmitter.fire(note('the sidecar connection was lost; reconnecting…'));
        }
      }),
      this.fleet.onDidConnect(({ folder }) => {
        if (folder.key === this.folderKey && (this.phase === 'offline' || this.phase === 'attaching')) void this.attach();
      }),
      this.fleet.onEvent(({ folder, event }) => {
        if (folder.key === this.folderKey && event.kind === 'agent/removed' && event.name === this.name && this.phase !== 'closed') {
          this.phase = 'gone';
          this.writeEmitter.fire(note(`agent ${this.name} was destroyed`));
        }
      }),
    );
    void this.attach();
  }

  private folder(): FolderConnection | undefined {
    return this.fleet.get(this.folderKey);
  }

  private async attach(): Promise<void> {
    const folder = this.folder();
    const attempt = ++this.attempt;
    this.phase = 'attaching';
    this.early = [];
    if (!folder || folder.store.connection !== 'connected') {
      this.writeEmitter.fire(note('waiting for the sidecar…'));
      return; // onDidConnect attaches
    }
    try {
      const { screen } = await folder.client.request(AgentsAttach, { name: this.name, ...this.size });
      if (attempt !== this.attempt || this.phase !== 'attaching') return;
      this.phase = 'attached';
      this.writeEmitter.fire(screen);
      for (const d of this.early) this.writeEmitter.fire(d);
      this.early = [];
    } catch (e) {
      if (attempt !== this.attempt || this.phase !== 'attaching') return;
      if (FleetError.is(e, ErrorCodes.AgentNotFound)) {
        this.phase = 'gone';
        this.writeEmitter.fire(note(`there is no agent named ${this.name} any more`));
        return;
      }
      this.log.warn(`agent ${this.name}: attach failed: ${describeError(e, false)}`);
      if (folder.store.connection === 'connected') {
        this.phase = 'offline';
        this.writeEmitter.fire(note(`could not attach: ${describeError(e, false)} (reopen the terminal to try again)`));
      }
      // not connected any more: onDidConnect tries again
    }
  }

  handleInput(data: string): void {
    if (this.phase !== 'attached') return;
    this.folder()?.client.notify(AgentsInput, { name: this.name, data });
  }

  setDimensions(d: vscode.TerminalDimensions): void {
    this.size = { cols: d.columns, rows: d.rows };
    if (this.phase === 'attached') this.folder()?.client.notify(AgentsResize, { name: this.name, ...this.size });
  }

  /** The user closed the terminal: detach (the agent keeps running). */
  close(): void {
    const wasAttached = this.phase === 'attached';
    this.phase = 'closed';
    this.attempt++;
    this.disposeSubs();
    const folder = this.folder();
    if (wasAttached && folder?.store.connection === 'connected') {
      folder.client.request(AgentsDetach, { name: this.name }).catch((e: unknown) => this.log.info(`agent ${this.name}: detach: ${describeError(e, false)}`));
    }
  }

  private disposeSubs(): void {
    for (const s of this.subs.splice(0)) s.dispose();
  }

  dispose(): void {
    this.disposeSubs();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}

/** One integrated terminal per agent: reused while open, recreated after it was closed. */
export class AgentTerminals implements vscode.Disposable {
  private readonly open = new Map<string, { terminal: vscode.Terminal; pty: AgentPty }>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly log: Log,
  ) {
    this.subs.push(
      vscode.window.onDidCloseTerminal((t) => {
        for (const [key, entry] of this.open) {
          if (entry.terminal !== t) continue;
          this.open.delete(key);
          entry.pty.dispose();
        }
      }),
    );
  }

  /** Show the agent's terminal (creating and attaching it if needed). */
  show(folder: FolderConnection, name: string, preserveFocus = false): vscode.Terminal {
    const key = `${folder.key}|${name}`;
    const existing = this.open.get(key);
    if (existing && !existing.pty.gone) {
      existing.terminal.show(preserveFocus);
      return existing.terminal;
    }
    existing?.terminal.dispose();
    const pty = new AgentPty(this.fleet, folder.key, name, this.log);
    const terminal = vscode.window.createTerminal({
      name: this.fleet.multiRoot ? `Codex agent: ${name} (${folder.folder.name})` : `Codex agent: ${name}`,
      pty,
      iconPath: new vscode.ThemeIcon('hubot'),
      isTransient: true,
    });
    this.open.set(key, { terminal, pty });
    terminal.show(preserveFocus);
    return terminal;
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    for (const { terminal, pty } of this.open.values()) {
      terminal.dispose();
      pty.dispose();
    }
    this.open.clear();
  }
}
