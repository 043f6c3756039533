import { strict as assert } from 'node:assert';
import { FleetStatusRequest } from '../../../protocol/sidecarProtocol';
import type { RuntimeInfo } from '../../../protocol/types';
import { FakeFleet, run } from './fakeFleet';

async function statusWith(runtime: Partial<RuntimeInfo>) {
  const fake = new FakeFleet();
  fake.on(FleetStatusRequest, () => ({ ...fake.status, runtime: { ...fake.status.runtime, ...runtime } }));
  return run(['status'], fake);
}

describe('CLI status: the codex in use and the tested range', () => {
  it('says which codex runs, where it came from, and that it is inside the range', async () => {
    const r = await statusWith({ codexVersion: '0.171.0', codexSource: 'path', codexPath: '/usr/bin/codex', codexInRange: true, codexTestedRange: { min: '0.169.0', max: '0.171.0' } });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^codex +\/usr\/bin\/codex$/m);
    assert.match(r.out, /^codex range +0\.171\.0 from PATH is inside the tested range 0\.169\.0–0\.171\.0$/m);
    assert.doesNotMatch(r.out, /codex warning/);
  });

  it('prints why the PATH codex was passed over, and a forced one outside the range', async () => {
    const passedOver = await statusWith({
      codexSource: 'pinned',
      codexInRange: true,
      codexTestedRange: { min: '0.169.0', max: '0.171.0' },
      codexWarning: 'codex 0.172.0 on PATH (/usr/bin/codex) is outside the tested range 0.169.0–0.171.0; using the bundled codex 0.169.0 instead',
    });
    assert.match(passedOver.out, /^codex range +0\.169\.0 from bundled \(pinned\) is inside the tested range/m);
    assert.match(passedOver.out, /^codex warning +codex 0\.172\.0 on PATH \(\/usr\/bin\/codex\) is outside the tested range 0\.169\.0–0\.171\.0; using the bundled codex 0\.169\.0 instead$/m);
    const forced = await statusWith({ codexVersion: '0.100.0', codexSource: 'setting', codexInRange: false, codexTestedRange: { min: '0.169.0', max: '0.171.0' } });
    assert.match(forced.out, /^codex range +0\.100\.0 from the codexFleet\.codexPath setting is outside the tested range 0\.169\.0–0\.171\.0$/m);
  });

  it('a sidecar that does not report the range prints no range line', async () => {
    const r = await statusWith({});
    assert.doesNotMatch(r.out, /codex range/);
  });
});
