/**
 * The `codex-fleet` launcher VS Code's terminals find on PATH (see `./terminalCli.ts`): it runs the
 * extension's own CLI bundle with the extension host's Node (Electron's, as Node, in desktop VS Code).
 * Pure (no `vscode`).
 */

/** The launcher scripts' text: POSIX sh and Windows cmd. */
export function launcherScripts(nodePath: string, cliScript: string): { sh: string; cmd: string } {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return {
    sh: [
      '#!/bin/sh',
      '# Written by the Codex Fleet extension: its own CLI, run with the Node of the VS Code extension host.',
      `ELECTRON_RUN_AS_NODE=1 exec ${q(nodePath)} ${q(cliScript)} "$@"`,
      '',
    ].join('\n'),
    cmd: [
      '@echo off',
      'rem Written by the Codex Fleet extension: its own CLI, run with the Node of the VS Code extension host.',
      'setlocal',
      'set ELECTRON_RUN_AS_NODE=1',
      `"${nodePath}" "${cliScript}" %*`,
      '',
    ].join('\r\n'),
  };
}
