/**
 * `codex-fleet agents attach NAME`: this terminal becomes the agent's terminal (raw mode), bridged
 * over the sidecar connection: keystrokes → `agents/input`, size changes → `agents/resize`, the
 * agent's output ← `agents/output`. Ctrl-] detaches; the agent keeps running.
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import { AgentsAttach, AgentsDetach, AgentsInput, AgentsOutput, AgentsResize } from '../../protocol/sidecarProtocol';
import { defineCommand } from '../args';
import { CliError, CliErrorCodes, ExitCode, type FleetApi } from '../context';

const DETACH_KEY = 0x1d; // Ctrl-]
/** Undo what a full-screen TUI may have switched on in this terminal. */
const RESET_TERMINAL = '\x1b[?1049l\x1b[?25h\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[<u\x1b[0m';

function hasConnection(c: FleetApi): c is FleetApi & { connection: MessageConnection } {
  return 'connection' in c && typeof (c as { connection?: unknown }).connection === 'object';
}

export const attachCommand = defineCommand({
  name: 'attach',
  summary: "use this terminal as the agent's terminal (Ctrl-] detaches; the agent keeps running)",
  description: ['The recent screen is restored on attach. Typing goes to the agent, including Ctrl-C.'],
  positionals: [{ name: 'name', value: 'NAME', description: 'agent name' }],
  flags: {},
  examples: ['codex-fleet agents attach fixer'],
  async run(ctx, { args }) {
    const stdin = process.stdin;
    const stdout = process.stdout;
    if (!stdin.isTTY || !stdout.isTTY) throw new CliError('attach needs an interactive terminal (stdin and stdout must be a TTY)', ExitCode.Error, CliErrorCodes.InvalidParams);
    const client = await ctx.client();
    if (!hasConnection(client)) throw new CliError('attach needs a direct sidecar connection');
    const conn = client.connection;
    const name = args.name;
    const output = conn.onNotification(AgentsOutput, (p) => {
      if (p.name === name) stdout.write(p.data);
    });
    let attached = false;
    try {
      const { screen } = await client.request(AgentsAttach, { name, cols: stdout.columns, rows: stdout.rows });
      attached = true;
      stdout.write(screen);
      stdin.setRawMode(true);
      stdin.resume();
      const reason = await new Promise<string>((resolve) => {
        const onData = (buf: Buffer): void => {
          const i = buf.indexOf(DETACH_KEY);
          const data = (i >= 0 ? buf.subarray(0, i) : buf).toString('utf8');
          if (data) void conn.sendNotification(AgentsInput, { name, data });
          if (i >= 0) finish('detached');
        };
        const onResize = (): void => void conn.sendNotification(AgentsResize, { name, cols: stdout.columns, rows: stdout.rows });
        const removed = client.onEvent((e) => e.kind === 'agent/removed' && e.name === name && finish('the agent was destroyed'));
        const closed = client.onClose(() => finish('the sidecar connection closed'));
        const finish = (why: string): void => {
          stdin.off('data', onData);
          stdout.off('resize', onResize);
          removed.dispose();
          closed.dispose();
          resolve(why);
        };
        stdin.on('data', onData);
        stdout.on('resize', onResize);
      });
      stdout.write(`${RESET_TERMINAL}\r\n[codex-fleet: ${reason} from ${name}]\r\n`);
    } finally {
      output.dispose();
      if (stdin.isRaw) stdin.setRawMode(false);
      stdin.pause();
      if (attached && !client.isClosed) await client.request(AgentsDetach, { name }).catch(() => undefined);
    }
  },
});
