/**
 * Account and auth readiness: API key in the environment or `CODEX_HOME/auth.json`, what Codex
 * reports (account/read), login (API key, ChatGPT → auth URL, ChatGPT tokens), logout, rate limits.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { GetAccountResponse } from '../../protocol/codex';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import type { LoginParams, LoginResult } from '../../protocol/sidecarProtocol';
import type { AccountChange, AccountInfo, AuthReadiness, FleetEventBody, RateLimits } from '../../protocol/types';
import type { AppServerConnection } from '../runtime/appServerConnection';
import { codexError } from '../sessions/sessionService';
import { toRateLimits } from '../events/runtimeEvents';

export function codexHomeOf(env: NodeJS.ProcessEnv): string {
  return env.CODEX_HOME || join(homedir(), '.codex');
}

function accountInfo(res: GetAccountResponse): AccountInfo {
  const a = res.account;
  if (!a) return { type: 'none' };
  if (a.type === 'apiKey') return { type: 'apiKey' };
  if (a.type === 'chatgpt') return { type: 'chatgpt', email: a.email ?? undefined, planType: String(a.planType) };
  return { type: 'other' };
}

export class AccountService {
  private account: AccountInfo | undefined;
  private requiresOpenaiAuth: boolean | undefined;
  private rateLimitsValue: RateLimits | undefined;
  /** A ChatGPT sign-in started in the browser and not completed yet: who started it. */
  private browserLogin: AccountChange | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly connection: () => AppServerConnection | undefined,
    private readonly emit: (body: FleetEventBody) => void,
  ) {}

  get rateLimits(): RateLimits | undefined {
    return this.rateLimitsValue;
  }

  readiness(): AuthReadiness {
    const codexHome = codexHomeOf(this.env);
    return {
      apiKeyEnv: Boolean(this.env.OPENAI_API_KEY || this.env.CODEX_API_KEY),
      authFile: existsSync(join(codexHome, 'auth.json')),
      codexHome,
      account: this.account,
      requiresOpenaiAuth: this.requiresOpenaiAuth,
    };
  }

  private conn(): AppServerConnection {
    const c = this.connection();
    if (!c) throw new FleetError(ErrorCodes.RuntimeUnavailable, 'the Codex runtime is not ready; try again in a moment');
    return c;
  }

  /** Refresh from Codex (after start and on account notifications) and announce. */
  async refresh(change?: AccountChange): Promise<AuthReadiness> {
    try {
      const res = await this.conn().request('account/read', { refreshToken: false });
      this.account = accountInfo(res);
      if (!change && this.browserLogin && this.account?.type === 'chatgpt') {
        change = this.browserLogin;
        this.browserLogin = undefined;
      }
      this.requiresOpenaiAuth = res.requiresOpenaiAuth;
    } catch (e) {
      if (!(e instanceof FleetError)) throw codexError(e);
      throw e;
    }
    const auth = this.readiness();
    this.emit(change ? { kind: 'account/updated', auth, change } : { kind: 'account/updated', auth });
    return auth;
  }

  async login(p: LoginParams, by: string): Promise<LoginResult> {
    if (!p || typeof p !== 'object') throw new FleetError(ErrorCodes.InvalidParams, 'login needs a type: apiKey, chatgpt or chatgptAuthTokens');
    try {
      switch (p.type) {
        case 'apiKey': {
          if (typeof p.apiKey !== 'string' || !p.apiKey.trim()) throw new FleetError(ErrorCodes.InvalidParams, 'apiKey must not be empty');
          await this.conn().request('account/login/start', { type: 'apiKey', apiKey: p.apiKey.trim() });
          await this.refresh({ action: 'login', method: 'apiKey', by });
          return { type: 'apiKey' };
        }
        case 'chatgpt': {
          const res = await this.conn().request('account/login/start', { type: 'chatgpt' });
          if (res.type !== 'chatgpt') throw new FleetError(ErrorCodes.CodexError, `unexpected login answer ${res.type}`);
          // Completed later in the browser: the refresh that follows Codex's notification says who.
          this.browserLogin = { action: 'login', method: 'chatgpt', by };
          return { type: 'chatgpt', loginId: res.loginId, authUrl: res.authUrl };
        }
        case 'chatgptAuthTokens': {
          await this.conn().request('account/login/start', { type: 'chatgptAuthTokens', accessToken: p.accessToken, chatgptAccountId: p.chatgptAccountId, chatgptPlanType: p.chatgptPlanType ?? null });
          await this.refresh({ action: 'login', method: 'chatgptAuthTokens', by });
          return { type: 'chatgptAuthTokens' };
        }
        default:
          throw new FleetError(ErrorCodes.InvalidParams, 'login type must be apiKey, chatgpt or chatgptAuthTokens');
      }
    } catch (e) {
      throw codexError(e);
    }
  }

  async cancelLogin(loginId: string): Promise<void> {
    try {
      await this.conn().request('account/login/cancel', { loginId });
    } catch (e) {
      throw codexError(e);
    }
  }

  async logout(by: string): Promise<void> {
    try {
      await this.conn().request('account/logout', undefined);
    } catch (e) {
      throw codexError(e);
    }
    await this.refresh({ action: 'logout', by }).catch(() => undefined);
  }

  async readRateLimits(): Promise<RateLimits | undefined> {
    try {
      const res = await this.conn().request('account/rateLimits/read', undefined);
      this.setRateLimits(toRateLimits(res.rateLimits));
    } catch {
      // Not signed in to ChatGPT (API key or a custom provider): Codex has no limits to report.
    }
    return this.rateLimitsValue;
  }

  setRateLimits(r: RateLimits): void {
    this.rateLimitsValue = r;
    this.emit({ kind: 'rateLimits/updated', rateLimits: r });
  }
}
