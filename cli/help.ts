/**
 * Help text, generated from the same declarations the parser uses: `codex-fleet help [COMMAND...]`,
 * `codex-fleet COMMAND --help`.
 */
import { GLOBAL_FLAGS, flagName, resolvePath, type Command, type CommandEntry, type FlagSpec, type Group } from './args';
import { table } from './format';

const BIN = 'codex-fleet';

export function renderHelp(registry: readonly CommandEntry[], path: readonly string[]): string {
  const entry = resolvePath(registry, path);
  if (!entry) return topLevelHelp(registry);
  if (entry.kind === 'group') return groupHelp(entry);
  return commandHelp(entry, path.slice(0, -1));
}

function topLevelHelp(registry: readonly CommandEntry[]): string {
  const rows = registry.map((e) => [`  ${e.name}`, e.summary]);
  return [
    `${BIN} — drive Codex sessions through the workspace's Codex Fleet sidecar`,
    '',
    'Usage:',
    `  ${BIN} COMMAND [SUBCOMMAND] [ARGS] [OPTIONS]`,
    `  ${BIN} help COMMAND [SUBCOMMAND]`,
    '',
    'Commands:',
    ...table(undefined, rows),
    '',
    'Global options:',
    ...globalOptionLines(),
    '',
    'Exit codes: 0 ok · 1 error · 2 usage error · 3 turn failed or interrupted (send --wait) · 4 sidecar unavailable',
    '',
    'Environment:',
    ...table(undefined, [
      ['  CODEX_FLEET_STATE_DIR', 'where sidecars keep sockets, logs and state (default ~/.local/state/codex-fleet)'],
      ['  CODEX_FLEET_CODEX', 'the codex binary the sidecar runs (default: codex on PATH, then the pinned one)'],
      ['  CODEX_HOME', "Codex's configuration and credentials (default ~/.codex)"],
      ['  NO_COLOR', 'disable colours'],
    ]),
    '',
    `Run \`${BIN} COMMAND --help\` for a command's options. The sidecar is started on demand and keeps running`,
    'after the CLI exits, so turns continue in the background; it stops itself when idle.',
    '',
  ].join('\n');
}

function groupHelp(group: Group): string {
  const rows = group.commands.map((c) => [`  ${c.name}${usageArgs(c) ? ` ${usageArgs(c)}` : ''}`, c.summary]);
  return [
    `${BIN} ${group.name} — ${group.summary}`,
    ...paragraphs(group.description),
    '',
    'Usage:',
    `  ${BIN} ${group.name} SUBCOMMAND [ARGS] [OPTIONS]`,
    '',
    'Subcommands:',
    ...table(undefined, rows),
    '',
    'Global options:',
    ...globalOptionLines(),
    '',
    `Run \`${BIN} ${group.name} SUBCOMMAND --help\` for details.`,
    '',
  ].join('\n');
}

function commandHelp(command: Command, parents: readonly string[]): string {
  const full = [BIN, ...parents, command.name].join(' ');
  const lines = [`${full} — ${command.summary}`, ...paragraphs(command.description), '', 'Usage:', `  ${full}${usageSuffix(command)}`];
  if (command.positionals.length > 0) {
    lines.push('', 'Arguments:');
    lines.push(
      ...table(
        undefined,
        command.positionals.map((p) => {
          const choices = p.choices ? ` (${p.choices.join(' | ')})` : '';
          return [`  ${p.value ?? p.name.toUpperCase()}${p.rest ? '...' : ''}`, `${p.description}${choices}`];
        }),
      ),
    );
  }
  const flagRows = Object.entries(command.flags).map(([key, spec]) => [`  ${flagName(key)}${valueHint(spec)}`, flagDescription(spec)]);
  if (flagRows.length > 0) lines.push('', 'Options:', ...table(undefined, flagRows));
  lines.push('', 'Global options:', ...globalOptionLines());
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  lines.push('');
  return lines.join('\n');
}

function usageArgs(command: Command): string {
  return command.positionals
    .map((p) => {
      const label = `${p.value ?? p.name.toUpperCase()}${p.rest ? '...' : ''}`;
      return p.optional ? `[${label}]` : label;
    })
    .join(' ');
}

function usageSuffix(command: Command): string {
  const args = usageArgs(command);
  const options = Object.keys(command.flags).length > 0 ? ' [OPTIONS]' : '';
  return `${args ? ` ${args}` : ''}${options}`;
}

function valueHint(spec: FlagSpec): string {
  if (spec.type === 'boolean') return '';
  const value = spec.value ?? (spec.type === 'string' ? 'VALUE' : 'N');
  return spec.type === 'string' && spec.repeat ? ` ${value} (repeatable)` : ` ${value}`;
}

function flagDescription(spec: FlagSpec): string {
  if (spec.type === 'string' && spec.choices) return `${spec.description}: ${spec.choices.join(' | ')}`;
  return spec.description;
}

function globalOptionLines(): string[] {
  const rows = Object.entries(GLOBAL_FLAGS).map(([key, spec]) => [`  ${key === 'help' ? '-h, --help' : flagName(key)}${valueHint(spec)}`, spec.description]);
  return table(undefined, rows);
}

function paragraphs(text: readonly string[]): string[] {
  return text.flatMap((p) => ['', ...wrap(p, 100)]);
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}
