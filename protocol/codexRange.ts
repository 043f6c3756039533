/**
 * The range of Codex versions Codex Fleet is tested against — declared here once, imported by every
 * layer (sidecar binary choice, CLI status, status bar):
 * - `min` is the pinned `@openai/codex` dependency of package.json (the codex bundled with Codex Fleet);
 * - `max` is the newest `@openai/codex` on the npm registry that `.ci/run` ran the integration tier
 *   against (scripts/testNewestCodex.sh); raise it when CI is green against a newer release.
 *
 * Prereleases (Codex ships `0.170.0-alpha.N` builds) sort by semver: before their release and after
 * every earlier release, `alpha.10` after `alpha.9`. So an alpha *between* two tested releases
 * (`0.170.0-alpha.10` in 0.169.0–0.171.0) is inside the range: its protocol is bracketed by
 * versions we run; an alpha of the pinned release (`0.169.0-alpha.3`, older than the pin) or of a
 * release after `max` (`0.172.0-alpha.1`) is outside.
 */
import { compare, valid } from 'semver';
import { dependencies } from '../package.json';

export interface CodexRange {
  min: string;
  max: string;
}

/** The newest Codex release the integration tier ran green against. */
const NEWEST_TESTED = '0.171.0';

export const CODEX_TESTED_RANGE: CodexRange = { min: dependencies['@openai/codex'], max: NEWEST_TESTED };

/** `codex-cli 0.171.0` / `0.171.0` / `v0.170.0-alpha.10` → the semver version, or undefined. */
export function parseCodexVersion(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /\bv?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)/.exec(text);
  return m ? (valid(m[1]) ?? undefined) : undefined;
}

/** Whether `version` lies in `range` (inclusive, prereleases by semver order); false if unparseable. */
export function inCodexRange(version: string | undefined, range: CodexRange = CODEX_TESTED_RANGE): boolean {
  const v = parseCodexVersion(version);
  if (!v) return false;
  return compare(v, range.min) >= 0 && compare(v, range.max) <= 0;
}

/** `0.169.0–0.171.0`, for messages. */
export function describeCodexRange(range: CodexRange = CODEX_TESTED_RANGE): string {
  return range.min === range.max ? range.min : `${range.min}–${range.max}`;
}

/** Where the codex in use came from, in words (`RuntimeInfo.codexSource`). */
export function codexSourceLabel(source: 'env' | 'setting' | 'path' | 'pinned'): string {
  switch (source) {
    case 'setting':
      return 'the codexFleet.codexPath setting';
    case 'env':
      return 'CODEX_FLEET_CODEX';
    case 'path':
      return 'PATH';
    case 'pinned':
      return 'bundled (pinned)';
  }
}

/** "inside the tested range 0.169.0–0.171.0" / "outside …" / "" when the sidecar did not say (older sidecar). */
export function codexRangeStatus(r: { codexInRange?: boolean; codexTestedRange?: CodexRange }): string {
  if (r.codexInRange === undefined || !r.codexTestedRange) return '';
  return `${r.codexInRange ? 'inside' : 'outside'} the tested range ${describeCodexRange(r.codexTestedRange)}`;
}
