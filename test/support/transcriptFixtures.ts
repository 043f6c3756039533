/**
 * Typed fixture builders for transcripts: sessions, items of every kind, requests, event streams
 * with a seq counter, and a realistic N-item transcript for benches.
 */
import type { ThreadItem } from '../../protocol/codex';
import type {
  CommandApprovalRequest,
  FleetEvent,
  FleetEventBody,
  PendingRequest,
  SessionSummary,
  TurnInfo,
} from '../../protocol/types';
import type { TranscriptSnapshot } from '../../protocol/webviewProtocol';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

export const SESSION_ID = 'sess-1';

export function session(over: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id: SESSION_ID,
    preview: 'Fix the build',
    cwd: '/work/demo',
    model: 'gpt-5.5',
    activity: 'idle',
    archived: false,
    loaded: true,
    pinned: false,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    queued: 0,
    ...over,
  };
}

export function userMessage(id: string, text: string): Item<'userMessage'> {
  return { type: 'userMessage', id, clientId: null, content: [{ type: 'text', text, text_elements: [] }] };
}

export function agentMessage(id: string, text: string): Item<'agentMessage'> {
  return { type: 'agentMessage', id, text, phase: null, moderation: null, memoryCitation: null, delivery: null, questions: null };
}

/** An agent message with a `moderation.display` as any Codex version sends it (0.170+: `{mode, version, ...}`). */
export function moderatedMessage(id: string, text: string, display: unknown): Item<'agentMessage'> {
  return { ...agentMessage(id, text), moderation: { moderated: true, display } as unknown as Item<'agentMessage'>['moderation'] };
}

export function reasoning(id: string, summary: string[]): Item<'reasoning'> {
  return { type: 'reasoning', id, summary, content: [] };
}

export function command(id: string, cmd: string, output: string | null, exitCode: number | null = 0): Item<'commandExecution'> {
  return {
    type: 'commandExecution',
    id,
    command: cmd,
    cwd: '/work/demo',
    pluginId: null,
    scriptPath: null,
    processId: null,
    source: 'agent',
    status: exitCode === null ? 'inProgress' : 'completed',
    commandActions: [],
    aggregatedOutput: output,
    exitCode,
    durationMs: exitCode === null ? null : 123,
  };
}

export function fileChange(id: string, path: string, diff: string): Item<'fileChange'> {
  return { type: 'fileChange', id, changes: [{ path, kind: { type: 'update', move_path: null }, diff }], status: 'completed' };
}

export function mcpCall(id: string, args: unknown, resultText: string): Item<'mcpToolCall'> {
  return {
    type: 'mcpToolCall',
    id,
    server: 'docs',
    tool: 'search',
    status: 'completed',
    arguments: args as Item<'mcpToolCall'>['arguments'],
    appContext: null,
    mcpAppUi: null,
    pluginId: null,
    readOnlyHint: null,
    result: { content: [{ type: 'text', text: resultText }], structuredContent: null, _meta: null },
    error: null,
    durationMs: 40,
  };
}

export function turn(id: string, items: ThreadItem[], status: TurnInfo['status'] = 'completed'): TurnInfo {
  return { id, status, items, error: null, startedAt: 1_700_000_000_000, completedAt: status === 'inProgress' ? null : 1_700_000_001_000, durationMs: 1000 };
}

export function snapshot(turns: TurnInfo[], over: Partial<TranscriptSnapshot> = {}): TranscriptSnapshot {
  return { session: session(), turns, queue: [], pending: [], lastSeq: 10, ...over };
}

export function commandApproval(id: string, turnId: string, itemId: string, cmd = 'rm -rf build'): CommandApprovalRequest {
  return {
    id,
    kind: 'commandApproval',
    sessionId: SESSION_ID,
    turnId,
    itemId,
    createdAt: 1_700_000_000_500,
    method: 'item/commandExecution/requestApproval',
    command: cmd,
    cwd: '/work/demo',
    decisions: ['accept', 'acceptForSession', 'decline'],
  };
}

/** Hands out increasing seqs for event bodies. */
export class EventStream {
  constructor(public seq = 10) {}

  next(body: FleetEventBody): FleetEvent {
    this.seq++;
    return { ...body, seq: this.seq, time: 1_700_000_000_000 + this.seq } as FleetEvent;
  }

  batch(...bodies: FleetEventBody[]): FleetEvent[] {
    return bodies.map((b) => this.next(b));
  }
}

const MD_REPLY = `I looked at the failing build. The problem is in \`src/build.ts\`: the output path is computed **before** the config is read.

Here is the fix:

\`\`\`ts
export function outDir(config: Config): string {
  return path.join(config.root, config.out ?? 'dist');
}
\`\`\`

- Read the config first
- Then compute paths
- See [the docs](https://example.com/docs) for details.`;

const OUTPUT = Array.from({ length: 12 }, (_, i) => `PASS test/unit/case${i}.test.ts (${i * 3 + 4} ms)`).join('\n');
const DIFF = '@@ -1,4 +1,5 @@\n import path from "node:path";\n-const out = "dist";\n+const out = config.out ?? "dist";\n+const root = config.root;\n export { out };\n';

/** A realistic transcript of `n` items (turns of 10 items: message, reasoning, commands, edits, reply). */
export function bigTranscript(n: number): TranscriptSnapshot {
  const turns: TurnInfo[] = [];
  let i = 0;
  while (i < n) {
    const t = `turn-${turns.length}`;
    const items: ThreadItem[] = [];
    const push = (item: ThreadItem): void => {
      if (i < n) items.push(item);
      i++;
    };
    push(userMessage(`u${i}`, `Please fix the failing build in package ${turns.length} and run the tests again.`));
    push(reasoning(`r${i}`, ['**Inspecting the build**\n\nThe build script computes paths before reading the config.']));
    push(command(`c${i}`, 'npm run build', 'build failed: ENOENT dist/config.json', 1));
    push(fileChange(`f${i}`, `/work/demo/src/build${turns.length}.ts`, DIFF));
    push(command(`c${i}`, 'npm test', OUTPUT, 0));
    push(mcpCall(`m${i}`, { query: 'config loading order', limit: 5 }, 'Config is read in main.ts before build.'));
    push(agentMessage(`a${i}`, 'Running the tests once more to confirm.'));
    push(command(`c${i}`, 'npm test -- --grep build', OUTPUT.slice(0, 200), 0));
    push(reasoning(`r${i}`, ['**Checking the result**\n\nAll tests pass now.']));
    push(agentMessage(`a${i}`, MD_REPLY));
    turns.push(turn(t, items));
  }
  return snapshot(turns, { lastSeq: 1000 });
}

export type { PendingRequest };
