/**
 * Pure translation between app-server's server→client requests and Codex Fleet's PendingRequest /
 * RequestAnswer: what a request looks like to clients, and what Codex expects back for an answer.
 */
import type { ServerRequest } from '../../protocol/codex';
import { ErrorCodes, FleetError } from '../../protocol/errors';
import type {
  ApprovalDecision,
  FileChangeSummary,
  PendingRequest,
  PendingRequestKind,
  RequestAnswer,
  ThreadItem,
} from '../../protocol/types';

const ALL_DECISIONS: ApprovalDecision[] = ['accept', 'acceptForSession', 'decline', 'cancel'];

function fileChangesFromItem(item: ThreadItem | undefined): FileChangeSummary[] {
  if (!item || item.type !== 'fileChange') return [];
  return item.changes.map((c) => ({
    path: c.path,
    kind: c.kind.type,
    movePath: c.kind.type === 'update' ? c.kind.move_path : null,
    diff: c.diff,
  }));
}

/**
 * Normalize a server request. `itemLookup` finds the item the request refers to (file-change
 * approvals carry no diff: it comes from item/started). Returns undefined for requests that are not
 * interactive (e.g. currentTime/read), which the caller answers itself.
 */
export function toPendingRequest(
  req: ServerRequest,
  id: string,
  now: number,
  itemLookup: (threadId: string, itemId: string) => ThreadItem | undefined,
): PendingRequest | undefined {
  const base = { id, createdAt: now, method: req.method };
  switch (req.method) {
    case 'item/commandExecution/requestApproval': {
      const p = req.params;
      return {
        ...base,
        kind: 'commandApproval',
        sessionId: p.threadId,
        turnId: p.turnId,
        itemId: p.itemId,
        command: p.command ?? '',
        cwd: p.cwd ?? undefined,
        reason: p.reason ?? undefined,
        decisions: ALL_DECISIONS,
        execPolicyAmendment: p.proposedExecpolicyAmendment ?? undefined,
      };
    }
    case 'item/fileChange/requestApproval': {
      const p = req.params;
      return {
        ...base,
        kind: 'fileChangeApproval',
        sessionId: p.threadId,
        turnId: p.turnId,
        itemId: p.itemId,
        reason: p.reason ?? undefined,
        grantRoot: p.grantRoot ?? undefined,
        changes: fileChangesFromItem(itemLookup(p.threadId, p.itemId)),
        decisions: ALL_DECISIONS,
      };
    }
    case 'item/permissions/requestApproval': {
      const p = req.params;
      return {
        ...base,
        kind: 'permissionsApproval',
        sessionId: p.threadId,
        turnId: p.turnId,
        itemId: p.itemId,
        reason: p.reason ?? undefined,
        cwd: p.cwd,
        permissions: p.permissions,
        decisions: ['accept', 'acceptForSession', 'decline'],
      };
    }
    case 'execCommandApproval': {
      const p = req.params;
      return {
        ...base,
        kind: 'commandApproval',
        sessionId: p.conversationId,
        itemId: p.callId,
        command: p.command.join(' '),
        cwd: p.cwd,
        reason: p.reason ?? undefined,
        decisions: ALL_DECISIONS,
      };
    }
    case 'applyPatchApproval': {
      const p = req.params;
      const changes: FileChangeSummary[] = Object.entries(p.fileChanges).map(([path, change]) => {
        const c = change as { type?: string; unified_diff?: string; content?: string; move_path?: string | null } | undefined;
        const kind = c?.type === 'add' || c?.type === 'delete' ? c.type : 'update';
        return { path, kind, movePath: c?.move_path ?? null, diff: c?.unified_diff ?? c?.content };
      });
      return {
        ...base,
        kind: 'fileChangeApproval',
        sessionId: p.conversationId,
        itemId: p.callId,
        reason: p.reason ?? undefined,
        grantRoot: p.grantRoot ?? undefined,
        changes,
        decisions: ALL_DECISIONS,
      };
    }
    case 'item/tool/requestUserInput': {
      const p = req.params;
      return {
        ...base,
        kind: 'userInput',
        sessionId: p.threadId,
        turnId: p.turnId,
        itemId: p.itemId,
        questions: p.questions.map((q) => ({
          id: q.id,
          header: q.header,
          question: q.question,
          options: (q.options ?? []).map((o) => ({ label: o.label, description: o.description })),
          allowOther: q.isOther,
          secret: q.isSecret,
        })),
      };
    }
    case 'mcpServer/elicitation/request': {
      const p = req.params;
      return {
        ...base,
        kind: 'elicitation',
        sessionId: p.threadId,
        turnId: p.turnId ?? undefined,
        serverName: p.serverName,
        mode: p.mode,
        message: 'message' in p ? p.message : p.description,
        url: p.mode === 'url' ? p.url : undefined,
        requestedSchema: 'requestedSchema' in p ? p.requestedSchema : undefined,
      };
    }
    case 'item/tool/call': {
      const p = req.params;
      return {
        ...base,
        kind: 'toolCall',
        sessionId: p.threadId,
        turnId: p.turnId,
        itemId: p.callId,
        callId: p.callId,
        namespace: p.namespace,
        tool: p.tool,
        arguments: p.arguments,
      };
    }
    default:
      return undefined;
  }
}

const ANSWER_FOR_KIND: Record<PendingRequestKind, RequestAnswer['type'][]> = {
  commandApproval: ['decision', 'execPolicyAmendment'],
  fileChangeApproval: ['decision'],
  permissionsApproval: ['decision'],
  userInput: ['userInput'],
  elicitation: ['elicitation'],
  toolCall: ['toolResult'],
};

function invalid(message: string): FleetError {
  return new FleetError(ErrorCodes.InvalidParams, message);
}

/** Validate an answer against the request and build the result app-server expects. */
export function toCodexResponse(req: PendingRequest, answer: RequestAnswer): unknown {
  if (!answer || typeof answer !== 'object' || !ANSWER_FOR_KIND[req.kind].includes(answer.type)) {
    throw invalid(`a ${req.kind} request takes an answer of type ${ANSWER_FOR_KIND[req.kind].join(' or ')}`);
  }
  switch (answer.type) {
    case 'decision': {
      const decisions = 'decisions' in req ? req.decisions : [];
      if (!decisions.includes(answer.decision)) {
        throw invalid(`"${String(answer.decision)}" is not a valid decision here; use one of: ${decisions.join(', ')}`);
      }
      if (req.method === 'execCommandApproval' || req.method === 'applyPatchApproval') {
        const legacy = { accept: 'approved', acceptForSession: 'approved_for_session', decline: { denied: { rejection: 'rejected by user' } }, cancel: 'abort' };
        return { decision: legacy[answer.decision] };
      }
      if (req.kind === 'permissionsApproval') {
        const requested = (req.permissions ?? {}) as { network?: unknown; fileSystem?: unknown };
        const granted = answer.decision === 'decline' ? {} : { ...(requested.network ? { network: requested.network } : {}), ...(requested.fileSystem ? { fileSystem: requested.fileSystem } : {}) };
        return { permissions: granted, scope: answer.decision === 'acceptForSession' ? 'session' : 'turn' };
      }
      return { decision: answer.decision };
    }
    case 'execPolicyAmendment': {
      if (req.kind !== 'commandApproval' || !req.execPolicyAmendment?.length) throw invalid('this request proposes no exec-policy amendment');
      return { decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: req.execPolicyAmendment } } };
    }
    case 'userInput': {
      if (req.kind !== 'userInput') throw invalid('not a user-input request');
      const answers: Record<string, { answers: string[] }> = {};
      for (const [qid, values] of Object.entries(answer.answers ?? {})) {
        if (!req.questions.some((q) => q.id === qid)) throw invalid(`unknown question id "${qid}"; questions: ${req.questions.map((q) => q.id).join(', ')}`);
        if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) throw invalid(`answers for "${qid}" must be a list of strings`);
        answers[qid] = { answers: values };
      }
      return { answers };
    }
    case 'toolResult': {
      if (typeof answer.success !== 'boolean' || !Array.isArray(answer.contentItems)) throw invalid('a tool result needs success (boolean) and contentItems (array)');
      return { contentItems: answer.contentItems, success: answer.success };
    }
    case 'elicitation': {
      if (!['accept', 'decline', 'cancel'].includes(answer.action)) throw invalid('elicitation action must be accept, decline or cancel');
      return { action: answer.action, content: answer.action === 'accept' ? (answer.content ?? null) : null, _meta: null };
    }
  }
}
