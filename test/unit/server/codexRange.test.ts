import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { CODEX_TESTED_RANGE, describeCodexRange, inCodexRange, parseCodexVersion } from '../../../protocol/codexRange';

const range = { min: '0.169.0', max: '0.171.0' };

describe('codex tested range', () => {
  it('starts at the pinned @openai/codex dependency', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(CODEX_TESTED_RANGE.min, pkg.dependencies['@openai/codex']);
    assert.ok(inCodexRange(CODEX_TESTED_RANGE.max), 'max is a valid version not below min');
  });

  it('reads `codex --version` output', () => {
    assert.equal(parseCodexVersion('codex-cli 0.171.0\n'), '0.171.0');
    assert.equal(parseCodexVersion('codex-cli 0.170.0-alpha.10'), '0.170.0-alpha.10');
    assert.equal(parseCodexVersion('v0.169.1'), '0.169.1');
    assert.equal(parseCodexVersion('codex nightly'), undefined);
    assert.equal(parseCodexVersion(undefined), undefined);
  });

  it('includes both ends and the releases between', () => {
    for (const v of ['0.169.0', '0.169.1', '0.170.0', '0.171.0']) assert.equal(inCodexRange(v, range), true, v);
    for (const v of ['0.168.9', '0.171.1', '0.172.0', '1.0.0']) assert.equal(inCodexRange(v, range), false, v);
  });

  it('orders alphas by semver: alpha.10 after alpha.9, all before their release', () => {
    const narrow = { min: '0.170.0-alpha.9', max: '0.170.0' };
    assert.equal(inCodexRange('0.170.0-alpha.10', narrow), true);
    assert.equal(inCodexRange('0.170.0-alpha.8', narrow), false);
    // Between two tested releases: inside. An alpha of the pin (older than it) or past max: outside.
    assert.equal(inCodexRange('0.170.0-alpha.10', range), true);
    assert.equal(inCodexRange('0.171.0-alpha.2', range), true);
    assert.equal(inCodexRange('0.169.0-alpha.3', range), false);
    assert.equal(inCodexRange('0.172.0-alpha.1', range), false);
  });

  it('an unreadable version is outside', () => {
    assert.equal(inCodexRange(undefined, range), false);
    assert.equal(inCodexRange('garbage', range), false);
  });

  it('describes itself', () => {
    assert.equal(describeCodexRange(range), '0.169.0–0.171.0');
    assert.equal(describeCodexRange({ min: '1.0.0', max: '1.0.0' }), '1.0.0');
  });
});
