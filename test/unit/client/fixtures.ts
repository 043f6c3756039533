/** Typed builders for client unit tests: a session, a pending request, events. */
import type { CommandApprovalRequest, FileChangeApprovalRequest, FleetEvent, FleetEventBody, SessionSummary, UserInputRequest } from '../../../protocol/types';

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

export function session(id: string, over: Partial<SessionSummary> = {}): SessionSummary {
  return {
    id,
    preview: `task ${id}`,
    cwd: '/ws',
    activity: 'idle',
    archived: false,
    loaded: true,
    pinned: false,
    createdAt: NOW - 3_600_000,
    updatedAt: NOW - 60_000,
    queued: 0,
    ...over,
  };
}

export function commandRequest(id: string, sessionId: string, over: Partial<CommandApprovalRequest> = {}): CommandApprovalRequest {
  return {
    id,
    sessionId,
    kind: 'commandApproval',
    method: 'item/commandExecution/requestApproval',
    createdAt: NOW,
    command: "/bin/bash -lc 'npm test'",
    cwd: '/ws',
    decisions: ['accept', 'acceptForSession', 'decline', 'cancel'],
    ...over,
  };
}

export function fileRequest(id: string, sessionId: string, paths: string[]): FileChangeApprovalRequest {
  return {
    id,
    sessionId,
    kind: 'fileChangeApproval',
    method: 'item/fileChange/requestApproval',
    createdAt: NOW,
    changes: paths.map((path) => ({ path, kind: 'update' as const, diff: '' })),
    decisions: ['accept', 'decline'],
  };
}

export function inputRequest(id: string, sessionId: string): UserInputRequest {
  return {
    id,
    sessionId,
    kind: 'userInput',
    method: 'item/tool/requestUserInput',
    createdAt: NOW,
    questions: [{ id: 'color', header: 'Color', question: 'Which color?', options: [{ label: 'Blue' }, { label: 'Red' }], allowOther: true, secret: false }],
  };
}

let seq = 0;
export function event(body: FleetEventBody): FleetEvent {
  return { ...body, seq: ++seq, time: NOW } as FleetEvent;
}
