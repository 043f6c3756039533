import * as assert from 'node:assert/strict';
import { PtyHost } from '../../../server/agents/ptyHost';

/** A real process in a real pty (sh printing to its terminal). */
function run(script: string): PtyHost {
  return new PtyHost({ file: '/bin/sh', args: ['-c', script], cwd: '/', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cols: 40, rows: 5 });
}

const visible = (d: string): string => d.replace(/\x1b\[[\d;]*m|[\r\n]/g, '');

describe('agents/ptyHost', () => {
  it('fires output once the screen shows it, and the exit after the last output', async () => {
    const host = run("printf 'one\\n'; sleep 0.05; printf '\\033[32mtwo\\033[0m'");
    const missing: string[] = [];
    host.onData((d) => {
      if (!host.screen.text().includes(visible(d))) missing.push(d);
    });
    const exit = await host.exited;
    assert.equal(exit.exitCode, 0);
    assert.deepEqual(host.screen.lines().slice(0, 2), ['one', 'two']);
    assert.deepEqual(missing, [], 'an output event came before the screen showed it');
    assert.match(host.screen.snapshot(), /\x1b\[32mtwo/);
  });

  it('fires the exit only after all output is on the screen, however much came last', async () => {
    // The pty is read faster than xterm parses 3 MB of colours; the short sleep keeps the pty open until it is
    // read (Linux drops what is unread when the last process on the terminal exits).
    const host = run("yes '\\033[31mred\\033[0m' | head -c 3000000; printf '\\r\\nEND'; sleep 0.02");
    await host.exited;
    assert.equal(host.screen.lines().at(-1), 'END');
  });
});
