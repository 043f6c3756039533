/**
 * Codex's moderation of an agent message (`agentMessage.moderation.display`), read the same way by
 * every layer (transcript, CLI, notifications, sidecar). The generated types are 0.169's
 * (`{action, blockType, ...}`); 0.170 made it a versioned union, declared here narrowly:
 *   {mode:"show",  version:1, annotation?:{kind:"wellbeingHelpline", subject}, trustedContacts}
 *   {mode:"hide",  version:1, replacement:{kind:"wellbeingPromptHelpline"}}
 *   {mode:"block", version:1, reason:{kind:"protection", protectionType} | {kind:"cyber", trustedAccess?}}
 * Hidden and blocked messages are shown as such, never with their text. A mode or version this
 * module does not know is `unknown`: the message is shown as Codex sent it, with a note (and the
 * sidecar logs it) — nothing ever throws on what Codex sends here.
 */

export type ModerationView =
  /** Shown normally; `note` when Codex annotates it (e.g. a wellbeing helpline). */
  | { kind: 'show'; note?: string }
  | { kind: 'hidden'; replacement?: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'unknown'; mode: string; version?: number };

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function blockReason(reason: Json | undefined): string {
  const kind = str(reason?.kind);
  if (kind === 'protection') return str(reason?.protectionType) ? `protection: ${String(reason?.protectionType)}` : 'protection';
  if (kind === 'cyber') return reason?.trustedAccess === true ? 'cyber, trusted access' : 'cyber';
  return kind ?? 'no reason given';
}

/** 0.170+: `{mode, version: 1, ...}`. */
function readVersioned(d: Json): ModerationView {
  const mode = String(d.mode);
  const version = typeof d.version === 'number' ? d.version : undefined;
  if (version !== 1) return { kind: 'unknown', mode, version };
  switch (mode) {
    case 'show': {
      const a = obj(d.annotation);
      return a?.kind === 'wellbeingHelpline' ? { kind: 'show', note: 'Codex suggests wellbeing helpline resources' } : { kind: 'show' };
    }
    case 'hide':
      return { kind: 'hidden', replacement: str(obj(d.replacement)?.kind) };
    case 'block':
      return { kind: 'blocked', reason: blockReason(obj(d.reason)) };
    default:
      return { kind: 'unknown', mode, version };
  }
}

/** 0.169: `{action, blockType, ...}` ("Unknown actions must be left for the producing client"). */
function readLegacy(d: Json): ModerationView {
  const action = String(d.action);
  if (action === 'show') return { kind: 'show' };
  if (action === 'hide') return { kind: 'hidden' };
  if (action === 'block') return { kind: 'blocked', reason: str(d.blockType) ?? 'no reason given' };
  return { kind: 'unknown', mode: action };
}

/** How an agent message is to be shown, from its `moderation` (any Codex version, any garbage). */
export function readModeration(moderation: unknown): ModerationView {
  const d = obj(obj(moderation)?.display);
  if (!d) return { kind: 'show' };
  if ('mode' in d) return readVersioned(d);
  if ('action' in d) return readLegacy(d);
  return { kind: 'unknown', mode: '(none)' };
}

/** The line shown instead of (hidden, blocked) or beside (show with a note, unknown) the text; undefined for plain messages. */
export function moderationLabel(v: ModerationView): string | undefined {
  switch (v.kind) {
    case 'show':
      return v.note;
    case 'hidden':
      return 'Message hidden by moderation';
    case 'blocked':
      return `Response blocked (${v.reason})`;
    case 'unknown':
      return `Unknown moderation instruction (mode "${v.mode}"${v.version !== undefined ? `, version ${v.version}` : ''}); shown as Codex sent it`;
  }
}

/** Whether the message's own text may be shown (false for hidden and blocked messages). */
export function textVisible(v: ModerationView): boolean {
  return v.kind === 'show' || v.kind === 'unknown';
}

/** An agent message as plain text: its text, or the moderation line that replaces it. */
export function agentMessageText(item: { text: string; moderation?: unknown }): string {
  const v = readModeration(item.moderation);
  return textVisible(v) ? item.text : (moderationLabel(v) ?? '');
}
