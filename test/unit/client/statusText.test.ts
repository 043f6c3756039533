import * as assert from 'node:assert/strict';
import { codexInUseLine, formatTokens, rateLimitPercent, statusBarView, statusTooltip, type StatusSummary } from '../../../client/status/statusText';
import { NOW } from './fixtures';

const base: StatusSummary = { connection: 'connected', runtime: 'ready', pending: 0, running: 0, needsSignIn: false };

describe('client/statusText', () => {
  it('is quiet when nothing happens', () => {
    const v = statusBarView(base);
    assert.equal(v.text, '$(hubot) Codex');
    assert.equal(v.background, undefined);
    assert.equal(v.command, 'codexFleet.sessions.focus');
    assert.equal(v.label, 'Codex Fleet: ready, 0 pending requests, 0 running sessions');
  });

  it('counts pending requests (click → Approvals) and running sessions, and shows rate-limit usage', () => {
    const v = statusBarView({ ...base, pending: 2, running: 1, rateLimits: { primary: { usedPercent: 41.6 }, secondary: { usedPercent: 12 } } });
    assert.equal(v.text, '$(hubot) Codex $(bell-dot) 2 $(loading~spin) 1 $(dashboard) 42%');
    assert.equal(v.command, 'codexFleet.approvals.focus');
    assert.equal(v.background, 'statusBarItem.warningBackground');
    assert.equal(v.label, 'Codex Fleet: ready, 2 pending requests, 1 running session, 42% of rate limit used');
  });

  it('says when the connection failed, Codex failed, or Codex needs a sign-in', () => {
    assert.deepEqual(
      [statusBarView({ ...base, connection: 'failed' }), statusBarView({ ...base, runtime: 'failed' }), statusBarView({ ...base, needsSignIn: true })].map((v) => [v.text, v.command]),
      [
        ['$(error) Codex Fleet', 'codexFleet.reconnect'],
        ['$(error) Codex', 'codexFleet.showLog'],
        ['$(account) Sign in to Codex', 'codexFleet.signIn'],
      ],
    );
    assert.equal(statusBarView({ ...base, connection: 'reconnecting' }).text, '$(sync~spin) Codex Fleet');
  });

  it('takes the highest rate-limit window', () => {
    assert.equal(rateLimitPercent(undefined), undefined);
    assert.equal(rateLimitPercent({ primary: null, secondary: { usedPercent: 7.4 } }), 7);
  });

  it('puts limits and token usage in the tooltip', () => {
    const tip = statusTooltip(
      {
        ...base,
        pending: 1,
        rateLimits: { primary: { usedPercent: 50, windowMinutes: 300, resetsAt: (NOW + 2 * 3_600_000) / 1000 } },
        usage: {
          sessionLabel: 'Fix CI',
          usage: {
            total: { inputTokens: 12_000, cachedInputTokens: 2000, outputTokens: 800, reasoningOutputTokens: 0, totalTokens: 12_800 },
            last: { inputTokens: 6000, cachedInputTokens: 0, outputTokens: 400, reasoningOutputTokens: 0, totalTokens: 6400 },
            modelContextWindow: 128_000,
          },
        },
      },
      NOW,
    );
    assert.match(tip, /- Primary limit: 50% used of the 5-hour window, resets in 2 h/);
    assert.match(tip, /\*\*Tokens\*\* \(Fix CI\)/);
    assert.match(tip, /13k total: 12k in \(2\.0k cached\), 800 out/);
    assert.match(tip, /Context: 6\.4k of 128k \(5%\)/);
    assert.match(tip, /1 pending request, 0 running sessions/);
  });

  it('shows the codex in use, where it came from, whether it is in the tested range, and why not the PATH one', () => {
    const range = { min: '0.169.0', max: '0.171.0' };
    const tip = statusTooltip(
      {
        ...base,
        codex: [
          { codexVersion: '0.171.0', codexSource: 'path', codexPath: '/usr/bin/codex', codexInRange: true, codexTestedRange: range },
          {
            codexVersion: '0.169.0',
            codexSource: 'pinned',
            codexPath: '/ext/codex',
            codexInRange: true,
            codexTestedRange: range,
            codexWarning: 'codex 0.172.0 on PATH (/usr/bin/codex) is outside the tested range 0.169.0–0.171.0; using the bundled codex 0.169.0 instead',
          },
          { codexVersion: '0.100.0', codexSource: 'setting', codexPath: '/opt/codex', codexInRange: false, codexTestedRange: range },
        ],
      },
      NOW,
    );
    assert.match(tip, /^- Codex 0\.171\.0 from PATH, inside the tested range 0\.169\.0–0\.171\.0$/m);
    assert.match(tip, /^- Codex 0\.169\.0 from bundled \(pinned\), inside the tested range 0\.169\.0–0\.171\.0\n {2}- \$\(warning\) codex 0\.172\.0 on PATH/m);
    assert.match(tip, /^- Codex 0\.100\.0 from the codexFleet\.codexPath setting, outside the tested range 0\.169\.0–0\.171\.0$/m);
    assert.equal(codexInUseLine({ codexSource: 'env', codexPath: '/x' }), 'Codex (version unknown) from CODEX_FLEET_CODEX');
  });

  it('formats token counts', () => {
    assert.deepEqual([formatTokens(999), formatTokens(1500), formatTokens(25_000), formatTokens(3_200_000)], ['999', '1.5k', '25k', '3.2M']);
  });
});
