import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAgentConfig, hookLabel, hooksJson, hookTrustHash, hookTrustKey, shellQuote, writeAgentHome } from '../../../server/agents/agentHome';
import { parseToml, stringifyToml } from '../../../server/agents/toml';

describe('agents/agentHome', () => {
  describe('hook trust hash', () => {
    // Golden values read from `hooks/list` of codex 0.169.0 (currentHash).
    it('matches Codex for plain command hooks', () => {
      assert.equal(
        hookTrustHash({ event: 'UserPromptSubmit', command: 'echo hi', timeoutSec: 5 }),
        'sha256:c84163e232e754e50a34ceb5974474e1c22b7f4d562b198ff40bbcdd0928ffac',
      );
      assert.equal(
        hookTrustHash({ event: 'Stop', command: '/usr/bin/node /x/hook.js Stop', timeoutSec: 10 }),
        'sha256:c62f8e180137c2454fc8d6b06c7e8256f1a2672b77e616638fde81573da2c0e1',
      );
      assert.equal(
        hookTrustHash({ event: 'PreToolUse', command: 'sh /tmp/agx/hook.sh PreToolUse', timeoutSec: 10 }),
        'sha256:565b94e76a60f14cd307f9176fa119c2a20e6ac7ff89a8e6e374596ef9fc12e4',
      );
    });

    it('hashes the clamped timeout of SessionEnd / Interrupt', () => {
      const golden = 'sha256:b579a758667e286b81ad2788f292b5867d11d2880a7a5ec4da5bc07f4443cb65';
      assert.equal(hookTrustHash({ event: 'SessionEnd', command: 'sh /tmp/agx/hook.sh SessionEnd', timeoutSec: 10 }), golden);
      assert.equal(hookTrustHash({ event: 'SessionEnd', command: 'sh /tmp/agx/hook.sh SessionEnd', timeoutSec: 3 }), golden);
    });

    it('labels and keys like Codex', () => {
      assert.equal(hookLabel('PreModelRequest'), 'pre_model_request');
      assert.equal(hookLabel('SubagentStop'), 'subagent_stop');
      assert.equal(hookTrustKey('/h/hooks.json', 'UserPromptSubmit'), '/h/hooks.json:user_prompt_submit:0:0');
    });

    it('quotes the hook script path so no shell text comes from names', () => {
      assert.equal(shellQuote("/a b/it's"), `'/a b/it'\\''s'`);
      const { specs } = hooksJson("/st ate/x'y/fleet-hook.sh");
      assert.equal(specs.find((s) => s.event === 'Stop')?.command, `/bin/sh '/st ate/x'\\''y/fleet-hook.sh' Stop`);
      assert.equal(specs.find((s) => s.event === 'Interrupt')?.timeoutSec, 3);
    });
  });

  describe('config.toml generation', () => {
    const user = parseToml(`
model = "gpt-5.5"
model_provider = "corp"
check_for_update_on_startup = true
cli_auth_credentials_store = "keyring"

[model_providers.corp]
name = "Corp"
base_url = "https://llm.example/v1"
http_headers = { "X-Team" = "a" }

[profiles.fast]
model = "gpt-5.5-mini"

[notice]
hide_full_access_warning = false
custom = "kept"

[projects."/home/u/other"]
trust_level = "trusted"

[hooks.state."/home/u/.codex/hooks.json:stop:0:0"]
trusted_hash = "sha256:user"
`);

    it('keeps the user settings and applies the pins, controls, trust and overrides in order', () => {
      const cfg = buildAgentConfig(user, {
        trustedFolders: ['/work/repo'],
        controls: { model: 'mock-model', effort: 'low', approvalPolicy: 'on-request', sandbox: 'workspace-write', networkAccess: true },
        hookTrust: { '/a/hooks.json:stop:0:0': 'sha256:abc' },
        overrides: { 'tui.animations': false, model: 'override-model' },
      });
      const back = parseToml(stringifyToml(cfg));
      assert.equal(back.model, 'override-model');
      assert.equal(back.model_provider, 'corp');
      assert.equal(back.cli_auth_credentials_store, 'file');
      assert.equal(back.check_for_update_on_startup, false);
      assert.equal(back.model_reasoning_effort, 'low');
      assert.equal(back.approval_policy, 'on-request');
      assert.equal(back.sandbox_mode, 'workspace-write');
      assert.deepEqual(back.sandbox_workspace_write, { network_access: true });
      assert.deepEqual(back.model_providers, { corp: { name: 'Corp', base_url: 'https://llm.example/v1', http_headers: { 'X-Team': 'a' } } });
      assert.deepEqual(back.profiles, { fast: { model: 'gpt-5.5-mini' } });
      const notice = back.notice as Record<string, unknown>;
      assert.equal(notice.hide_full_access_warning, true);
      assert.equal(notice.custom, 'kept');
      assert.deepEqual(notice.model_migrations, { 'gpt-5.5': 'gpt-6-sol' });
      assert.deepEqual(back.projects, { '/home/u/other': { trust_level: 'trusted' }, '/work/repo': { trust_level: 'trusted' } });
      assert.deepEqual((back.hooks as Record<string, unknown>).state, {
        '/home/u/.codex/hooks.json:stop:0:0': { trusted_hash: 'sha256:user' },
        '/a/hooks.json:stop:0:0': { trusted_hash: 'sha256:abc' },
      });
      assert.deepEqual(back.tui, { animations: false });
    });

    it('trusts no folder without consent and does not touch the user config object', () => {
      const before = JSON.stringify(user);
      const cfg = buildAgentConfig(user, { trustedFolders: [], hookTrust: {} });
      assert.deepEqual(cfg.projects, { '/home/u/other': { trust_level: 'trusted' } });
      assert.equal(JSON.stringify(user), before);
    });
  });

  describe('writeAgentHome', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-home-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('writes config, hooks, hook script and links auth.json', () => {
      const userHome = join(dir, 'user');
      mkdirSync(userHome);
      writeFileSync(join(userHome, 'config.toml'), 'model = "m"\n');
      writeFileSync(join(userHome, 'auth.json'), '{}');
      writeFileSync(join(userHome, 'work.config.toml'), 'model = "w"\n');
      const home = writeAgentHome({ home: join(dir, 'a', 'home'), inbox: join(dir, 'a', 'inbox'), userCodexHome: userHome, trustedFolders: [] });
      assert.equal(readlinkSync(join(home.home, 'auth.json')), join(userHome, 'auth.json'));
      assert.equal(readlinkSync(join(home.home, 'work.config.toml')), join(userHome, 'work.config.toml'));
      const cfg = parseToml(readFileSync(home.configPath, 'utf8'));
      assert.equal(cfg.model, 'm');
      const hooks = JSON.parse(readFileSync(home.hooksJsonPath, 'utf8')) as { hooks: Record<string, unknown> };
      assert.ok(hooks.hooks.UserPromptSubmit && hooks.hooks.SubagentStop);
      assert.equal(Object.keys(home.hookTrust).length, Object.keys(hooks.hooks).length);
      assert.match(readFileSync(home.hookScriptPath, 'utf8'), /inbox=/);
      assert.deepEqual(home.warnings, []);
    });

    it('keeps folder trust answered inside the TUI across rewrites, and never trusts without consent', () => {
      const userHome = join(dir, 'user');
      mkdirSync(userHome);
      const opts = { home: join(dir, 'a', 'home'), inbox: join(dir, 'a', 'inbox'), userCodexHome: userHome, trustedFolders: [] };
      const first = writeAgentHome(opts);
      assert.equal(parseToml(readFileSync(first.configPath, 'utf8')).projects, undefined);
      // The user trusts the folder in the TUI's dialog: Codex appends to the agent's config.toml.
      writeFileSync(first.configPath, `${readFileSync(first.configPath, 'utf8')}\n[projects."/w"]\ntrust_level = "trusted"\n`);
      const second = writeAgentHome(opts);
      assert.deepEqual(parseToml(readFileSync(second.configPath, 'utf8')).projects, { '/w': { trust_level: 'trusted' } });
    });
  });
});
