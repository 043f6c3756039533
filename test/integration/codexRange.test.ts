/**
 * Which codex the sidecar runs, with the real codex: a `codex` on PATH inside the tested range is
 * used; one outside it (here a stand-in that only answers `--version`, so it is never run as
 * app-server) is passed over for the bundled codex, and status says why. Either way turns work.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CODEX_TESTED_RANGE, parseCodexVersion } from '../../protocol/codexRange';
import * as P from '../../protocol/sidecarProtocol';
import { FleetHarness, testCodexBinary } from '../support/fleetHarness';
import { execFileSync } from 'node:child_process';

/** The harness's env without a forced codex, with `dir` first on PATH. */
function withPathCodex(h: FleetHarness, dir: string): void {
  delete h.env.CODEX_FLEET_CODEX;
  h.env.PATH = `${dir}${delimiter}${h.env.PATH ?? ''}`;
}

describe('the codex users have (PATH codex and the tested range)', function () {
  this.timeout(60_000);
  let h: FleetHarness;
  afterEach(async () => h?.dispose());

  async function turnWorks(c: Awaited<ReturnType<FleetHarness['connect']>>): Promise<void> {
    h.model.enqueue([{ type: 'message', text: 'still works' }]);
    const s = (await c.request(P.SessionsStart, {})).session;
    const sent = await c.request(P.SessionsSend, { sessionId: s.id, text: 'hi' });
    const done = await c.request(P.SessionsWaitTurn, { sessionId: s.id, turnId: sent.turnId! });
    assert.deepEqual({ status: done.status, reply: done.reply }, { status: 'completed', reply: 'still works' });
  }

  it('uses the codex on PATH when it is inside the tested range', async () => {
    h = await FleetHarness.create();
    const bin = join(h.root, 'path-bin');
    mkdirSync(bin);
    symlinkSync(testCodexBinary(), join(bin, 'codex'));
    withPathCodex(h, bin);
    const c = await h.connect();
    await h.ready(c);
    const st = await c.request(P.FleetStatusRequest);
    const expected = parseCodexVersion(execFileSync(testCodexBinary(), ['--version'], { encoding: 'utf8' }));
    assert.deepEqual(
      { source: st.runtime.codexSource, path: st.runtime.codexPath, version: st.runtime.codexVersion, inRange: st.runtime.codexInRange, warning: st.runtime.codexWarning },
      { source: 'path', path: join(bin, 'codex'), version: expected, inRange: true, warning: undefined },
    );
    assert.deepEqual(st.runtime.codexTestedRange, CODEX_TESTED_RANGE);
    await turnWorks(c);
  });

  it('passes over a PATH codex outside the range for the bundled one, and says why', async () => {
    h = await FleetHarness.create();
    const bin = join(h.root, 'path-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'codex'), '#!/bin/sh\necho "codex-cli 0.999.0"\n');
    chmodSync(join(bin, 'codex'), 0o755);
    withPathCodex(h, bin);
    const c = await h.connect();
    await h.ready(c);
    const st = await c.request(P.FleetStatusRequest);
    assert.equal(st.runtime.codexSource, 'pinned');
    assert.equal(st.runtime.codexVersion, CODEX_TESTED_RANGE.min);
    assert.equal(st.runtime.codexInRange, true);
    assert.match(st.runtime.codexWarning ?? '', /^codex 0\.999\.0 on PATH \(.*path-bin\/codex\) is outside the tested range .*; using the bundled codex \S+ instead/);
    const ready = h.log(c).of('runtime/state').find((e) => e.runtime.state === 'ready');
    assert.equal(ready?.runtime.codexWarning, st.runtime.codexWarning, 'runtime/state carries the warning too');
    assert.match(h.sidecarLog(), /WARN.*runtime: codex 0\.999\.0 on PATH .* is outside the tested range/i);
    await turnWorks(c);
  });
});
