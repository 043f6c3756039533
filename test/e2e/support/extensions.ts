/**
 * Getting an extension into a throwaway code-server.
 *
 * - A folder is *linked*: an entry in `<extensions-dir>/extensions.json` whose location is the folder
 *   itself. Nothing is copied, so the real extension keeps its node_modules (node-pty's native addon,
 *   the ~400 MB @openai/codex binary) where they are; ~1 ms. Works whether or not extensions.json
 *   exists yet (unlike copying a folder into the dir).
 * - A .vsix goes through `code-server --install-extension` (~0.7 s plus unzip time).
 * - VSIXes themselves come from `npm run package` (scripts/package.mjs, docs/packaging.md).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, NODE24 } from './tools';

interface ExtensionManifest {
  readonly publisher: string;
  readonly name: string;
  readonly version: string;
}

interface ExtensionsJsonEntry {
  identifier: { id: string };
  version: string;
  location: { $mid: 1; path: string; scheme: 'file' };
  relativeLocation?: string;
  metadata?: Record<string, unknown>;
}

export function readManifest(extensionDir: string): ExtensionManifest {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8'));
  if (typeof pkg !== 'object' || pkg === null) throw new Error(`${extensionDir}/package.json is not an object`);
  const { publisher, name, version } = pkg as Record<string, unknown>;
  if (typeof publisher !== 'string' || typeof name !== 'string' || typeof version !== 'string') {
    throw new Error(`${extensionDir}/package.json needs publisher, name and version`);
  }
  return { publisher, name, version };
}

/** `publisher.name`, lower-cased as VS Code compares ids. */
export function extensionId(extensionDir: string): string {
  const m = readManifest(extensionDir);
  return `${m.publisher}.${m.name}`.toLowerCase();
}

export interface InstallOptions {
  /** code-server's --user-data-dir (only used for .vsix installs). */
  userDataDir?: string;
  /** Directory for XDG_* so code-server's CLI does not write into ~ (only for .vsix installs). */
  xdgDir?: string;
}

/** Install a folder (linked) or a .vsix into `extensionsDir`. Returns the extension id. */
export function installExtension(source: string, extensionsDir: string, opts: InstallOptions = {}): string {
  const abs = path.resolve(source);
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (abs.endsWith('.vsix')) return installVsix(abs, extensionsDir, opts);
  const { publisher, name, version } = readManifest(abs);
  const id = `${publisher}.${name}`.toLowerCase();
  const file = path.join(extensionsDir, 'extensions.json');
  const entries: ExtensionsJsonEntry[] = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ExtensionsJsonEntry[]) : [];
  const kept = entries.filter((e) => e.identifier.id.toLowerCase() !== id);
  kept.push({
    identifier: { id },
    version,
    location: { $mid: 1, path: abs, scheme: 'file' },
    metadata: { installedTimestamp: Date.now(), source: 'vsix', pinned: true },
  });
  fs.writeFileSync(file, JSON.stringify(kept));
  return id;
}

function installVsix(vsix: string, extensionsDir: string, opts: InstallOptions): string {
  const scratch = opts.xdgDir ?? path.join(extensionsDir, '..', 'xdg');
  const userDataDir = opts.userDataDir ?? path.join(extensionsDir, '..', 'user-data');
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(scratch, 'config'),
    XDG_DATA_HOME: path.join(scratch, 'data'),
    XDG_CACHE_HOME: path.join(scratch, 'cache'),
    EXTENSIONS_GALLERY: '{}',
  };
  const args = [CODE_SERVER_ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
  const res = spawnSync(NODE24, args, { env, encoding: 'utf8' });
  if (res.status !== 0 || !/successfully installed/.test(res.stdout)) {
    throw new Error(`installing ${vsix} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
  const match = /Extension '(.+)' was successfully installed/.exec(res.stdout);
  return match?.[1] ?? path.basename(vsix, '.vsix');
}

/** Where `id` is installed in `extensionsDir` (its extensions.json entry), or undefined. */
export function installedExtensionPath(extensionsDir: string, id: string): string | undefined {
  const file = path.join(extensionsDir, 'extensions.json');
  if (!fs.existsSync(file)) return undefined;
  const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as ExtensionsJsonEntry[];
  const entry = entries.find((e) => e.identifier.id.toLowerCase() === id.toLowerCase());
  if (!entry) return undefined;
  return entry.relativeLocation ? path.join(extensionsDir, entry.relativeLocation) : entry.location.path;
}
