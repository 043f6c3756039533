/**
 * The editor-side effects a transcript asks for, with the vscode API: links (through the link
 * policy, `env.openExternal` or the editor — the webview never navigates), files, diffs, the
 * clipboard, export, and picking images to attach.
 */
import { basename, extname, isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { TurnControls } from '../../protocol/types';
import type { AttachedImage, DiffTarget, ExportFormat, ThemeKind } from '../../protocol/webviewProtocol';
import { showChangesDiff, type DiffDocuments } from './diffDocuments';
import { classifyLink } from './linkPolicy';
import type { TranscriptUi } from './transcriptController';

export interface TranscriptUiOptions {
  log?: (message: string) => void;
  /** Defaults for new turns (shown as the composer's placeholders). */
  defaults?: () => TurnControls | undefined;
}

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };
const MAX_PREVIEW_BYTES = 1_500_000;

export function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}

export class VscodeTranscriptUi implements TranscriptUi {
  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly diffs: DiffDocuments,
    private readonly options: TranscriptUiOptions,
  ) {}

  log(message: string): void {
    this.options.log?.(message);
  }

  theme(): ThemeKind {
    return themeKind(vscode.window.activeColorTheme.kind);
  }

  defaults(): TurnControls | undefined {
    return this.options.defaults?.();
  }

  setTitle(title: string): void {
    const short = title.replace(/\s+/g, ' ').trim();
    this.panel.title = `Codex: ${short.length > 40 ? `${short.slice(0, 39)}…` : short}`;
  }

  async openLink(url: string, cwd: string): Promise<void> {
    const target = classifyLink(url, cwd);
    if (target.kind === 'external') {
      await vscode.env.openExternal(vscode.Uri.parse(target.uri, true));
    } else if (target.kind === 'file') {
      await this.openPath(target.path, target.line, target.column);
    } else {
      this.log(`transcript: refused to open a link (${target.reason})`);
      vscode.window.setStatusBarMessage(`Codex Fleet: link not opened — ${target.reason}`, 5000);
    }
  }

  async openFile(path: string, cwd: string): Promise<void> {
    if (!path || path.includes('\0')) return;
    await this.openPath(isAbsolute(path) || !cwd ? path : resolve(cwd, path));
  }

  private async openPath(path: string, line?: number, column?: number): Promise<void> {
    const uri = vscode.Uri.file(path);
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showWarningMessage(`Codex Fleet: ${path} does not exist.`);
      return;
    }
    if (stat.type & vscode.FileType.Directory) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    }
    const options: vscode.TextDocumentShowOptions = { preview: true };
    if (line) {
      const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, (column ?? 1) - 1));
      options.selection = new vscode.Range(pos, pos);
    }
    await vscode.commands.executeCommand('vscode.open', uri, options);
  }

  openDiff(target: DiffTarget, cwd: string): Promise<void> {
    return showChangesDiff(this.diffs, target, cwd);
  }

  async copy(text: string, what: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Codex Fleet: ${what} copied`, 3000);
  }

  async save(format: ExportFormat, content: string, suggestedName: string): Promise<void> {
    const ext = format === 'json' ? 'json' : 'md';
    const safe = suggestedName.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'transcript';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${safe}.${ext}`) : undefined,
      filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
      saveLabel: 'Export Transcript',
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    const open = await vscode.window.showInformationMessage(`Transcript exported to ${basename(uri.fsPath)}.`, 'Open');
    if (open) await vscode.commands.executeCommand('vscode.open', uri);
  }

  async pickImages(): Promise<AttachedImage[]> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true,
      canSelectFolders: false,
      openLabel: 'Attach',
      filters: { Images: Object.keys(IMAGE_TYPES).map((e) => e.slice(1)) },
    });
    const out: AttachedImage[] = [];
    for (const uri of picked ?? []) {
      const mime = IMAGE_TYPES[extname(uri.fsPath).toLowerCase()];
      const image: AttachedImage = { path: uri.fsPath, name: basename(uri.fsPath) };
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (mime && stat.size <= MAX_PREVIEW_BYTES) image.preview = `data:${mime};base64,${Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('base64')}`;
      } catch {
        continue;
      }
      out.push(image);
    }
    return out;
  }
}
