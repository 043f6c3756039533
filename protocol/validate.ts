/**
 * Validation of a message's params at the edge: a shape scan first (nesting depth, forbidden keys,
 * string sizes — iterative, so hostile nesting cannot overflow the stack), then the method's schema
 * (protocol/schemas.ts). Failures are short human messages that never quote more than a few
 * characters of the input.
 */
import type { z } from 'zod';
import { FORBIDDEN_KEYS, Limits, truncate } from './limits';

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path.slice(0, 8)) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${truncate(String(p), 40)}`;
  if (path.length > 8) out += '…';
  return out || 'params';
}

/**
 * Depth, forbidden keys (`__proto__`, `constructor`, `prototype`) and string sizes of a parsed JSON
 * value; undefined when it is fine.
 */
export function scanShape(value: unknown, limits: { maxDepth: number; maxString: number } = Limits): string | undefined {
  const stack: Array<{ v: unknown; depth: number; path: PropertyKey[] }> = [{ v: value, depth: 0, path: [] }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.length > limits.maxString) return `${pathText(path)} is longer than ${limits.maxString} characters`;
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (depth >= limits.maxDepth) return `${pathText(path)} is nested deeper than ${limits.maxDepth} levels`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, path: [...path, i] });
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return `${pathText(path)} has the forbidden key "${key}"`;
      if (key.length > limits.maxString) return `${pathText(path)} has a key longer than ${limits.maxString} characters`;
      stack.push({ v: (v as Record<string, unknown>)[key], depth: depth + 1, path: [...path, key] });
    }
  }
  return undefined;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/** Default wording for issues whose schema gave no message of its own. */
function issueText(iss: z.core.$ZodRawIssue): string {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined ? 'is required' : `must be ${article(String(iss.expected))}`;
    case 'too_big':
      return iss.origin === 'array' ? `must have at most ${String(iss.maximum)} items` : iss.origin === 'string' ? `must be at most ${String(iss.maximum)} characters` : `must be ≤ ${String(iss.maximum)}`;
    case 'too_small':
      return iss.origin === 'array' ? `must have at least ${String(iss.minimum)} items` : iss.origin === 'string' ? 'must not be empty' : `must be ≥ ${String(iss.minimum)}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_union':
      return 'has an invalid shape';
    case 'invalid_key':
      return 'has an invalid key';
    default:
      return 'is invalid';
  }
}

/** The first (at most three) issues as one short line. */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((i) => `${pathText(i.path)} ${truncate(i.message, 300)}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return parts.join('; ') + more;
}

/** Scan, then parse with `schema`: the validated (stripped) value, or why not. */
export function validateParams<T>(schema: z.ZodType<T>, params: unknown): Validated<T> {
  const shape = scanShape(params);
  if (shape) return { ok: false, message: shape };
  const r = schema.safeParse(params, { error: issueText });
  return r.success ? { ok: true, value: r.data } : { ok: false, message: describeIssues(r.error) };
}
