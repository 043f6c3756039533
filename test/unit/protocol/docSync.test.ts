/**
 * docs/protocol.md documents every method and notification declared in protocol/sidecarProtocol.ts:
 * each has an entry of its own (a table row `| \`method\` |` or a list item `- \`method\``), and the
 * doc names no method that the module does not declare.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-jsonrpc';
import * as protocol from '../../../protocol/sidecarProtocol';

const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'protocol.md'), 'utf8');

/** Every exported message constant: its method and whether it is a notification. */
function declared(): Array<{ name: string; method: string; notification: boolean }> {
  return Object.entries(protocol as Record<string, unknown>).flatMap(([name, value]) =>
    value instanceof RequestType || value instanceof RequestType0 || value instanceof NotificationType || value instanceof NotificationType0
      ? [{ name, method: value.method, notification: value instanceof NotificationType || value instanceof NotificationType0 }]
      : [],
  );
}

/** Methods with an entry: the first backticked word of a table row or of a list item. */
function documented(): Set<string> {
  const entries = new Set<string>();
  for (const line of DOC.split('\n')) {
    const m = /^(?:\|\s*|-\s+)`([a-zA-Z]+(?:\/[a-zA-Z]+)*)`/.exec(line);
    if (m) entries.add(m[1]!);
  }
  return entries;
}

describe('docs/protocol.md', () => {
  it('finds the protocol module’s messages', () => {
    const all = declared();
    assert.ok(all.length > 40, `found ${all.length}`);
    assert.ok(all.some((d) => d.method === 'agents/input' && d.notification));
    assert.ok(all.some((d) => d.method === 'sessions/read' && !d.notification));
  });

  it('has an entry for every request and notification declared in protocol/sidecarProtocol.ts', () => {
    const entries = documented();
    const missing = declared().filter((d) => !entries.has(d.method));
    assert.deepEqual(missing.map((d) => `${d.method} (${d.name})`), [], 'undocumented in docs/protocol.md');
  });

  it('documents no method the module does not declare', () => {
    const methods = new Set(declared().map((d) => d.method));
    const stale = [...documented()].filter((m) => m.includes('/') && !methods.has(m));
    assert.deepEqual(stale, [], 'documented but not declared');
  });

  it('documents CODEX_FLEET_EVENT_BUFFER, sessions/read’s lastSeq and collaborationMode', () => {
    assert.match(DOC, /CODEX_FLEET_EVENT_BUFFER/);
    assert.match(DOC, /\| `sessions\/read` \|[^\n]*lastSeq/);
    assert.match(DOC, /collaborationMode/);
  });
});
