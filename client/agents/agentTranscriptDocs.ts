/**
 * An agent's common transcript (user / assistant messages, tool calls and results) as a read-only
 * Markdown document (`codex-fleet-agent:` scheme), refreshed while open as the agent changes.
 */
import * as vscode from 'vscode';
import { AgentsTranscript } from '../../protocol/sidecarProtocol';
import type { Fleet } from '../connection/fleet';
import { transcriptMarkdown } from './agentText';

export const AGENT_TRANSCRIPT_SCHEME = 'codex-fleet-agent';
const REFRESH_MS = 300;

export class AgentTranscriptDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subs: vscode.Disposable[] = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly fleet: Fleet) {
    this.subs.push(
      vscode.workspace.registerTextDocumentContentProvider(AGENT_TRANSCRIPT_SCHEME, this),
      fleet.onEvent(({ folder, event }) => {
        if (event.kind === 'agent/updated') this.refreshSoon(AgentTranscriptDocs.uri(folder.key, event.agent.name));
      }),
    );
  }

  static uri(folderKey: string, name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: AGENT_TRANSCRIPT_SCHEME, path: `/${name}.md`, query: new URLSearchParams({ folder: folderKey }).toString() });
  }

  private refreshSoon(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.pending.has(key) || !vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.changeEmitter.fire(uri);
      }, REFRESH_MS),
    );
  }

  async open(folderKey: string, name: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(AgentTranscriptDocs.uri(folderKey, name));
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const name = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const folderKey = new URLSearchParams(uri.query).get('folder') ?? undefined;
    const ref = this.fleet.findAgent(name, folderKey);
    if (!ref) return `# Agent ${name}\n\nThis agent does not exist (any more).\n`;
    const entries: unknown[] = [];
    let since = 0;
    for (let i = 0; i < 100; i++) {
      const page = await ref.folder.client.request(AgentsTranscript, { name, since });
      entries.push(...page.entries);
      if (page.entries.length === 0 || page.next <= since) break;
      since = page.next;
    }
    return transcriptMarkdown(ref.agent, entries);
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    for (const s of this.subs) s.dispose();
    this.changeEmitter.dispose();
  }
}
