/**
 * Which links from model output the host follows, and how. The webview never navigates: it posts
 * the raw URL and this decides. http(s) and mailto open externally (VS Code asks the user for
 * untrusted domains); file URLs and paths open in the editor (with `:line[:col]` or `#L12`);
 * everything else — `command:`, `vscode:`, `javascript:`, `data:` ... — is refused. Pure.
 */
import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

export type LinkTarget =
  | { kind: 'external'; uri: string }
  | { kind: 'file'; path: string; line?: number; column?: number }
  | { kind: 'refused'; reason: string };

const MAX_LENGTH = 8192;

/** `windows`: paths and file URLs are Windows ones (default: when running on Windows). */
export function classifyLink(raw: string, cwd: string, windows = process.platform === 'win32'): LinkTarget {
  const url = raw.trim();
  if (!url) return { kind: 'refused', reason: 'empty link' };
  if (url.length > MAX_LENGTH) return { kind: 'refused', reason: 'link too long' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url)) return { kind: 'refused', reason: 'control characters in link' };
  if (url.startsWith('#')) return { kind: 'refused', reason: 'in-page anchors do nothing here' };
  const windowsPath = /^[a-z]:[\\/]/i.test(url);
  const scheme = windowsPath ? undefined : /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https' || scheme === 'mailto') {
    try {
      const parsed = new URL(url);
      if ((scheme === 'http' || scheme === 'https') && !parsed.hostname) return { kind: 'refused', reason: 'no host' };
      return { kind: 'external', uri: parsed.href };
    } catch {
      return { kind: 'refused', reason: 'malformed URL' };
    }
  }
  if (scheme === 'file') {
    try {
      const parsed = new URL(url);
      if (parsed.hostname && parsed.hostname !== 'localhost') return { kind: 'refused', reason: 'remote file URL' };
      parsed.hostname = '';
      // Drive letters and backslashes on Windows; throws for encoded separators and relative paths.
      return withPosition(fileURLToPath(parsed, { windows }), parsed.hash);
    } catch {
      return { kind: 'refused', reason: 'malformed file URL' };
    }
  }
  if (scheme) return { kind: 'refused', reason: `links with the ${scheme}: scheme are not opened` };
  // A path, relative to the session's cwd; drop a query, keep a #L fragment or :line:col suffix.
  const hashAt = url.indexOf('#');
  const hash = hashAt >= 0 ? url.slice(hashAt) : '';
  let path = (hashAt >= 0 ? url.slice(0, hashAt) : url).replace(/\?.*$/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep it as written
  }
  const target = withPosition(path, hash);
  if (target.kind !== 'file') return target;
  const paths = windows ? win32 : posix;
  return { ...target, path: paths.isAbsolute(target.path) || windowsPath ? target.path : paths.resolve(cwd, target.path) };
}

function withPosition(path: string, hash: string): LinkTarget {
  let line: number | undefined;
  let column: number | undefined;
  const frag = /^#L(\d+)(?:C(\d+))?/i.exec(hash);
  if (frag) {
    line = +frag[1];
    column = frag[2] ? +frag[2] : undefined;
  }
  const suffix = /:(\d+)(?::(\d+))?$/.exec(path);
  if (suffix && !/^[a-z]:$/i.test(path.slice(0, suffix.index))) {
    path = path.slice(0, suffix.index);
    line ??= +suffix[1];
    column ??= suffix[2] ? +suffix[2] : undefined;
  }
  if (!path) return { kind: 'refused', reason: 'empty path' };
  return { kind: 'file', path, line, column };
}
