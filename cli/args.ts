/**
 * A small typed argument parser for `codex-fleet`: commands declare their flags and positionals once
 * (see {@link defineCommand}); the parser validates enums, numbers, repeats and unknown flags, and the
 * same declarations produce the help text (`./help.ts`).
 *
 * Accepted syntax: `--flag value`, `--flag=value`, repeated flags (`--image A --image B`), booleans
 * (`--flag`, `--no-flag`, `--flag=false`), `-h`, and `--` after which everything is positional.
 * Only a token shaped like an option (`--name`, `--name=…`, `-x`) is one: `-`, `-5` and text such as
 * `- fix the bug` are positional.
 */
import type { CommandContext } from './context';

export type FlagSpec =
  | { type: 'boolean'; description: string }
  | { type: 'string'; description: string; value?: string; repeat?: boolean; choices?: readonly string[] }
  | { type: 'int'; description: string; value?: string; min?: number }
  | { type: 'number'; description: string; value?: string; min?: number };

export interface PositionalSpec {
  name: string;
  /** Shown in usage, e.g. `ID` (default: the name upper-cased). */
  value?: string;
  description: string;
  optional?: boolean;
  /** Takes all remaining positionals (at least one unless optional). */
  rest?: boolean;
  choices?: readonly string[];
}

export type FlagValue<F extends FlagSpec> = F extends { type: 'boolean' }
  ? boolean
  : F extends { type: 'int' | 'number' }
    ? number | undefined
    : F extends { repeat: true; choices: readonly (infer C)[] }
      ? C[]
      : F extends { repeat: true }
        ? string[]
        : F extends { choices: readonly (infer C)[] }
          ? C | undefined
          : string | undefined;

export type PositionalValue<P extends PositionalSpec> = P extends { rest: true }
  ? string[]
  : P extends { optional: true }
    ? string | undefined
    : P extends { choices: readonly (infer C)[] }
      ? C
      : string;

export interface Parsed<F extends Record<string, FlagSpec>, P extends readonly PositionalSpec[]> {
  flags: { [K in keyof F]: FlagValue<F[K]> };
  args: { [E in P[number] as E['name']]: PositionalValue<E> };
}

export interface CommandSpec<F extends Record<string, FlagSpec>, P extends readonly PositionalSpec[]> {
  name: string;
  summary: string;
  /** Longer help, one paragraph per element. */
  description?: string[];
  positionals: P;
  /** Keys are camelCase; on the command line they are kebab-case (`approvalPolicy` → `--approval-policy`). */
  flags: F;
  /** Groups of flags of which at most one may be given. */
  exclusive?: ReadonlyArray<readonly (keyof F & string)[]>;
  examples?: string[];
  /** Returns the exit code (default 0). */
  run(ctx: CommandContext, parsed: Parsed<F, P>): Promise<number | void>;
}

/** A command with its types erased, as the registry and the dispatcher see it. */
export interface Command {
  kind: 'command';
  name: string;
  summary: string;
  description: string[];
  positionals: readonly PositionalSpec[];
  flags: Record<string, FlagSpec>;
  exclusive: ReadonlyArray<readonly string[]>;
  examples: string[];
  run(ctx: CommandContext, parsed: RawParsed): Promise<number | void>;
}

export interface Group {
  kind: 'group';
  name: string;
  summary: string;
  description: string[];
  commands: Command[];
}

export type CommandEntry = Command | Group;

export interface RawParsed {
  flags: Record<string, unknown>;
  args: Record<string, unknown>;
}

export function defineCommand<const F extends Record<string, FlagSpec>, const P extends readonly PositionalSpec[]>(
  spec: CommandSpec<F, P>,
): Command {
  return {
    kind: 'command',
    name: spec.name,
    summary: spec.summary,
    description: spec.description ?? [],
    positionals: spec.positionals,
    flags: spec.flags,
    exclusive: spec.exclusive ?? [],
    examples: spec.examples ?? [],
    // The parser builds `parsed` from these very specs, so the erased shape matches Parsed<F, P>.
    run: (ctx, parsed) => spec.run(ctx, parsed as unknown as Parsed<F, P>),
  };
}

export function defineGroup(name: string, summary: string, commands: Command[], description: string[] = []): Group {
  return { kind: 'group', name, summary, description, commands };
}

/** Bad command line: exit code 2, with the command path for a help hint. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly path: string[] = [],
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const flagName = (key: string): string => `--${kebab(key)}`;

export const GLOBAL_FLAGS = {
  workspace: { type: 'string', value: 'DIR', description: 'the workspace folder whose sidecar to use (default: the current directory)' },
  json: { type: 'boolean', description: 'machine output: one JSON document on stdout, an error too ({"error": …}; `events`: one JSON object per line)' },
  help: { type: 'boolean', description: 'show help for the command' },
  version: { type: 'boolean', description: 'print the codex-fleet version' },
} as const satisfies Record<string, FlagSpec>;

export interface GlobalOptions {
  workspace?: string;
  json: boolean;
  help: boolean;
  version: boolean;
}

/** What the command line asks for: a command to run, or help for a command path. */
export type Invocation =
  | { type: 'run'; command: Command; path: string[]; parsed: RawParsed; globals: GlobalOptions }
  | { type: 'help'; path: string[]; globals: GlobalOptions }
  | { type: 'version'; globals: GlobalOptions };

interface Token {
  text: string;
  /** After `--`: never a flag. */
  literal: boolean;
}

/** Resolve the command path and parse its arguments. Throws {@link UsageError}. */
export function parseCommandLine(argv: readonly string[], registry: readonly CommandEntry[]): Invocation {
  const tokens = tokenize(argv);
  const globals: GlobalOptions = { json: false, help: tokens.some((t) => !t.literal && (t.text === '--help' || t.text === '-h')), version: false };
  const path: string[] = [];
  let entries: readonly CommandEntry[] = registry;
  let group: Group | undefined;
  let i = 0;
  // Before the command is known only global flags are understood.
  while (i < tokens.length) {
    const tok = tokens[i]!;
    if (!tok.literal && isFlag(tok.text)) {
      const consumed = parseFlag(tokens, i, GLOBAL_FLAGS, globalsRecord(globals), path);
      if (consumed === 0) {
        if (globals.help) return { type: 'help', path, globals };
        const where = path.length ? `'${path.join(' ')}' needs a subcommand before options` : 'options go after the command';
        throw new UsageError(`unknown option ${tok.text.split('=')[0]} (${where})`, path);
      }
      i += consumed;
      continue;
    }
    if (path.length === 0 && tok.text === 'help') {
      const rest = tokens.slice(i + 1).filter((t) => t.literal || !isFlag(t.text));
      return { type: 'help', path: rest.map((t) => t.text), globals };
    }
    const entry = entries.find((e) => e.name === tok.text);
    if (!entry) {
      if (globals.help) return { type: 'help', path, globals };
      const names = entries.map((e) => e.name).join(', ');
      const what = group ? `unknown ${group.name} command '${tok.text}'` : `unknown command '${tok.text}'`;
      throw new UsageError(`${what} (expected one of: ${names})`, path);
    }
    path.push(entry.name);
    i++;
    if (entry.kind === 'group') {
      group = entry;
      entries = entry.commands;
      continue;
    }
    if (globals.help) return { type: 'help', path, globals };
    const parsed = parseArgs(entry, tokens.slice(i), globals, path);
    return { type: 'run', command: entry, path, parsed, globals };
  }
  if (globals.version && path.length === 0) return { type: 'version', globals };
  return { type: 'help', path, globals };
}

function tokenize(argv: readonly string[]): Token[] {
  const out: Token[] = [];
  let literal = false;
  for (const text of argv) {
    if (!literal && text === '--') {
      literal = true;
      continue;
    }
    out.push({ text, literal });
  }
  return out;
}

/**
 * `--name`, `--name=value`, `-x` and `-name` are options (known or not, so a typo is reported);
 * anything else is a value: `-` alone, negative numbers, and text such as `- fix the bug`.
 */
const OPTION_RE = /^--?[A-Za-z][A-Za-z0-9-]*(=[\s\S]*)?$/;
export function isFlag(text: string): boolean {
  return OPTION_RE.test(text);
}

function globalsRecord(g: GlobalOptions): Record<string, unknown> {
  return g as unknown as Record<string, unknown>;
}

/** Parse a leaf command's arguments (everything after its name). */
export function parseArgs(command: Command, tokens: readonly Token[], globals: GlobalOptions, path: string[]): RawParsed {
  const flags: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(command.flags)) {
    if (spec.type === 'boolean') flags[key] = false;
    else if (spec.type === 'string' && spec.repeat) flags[key] = [];
  }
  const seen = new Set<string>();
  const positionals: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const tok = tokens[i]!;
    if (tok.literal || !isFlag(tok.text)) {
      positionals.push(tok.text);
      i++;
      continue;
    }
    let consumed = parseFlag(tokens, i, command.flags, flags, path, seen);
    if (consumed === 0) consumed = parseFlag(tokens, i, GLOBAL_FLAGS, globalsRecord(globals), path);
    if (consumed === 0) throw new UsageError(unknownFlagMessage(tok.text, command), path);
    i += consumed;
  }
  for (const group of command.exclusive) {
    const given = group.filter((k) => seen.has(k));
    if (given.length > 1) throw new UsageError(`${given.map(flagName).join(' and ')} cannot be used together`, path);
  }
  return { flags, args: bindPositionals(command, positionals, path) };
}

function unknownFlagMessage(text: string, command: Command): string {
  const name = text.split('=')[0]!;
  const known = [...Object.keys(command.flags).map(flagName), '--workspace', '--json'];
  const close = known.find((k) => k.startsWith(name) || name.startsWith(k));
  return `unknown option ${name}${close ? ` (did you mean ${close}?)` : ''}`;
}

function bindPositionals(command: Command, values: string[], path: string[]): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  let i = 0;
  for (const spec of command.positionals) {
    const label = spec.value ?? spec.name.toUpperCase();
    if (spec.rest) {
      const rest = values.slice(i);
      i = values.length;
      if (rest.length === 0 && !spec.optional) throw new UsageError(`missing argument ${label}`, path);
      rest.forEach((v) => checkChoice(v, spec.choices, label, path));
      args[spec.name] = rest;
      continue;
    }
    const v = values[i];
    if (v === undefined) {
      if (!spec.optional) throw new UsageError(`missing argument ${label}`, path);
      args[spec.name] = undefined;
      continue;
    }
    checkChoice(v, spec.choices, label, path);
    args[spec.name] = v;
    i++;
  }
  if (i < values.length) {
    throw new UsageError(`unexpected argument '${values[i]}'${values[i]!.includes(' ') ? '' : ' (quote text that contains spaces)'}`, path);
  }
  return args;
}

function checkChoice(value: string, choices: readonly string[] | undefined, label: string, path: string[]): void {
  if (choices && !choices.includes(value)) {
    throw new UsageError(`invalid ${label} '${value}' (expected one of: ${choices.join(', ')})`, path);
  }
}

/**
 * Try to parse the flag at `tokens[i]` against `specs`, storing into `into`.
 * Returns the number of tokens consumed, 0 when the flag is not one of `specs`.
 */
function parseFlag(
  tokens: readonly Token[],
  i: number,
  specs: Record<string, FlagSpec>,
  into: Record<string, unknown>,
  path: string[],
  seen?: Set<string>,
): number {
  const text = tokens[i]!.text;
  if (text === '-h' && 'help' in specs) {
    into.help = true;
    return 1;
  }
  if (!text.startsWith('--')) return 0;
  const eq = text.indexOf('=');
  const name = eq < 0 ? text.slice(2) : text.slice(2, eq);
  const inline = eq < 0 ? undefined : text.slice(eq + 1);
  let key = Object.keys(specs).find((k) => kebab(k) === name);
  let negated = false;
  if (!key && name.startsWith('no-')) {
    key = Object.keys(specs).find((k) => kebab(k) === name.slice(3) && specs[k]!.type === 'boolean');
    negated = key !== undefined;
  }
  if (!key) return 0;
  const spec = specs[key]!;
  const flag = `--${kebab(key)}`;
  if (spec.type === 'boolean') {
    if (negated && inline !== undefined) throw new UsageError(`${text.split('=')[0]} takes no value`, path);
    let value = !negated;
    if (inline !== undefined) {
      if (!/^(true|false|1|0|yes|no)$/i.test(inline)) throw new UsageError(`invalid value '${inline}' for ${flag} (expected true or false)`, path);
      value = /^(true|1|yes)$/i.test(inline);
    }
    into[key] = value;
    seen?.add(key);
    return 1;
  }
  if (negated) return 0;
  let raw = inline;
  let consumed = 1;
  if (raw === undefined) {
    const next = tokens[i + 1];
    if (next === undefined || (!next.literal && isFlag(next.text) && next.text.startsWith('--'))) {
      throw new UsageError(`option ${flag} needs a value (${spec.value ?? 'VALUE'})${next ? `; write ${flag}=VALUE for a value starting with --` : ''}`, path);
    }
    raw = next.text;
    consumed = 2;
  }
  if (seen?.has(key) && !(spec.type === 'string' && spec.repeat)) {
    throw new UsageError(`option ${flag} given more than once`, path);
  }
  seen?.add(key);
  into[key] = convertValue(spec, raw, flag, into[key], path);
  return consumed;
}

function convertValue(spec: Exclude<FlagSpec, { type: 'boolean' }>, raw: string, flag: string, previous: unknown, path: string[]): unknown {
  switch (spec.type) {
    case 'string': {
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`invalid value '${raw}' for ${flag} (expected one of: ${spec.choices.join(', ')})`, path);
      }
      if (!spec.repeat) return raw;
      return [...(Array.isArray(previous) ? (previous as string[]) : []), raw];
    }
    case 'int':
    case 'number': {
      const n = Number(raw);
      const ok = raw.trim() !== '' && Number.isFinite(n) && (spec.type === 'number' || Number.isInteger(n));
      if (!ok) throw new UsageError(`invalid value '${raw}' for ${flag} (expected ${spec.type === 'int' ? 'an integer' : 'a number'})`, path);
      if (spec.min !== undefined && n < spec.min) throw new UsageError(`invalid value '${raw}' for ${flag} (must be at least ${spec.min})`, path);
      return n;
    }
  }
}

/** Find the entry at a command path (for help); throws a UsageError for an unknown path. */
export function resolvePath(registry: readonly CommandEntry[], path: readonly string[]): CommandEntry | undefined {
  let entries = registry;
  let found: CommandEntry | undefined;
  for (const [depth, name] of path.entries()) {
    found = entries.find((e) => e.name === name);
    if (!found) {
      const names = entries.map((e) => e.name).join(', ');
      throw new UsageError(`no help for '${path.slice(0, depth + 1).join(' ')}' (expected one of: ${names})`);
    }
    entries = found.kind === 'group' ? found.commands : [];
  }
  return found;
}
