/**
 * Defence in depth for logs and messages: mask anything shaped like an OpenAI API key or a bearer
 * token. The extension never logs a key on purpose; this catches accidents (and sidecar lines). Pure.
 */
const PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi,
  /("?(?:api_?key|apiKey|OPENAI_API_KEY|access_?token)"?\s*[:=]\s*"?)[^"\s,}]{6,}/gi,
];

export function redactSecrets(text: string): string {
  let out = text;
  out = out.replace(PATTERNS[0], 'sk-…[redacted]');
  out = out.replace(PATTERNS[1], '$1[redacted]');
  out = out.replace(PATTERNS[2], '$1[redacted]');
  return out;
}
