import * as assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { expandPath, parseConfig, restartNeeds, sidecarLaunchSettings } from '../../../client/configModel';

const from = (values: Record<string, unknown>) => parseConfig((key) => values[key]);

describe('client/configModel', () => {
  it('gives defaults for an empty configuration', () => {
    assert.deepEqual(from({}), {
      codexPath: '',
      codexHome: '',
      idleTimeoutMinutes: 10,
      newSession: {},
      notifications: { approvals: 'whenTranscriptHidden', turnFinished: 'whenTranscriptHidden' },
      statusBar: { enabled: true },
      agents: { autoDismissDialogs: false },
    });
  });

  it('reads codexFleet.agents.autoDismissDialogs (true only when set to true)', () => {
    assert.equal(from({ 'agents.autoDismissDialogs': true }).agents.autoDismissDialogs, true);
    assert.equal(from({ 'agents.autoDismissDialogs': 'yes' }).agents.autoDismissDialogs, false);
  });

  it('reads valid values and drops invalid ones to their defaults', () => {
    const c = from({
      codexPath: ' /opt/codex ',
      'newSession.model': 'gpt-5.5',
      'newSession.reasoningEffort': 'high',
      'newSession.approvalPolicy': 'sometimes',
      'newSession.sandbox': 'workspace-write',
      'newSession.networkAccess': 'enabled',
      'notifications.approvals': 'never',
      'notifications.turnFinished': 42,
      'sidecar.idleTimeoutMinutes': -3,
      'statusBar.enabled': false,
    });
    assert.equal(c.codexPath, '/opt/codex');
    assert.deepEqual(c.newSession, { model: 'gpt-5.5', effort: 'high', sandbox: 'workspace-write', networkAccess: true });
    assert.equal(c.notifications.approvals, 'never');
    assert.equal(c.notifications.turnFinished, 'whenTranscriptHidden');
    assert.equal(c.idleTimeoutMinutes, 10);
    assert.equal(c.statusBar.enabled, false);
    assert.equal(from({ 'newSession.networkAccess': 'disabled' }).newSession.networkAccess, false);
    assert.equal(from({ 'newSession.networkAccess': 'default' }).newSession.networkAccess, undefined);
  });

  it('expands ~, ${workspaceFolder} and relative paths', () => {
    assert.equal(expandPath('~/bin/codex', '/ws'), `${homedir()}/bin/codex`);
    assert.equal(expandPath('${workspaceFolder}/tools/codex', '/ws'), '/ws/tools/codex');
    assert.equal(expandPath('tools/codex', '/ws'), '/ws/tools/codex');
    assert.equal(expandPath('', '/ws'), '');
  });

  it('puts the codex path, CODEX_HOME and idle timeout into the sidecar launch — never a secret', () => {
    const base = { PATH: '/usr/bin', CODEX_HOME: '/inherited' };
    const plain = sidecarLaunchSettings(from({}), '/ws', base);
    assert.deepEqual(plain, { env: base, sidecarArgs: ['--idle-timeout', '600000'] });
    const set = sidecarLaunchSettings(from({ codexPath: '/opt/codex', codexHome: '~/.codex-fleet', 'sidecar.idleTimeoutMinutes': 0.5 }), '/ws', base);
    assert.equal(set.env.CODEX_FLEET_CODEX, '/opt/codex');
    assert.equal(set.env.CODEX_HOME, `${homedir()}/.codex-fleet`);
    assert.deepEqual(set.sidecarArgs, ['--idle-timeout', '30000']);
    assert.ok(!Object.keys(set.env).some((k) => /API_KEY/.test(k)));
    assert.equal(base.CODEX_HOME, '/inherited', 'the base env is not mutated');
  });

  it('knows which changes need a runtime or a sidecar restart', () => {
    const a = from({});
    assert.deepEqual(restartNeeds(a, from({ 'notifications.approvals': 'always' })), []);
    assert.deepEqual(restartNeeds(a, from({ codexPath: '/x' })), [{ scope: 'runtime', setting: 'codexFleet.codexPath' }]);
    assert.deepEqual(
      restartNeeds(a, from({ codexHome: '/h', 'sidecar.idleTimeoutMinutes': 5 })).map((n) => n.scope),
      ['sidecar', 'sidecar'],
    );
  });
});
