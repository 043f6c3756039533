/**
 * The CLI without the process around it: parse, dispatch, connect lazily, turn failures into one
 * stderr line (under `--json`: one error document on stdout) and an exit code. `main.ts` supplies the
 * real process; tests supply fakes.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCodes, FleetError } from '../protocol/errors';
import { EventsUnsubscribe, FleetStatusRequest } from '../protocol/sidecarProtocol';
import type { RuntimeState } from '../protocol/types';
import { parseCommandLine, UsageError, type CommandEntry } from './args';
import { COMMANDS } from './commands';
import { CliError, CliErrorCodes, ExitCode, type CommandContext, type FleetApi, type Writer } from './context';
import { describeFailure, errorDocument } from './errors';
import { escapeControls } from './format';
import { renderHelp } from './help';
import { Waiter } from './waiter';

/** How long a command waits for a starting Codex runtime before trying anyway. */
const RUNTIME_WAIT_MS = 30_000;

export interface CliDeps {
  out: Writer;
  err: Writer;
  env: NodeJS.ProcessEnv;
  cwd: string;
  version: string;
  /** Connect to the workspace's sidecar; with autoStart false, fail with RuntimeUnavailable when none runs. */
  connect(opts: { workspace: string; autoStart: boolean }): Promise<FleetApi>;
  readStdin(): Promise<string>;
  signal: AbortSignal;
  now?: () => number;
  /** Defaults to every command; tests may pass their own. */
  registry?: readonly CommandEntry[];
}

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const registry = deps.registry ?? COMMANDS;
  // Known before parsing, so that even a bad command line gets its error as JSON.
  const json = wantsJson(argv);
  const fail = (e: unknown, connectionClosed = false): number => {
    const failure = describeFailure(e, { connectionClosed });
    if (json) deps.out.write(`${JSON.stringify(errorDocument(failure))}\n`);
    else deps.err.write(`codex-fleet: ${escapeControls(failure.message)}\n`);
    return failure.exitCode;
  };
  let invocation;
  try {
    invocation = parseCommandLine(argv, registry);
    if (invocation.type === 'version') {
      deps.out.write(`${deps.version}\n`);
      return ExitCode.Ok;
    }
    if (invocation.type === 'help') {
      deps.out.write(renderHelp(registry, invocation.path));
      return ExitCode.Ok;
    }
    if (invocation.globals.version) {
      deps.out.write(`${deps.version}\n`);
      return ExitCode.Ok;
    }
  } catch (e) {
    return fail(e);
  }
  const { command, parsed, globals, path } = invocation;

  let workspace: string;
  try {
    workspace = checkWorkspace(resolve(deps.cwd, globals.workspace ?? '.'), path);
  } catch (e) {
    return fail(e);
  }

  let connection: Promise<FleetApi> | undefined;
  let client: FleetApi | undefined;
  const remember = (p: Promise<FleetApi>): Promise<FleetApi> =>
    p.then((c) => {
      client = c;
      return c;
    });
  const ctx: CommandContext = {
    out: deps.out,
    err: deps.err,
    json: globals.json,
    workspace,
    env: deps.env,
    signal: deps.signal,
    now: deps.now ?? Date.now,
    readStdin: deps.readStdin,
    client: () => (connection ??= remember(deps.connect({ workspace, autoStart: true })).then((c) => awaitRuntime(c, ctx))),
    existingClient: async () => {
      if (client) return client;
      try {
        return await (connection ??= remember(deps.connect({ workspace, autoStart: false })));
      } catch (e) {
        connection = undefined;
        if (FleetError.is(e, ErrorCodes.RuntimeUnavailable)) return undefined;
        throw e;
      }
    },
  };
  try {
    return (await command.run(ctx, parsed)) ?? ExitCode.Ok;
  } catch (e) {
    return fail(e, client?.isClosed ?? false);
  } finally {
    client?.close();
  }
}

/** `--json` (or `--json=true`) given before any `--`. */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  return options.some((a) => a === '--json' || /^--json=(true|1|yes)$/i.test(a));
}

function checkWorkspace(dir: string, path: string[]): string {
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!ok) throw new UsageError(`workspace ${dir} is not a directory`, path);
  return dir;
}

/**
 * A sidecar that was just started (or is restarting Codex) answers most requests with
 * RuntimeUnavailable until `codex app-server` is ready: wait for that first, on `runtime/state` events.
 */
async function awaitRuntime(client: FleetApi, ctx: CommandContext): Promise<FleetApi> {
  const busy = (s: RuntimeState): boolean => s === 'starting' || s === 'restarting';
  let state = client.status.runtime.state;
  if (!busy(state)) return client;
  const waiter = new Waiter({
    client,
    signal: ctx.signal,
    now: ctx.now,
    deadline: ctx.now() + RUNTIME_WAIT_MS,
    timeoutError: () =>
      new CliError(`the Codex runtime is still ${state} after ${RUNTIME_WAIT_MS / 1000} s; see \`codex-fleet status\``, ExitCode.SidecarUnavailable, CliErrorCodes.Timeout),
  });
  const sub = client.onEvent((e) => {
    if (e.kind !== 'runtime/state') return;
    state = e.runtime.state;
    waiter.wake();
  });
  try {
    await waiter.race(client.subscribe({ kinds: ['runtime/state'] }));
    state = (await waiter.race(client.request(FleetStatusRequest))).runtime.state;
    await waiter.until(() => !busy(state));
    await waiter.race(client.request(EventsUnsubscribe));
  } finally {
    sub.dispose();
    waiter.dispose();
  }
  return client;
}
