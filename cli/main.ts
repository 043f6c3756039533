/**
 * `codex-fleet` entry point (bundled to dist/cli/codexFleet.js, run by bin/codex-fleet.js):
 * wires the real process — argv, stdio, signals, the SDK connection — into {@link runCli}.
 */
import { getEventListeners } from 'node:events';
import { version } from '../package.json';
import { FleetClient } from '../sdk/fleetClient';
import { ExitCode, type Writer } from './context';
import { errorDocument } from './errors';
import { runCli, wantsJson } from './run';
import { ErrorCodes } from '../protocol/errors';

function writer(stream: NodeJS.WriteStream): Writer {
  return {
    write: (text) => void stream.write(text),
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
  };
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => (data += chunk));
    process.stdin.once('end', () => resolve(data));
    process.stdin.once('error', reject);
  });
}

async function main(): Promise<void> {
  // A closed pipe (`codex-fleet events | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    // Commands that wait (send --wait, events --follow, stop) listen and wind down; others just end.
    if (interrupts > 1 || getEventListeners(controller.signal, 'abort').length === 0) {
      process.stderr.write('codex-fleet: interrupted\n');
      process.exit(ExitCode.Interrupted);
    }
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const code = await runCli(process.argv.slice(2), {
    out: writer(process.stdout),
    err: writer(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    version,
    connect: ({ workspace, autoStart }) => FleetClient.connect({ workspace, autoStart, clientName: 'codex-fleet-cli', clientVersion: version }),
    readStdin,
    signal: controller.signal,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
}

main().catch((e: unknown) => {
  const message = `internal error: ${e instanceof Error ? e.message : String(e)}`;
  if (wantsJson(process.argv.slice(2))) process.stdout.write(`${JSON.stringify(errorDocument({ message, exitCode: ExitCode.Error, code: ErrorCodes.Internal }))}\n`);
  else process.stderr.write(`codex-fleet: ${message}\n`);
  process.exitCode = ExitCode.Error;
});
