// The platforms Codex Fleet ships a VSIX for, and what each one's native pieces are.
// One table, read by scripts/package.mjs (what to stage) and documented in docs/packaging.md.

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

/** @type {Record<string, Omit<Target, 'executables'>>} */
const BASE = {
  'linux-x64': { codexTriple: 'x86_64-unknown-linux-musl', exe: '', ptyFiles: ['pty.node'], ptySource: 'local' },
  'linux-arm64': { codexTriple: 'aarch64-unknown-linux-musl', exe: '', ptyFiles: ['pty.node'], ptySource: 'cross' },
  'darwin-x64': { codexTriple: 'x86_64-apple-darwin', exe: '', ptyFiles: ['pty.node', 'spawn-helper'], ptySource: 'prebuild' },
  'darwin-arm64': { codexTriple: 'aarch64-apple-darwin', exe: '', ptyFiles: ['pty.node', 'spawn-helper'], ptySource: 'prebuild' },
  'win32-x64': { codexTriple: 'x86_64-pc-windows-msvc', exe: '.exe', ptyFiles: WIN_PTY, ptySource: 'prebuild' },
  'win32-arm64': { codexTriple: 'aarch64-pc-windows-msvc', exe: '.exe', ptyFiles: WIN_PTY, ptySource: 'prebuild' },
};

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
