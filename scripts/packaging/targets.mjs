// The platforms Codex Fleet ships a VSIX for, and what each one's native pieces are.
// One table, read by scripts/package.mjs (what to stage) and documented in docs/packaging.md.
import { readFileSync } from 'node:fs';

/**
 * @typedef {object} Target
 * @property {string} codexTriple   vendor/<triple>/ inside the `@openai/codex@<pin>-<target>` package
 * @property {string} exe           '.exe' on Windows, '' elsewhere
 * @property {string[]} ptyFiles    node-pty's runtime natives, relative to prebuilds/<target>/
 * @property {'prebuild' | 'local' | 'cross'} ptySource
 *   prebuild: node-pty's own npm tarball ships them (darwin, win32);
 *   local: the build npm ci made in node_modules/node-pty/build/Release (this Linux x64 machine);
 *   cross: built from node-pty's sources with Debian's aarch64 cross compiler (scripts/packaging/ptyNatives.mjs)
 * @property {string[]} executables  staged paths (relative to the extension root) that need the exec bit
 */

const WIN_PTY = ['pty.node', 'conpty.node', 'conpty_console_list.node', 'winpty.dll', 'winpty-agent.exe', 'conpty/conpty.dll', 'conpty/OpenConsole.exe'];

/** Native pty files per OS. */
const PTY = {
  linux: { ptyFiles: ['pty.node'] },
  darwin: { ptyFiles: ['pty.node', 'spawn-helper'], ptySource: 'prebuild' },
  win32: { ptyFiles: WIN_PTY, ptySource: 'prebuild' },
};
/** Linux x64 is this machine's own build; Linux arm64 is cross-compiled. */
const LINUX_PTY_SOURCE = { 'linux-x64': 'local', 'linux-arm64': 'cross' };

/** The codex triples and exe suffixes: shared/codexPlatforms.json, the table the sidecar and tests read too. */
const CODEX = JSON.parse(readFileSync(new URL('../../shared/codexPlatforms.json', import.meta.url), 'utf8'));

/** @type {Record<string, Omit<Target, 'executables'>>} */
const BASE = Object.fromEntries(
  Object.entries(CODEX).map(([target, { triple, exe }]) => {
    const pty = PTY[target.split('-')[0]];
    return [target, { codexTriple: triple, exe, ptyFiles: pty.ptyFiles, ptySource: pty.ptySource ?? LINUX_PTY_SOURCE[target] }];
  }),
);

export const TARGET_NAMES = Object.keys(BASE);

/**
 * Parts of the codex platform package that neither `codex app-server` nor the TUI runs: the
 * code-mode host (~70 MB) and the voice runtime (~50 MB). Relative to vendor/<triple>/.
 * Kept: bin/codex, codex-path/rg (file search), codex-resources/bwrap (Linux sandbox),
 * codex-resources/codex-command-runner.exe and codex-windows-sandbox-setup.exe (Windows sandbox).
 */
export function codexOmitted(target) {
  const { exe } = BASE[target];
  return [`bin/codex-code-mode-host${exe}`, 'codex-resources/voice'];
}

/** @returns {Target} */
export function targetInfo(target) {
  const base = BASE[target];
  if (!base) throw new Error(`unknown target ${target} (known: ${TARGET_NAMES.join(', ')})`);
  const vendor = `node_modules/@openai/codex-${target}/vendor/${base.codexTriple}`;
  const executables = base.exe
    ? []
    : [
        `${vendor}/bin/codex`,
        `${vendor}/codex-path/rg`,
        ...(target.startsWith('linux') ? [`${vendor}/codex-resources/bwrap`] : []),
        ...base.ptyFiles.filter((f) => f === 'spawn-helper').map((f) => `node_modules/node-pty/prebuilds/${target}/${f}`),
      ];
  return { ...base, executables };
}
