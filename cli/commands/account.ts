/**
 * `codex-fleet account show | login | logout | rate-limits | cancel-login`: Codex credentials as the
 * sidecar's runtime sees them.
 */
import {
  AccountLoginCancel,
  AccountLoginStart,
  AccountLogout,
  AccountRateLimits,
  AccountRead,
  type LoginParams,
} from '../../protocol/sidecarProtocol';
import type { AuthReadiness, RateLimitWindow, RateLimits } from '../../protocol/types';
import { defineCommand, defineGroup, UsageError, type CommandEntry } from '../args';
import { emit } from '../context';
import { duration, keyValues, toMs, yesNo } from '../format';

const show = defineCommand({
  name: 'show',
  summary: 'show the account Codex uses and whether credentials are ready',
  description: ['--json prints the AuthReadiness object.'],
  positionals: [],
  flags: {},
  async run(ctx) {
    const client = await ctx.client();
    const auth = await client.request(AccountRead);
    emit(ctx, auth, () => authLines(auth));
  },
});

/** Key/value lines describing auth readiness (shared with `status`). */
export function authLines(auth: AuthReadiness, indent = ''): string[] {
  const a = auth.account;
  const account = a && a.type !== 'none' ? [a.type, a.email, a.planType ? `(${a.planType})` : undefined].filter(Boolean).join(' ') : 'not signed in';
  const lines = keyValues(
    [
      ['account', account],
      ['API key in env', yesNo(auth.apiKeyEnv)],
      ['auth.json', yesNo(auth.authFile)],
      ['CODEX_HOME', auth.codexHome],
      ['needs OpenAI auth', auth.requiresOpenaiAuth === undefined ? undefined : yesNo(auth.requiresOpenaiAuth)],
    ],
    indent,
  );
  if (!authReady(auth)) {
    lines.push(`${indent}Not ready: sign in with \`codex-fleet account login --api-key-stdin\` (or --chatgpt), or set OPENAI_API_KEY for the sidecar.`);
  }
  return lines;
}

export function authReady(auth: AuthReadiness): boolean {
  if (auth.requiresOpenaiAuth === false) return true;
  if (auth.account && auth.account.type !== 'none') return true;
  return auth.apiKeyEnv || auth.authFile;
}

const login = defineCommand({
  name: 'login',
  summary: 'sign Codex in with an API key or a ChatGPT account',
  description: [
    '--api-key-stdin reads the key from standard input (keeps it out of the shell history and process list). ' +
      '--chatgpt prints a URL to open in a browser; the login finishes there. --json prints {type, loginId?, authUrl?}.',
  ],
  positionals: [],
  flags: {
    apiKey: { type: 'string', value: 'KEY', description: 'sign in with this OpenAI API key' },
    apiKeyStdin: { type: 'boolean', description: 'read the API key from standard input' },
    chatgpt: { type: 'boolean', description: 'sign in with a ChatGPT account in the browser' },
  },
  exclusive: [['apiKey', 'apiKeyStdin', 'chatgpt']],
  examples: ['printenv OPENAI_API_KEY | codex-fleet account login --api-key-stdin', `codex-fleet account login --chatgpt`],
  async run(ctx, { flags }) {
    let params: LoginParams;
    if (flags.chatgpt) params = { type: 'chatgpt' };
    else if (flags.apiKey !== undefined || flags.apiKeyStdin) {
      const key = (flags.apiKey ?? (await ctx.readStdin())).trim();
      if (key === '') throw new UsageError(flags.apiKeyStdin ? 'no API key on standard input' : '--api-key is empty', ['account', 'login']);
      params = { type: 'apiKey', apiKey: key };
    } else {
      throw new UsageError('choose how to sign in: --api-key KEY, --api-key-stdin or --chatgpt', ['account', 'login']);
    }
    const client = await ctx.client();
    const res = await client.request(AccountLoginStart, params);
    emit(ctx, res, () => {
      if (res.authUrl) {
        return [
          `Open this URL in a browser to sign in:`,
          `  ${res.authUrl}`,
          `Then check with \`codex-fleet account show\`.${res.loginId ? ` (Cancel: codex-fleet account cancel-login ${res.loginId})` : ''}`,
        ];
      }
      return res.type === 'apiKey' ? 'Signed in with the API key.' : `Login started (${res.type}).`;
    });
  },
});

const cancelLogin = defineCommand({
  name: 'cancel-login',
  summary: 'cancel a ChatGPT login in progress',
  positionals: [{ name: 'loginId', value: 'LOGIN_ID', description: "the id 'account login --chatgpt' printed" }],
  flags: {},
  async run(ctx, { args }) {
    const client = await ctx.client();
    await client.request(AccountLoginCancel, { loginId: args.loginId });
    emit(ctx, { loginId: args.loginId, cancelled: true }, () => `Cancelled login ${args.loginId}`);
  },
});

const logout = defineCommand({
  name: 'logout',
  summary: 'sign Codex out',
  positionals: [],
  flags: {},
  async run(ctx) {
    const client = await ctx.client();
    await client.request(AccountLogout);
    emit(ctx, { loggedOut: true }, () => 'Signed out.');
  },
});

const rateLimits = defineCommand({
  name: 'rate-limits',
  summary: 'show rate limits as Codex last reported them',
  description: ['Codex reports rate limits with model responses, so they may be empty until a turn ran. --json prints {rateLimits?}.'],
  positionals: [],
  flags: {},
  async run(ctx) {
    const client = await ctx.client();
    const res = await client.request(AccountRateLimits);
    emit(ctx, res, () => rateLimitLines(res.rateLimits, ctx.now()));
  },
});

export function rateLimitLines(r: RateLimits | undefined, now: number): string[] {
  if (!r || (!r.primary && !r.secondary)) return ['No rate limits reported yet (Codex reports them after a turn).'];
  return keyValues([
    ['primary', r.primary ? windowText(r.primary, now) : undefined],
    ['secondary', r.secondary ? windowText(r.secondary, now) : undefined],
  ]);
}

function windowText(w: RateLimitWindow, now: number): string {
  const parts = [`${w.usedPercent}% used`];
  if (w.windowMinutes) parts.push(`${duration(w.windowMinutes * 60_000)} window`);
  if (w.resetsAt) {
    // Codex reports resetsAt in unix seconds; accept milliseconds too.
    const at = toMs(w.resetsAt);
    parts.push(at > now ? `resets in ${duration(at - now)}` : 'reset');
  }
  return parts.join(', ');
}

export const accountGroup = defineGroup('account', 'Codex credentials and rate limits', [show, login, logout, rateLimits, cancelLogin], [
  'Codex finds credentials in CODEX_HOME (auth.json, written by `codex login` or these commands) or an API key in the environment.',
]);

export const entries: CommandEntry[] = [accountGroup];
