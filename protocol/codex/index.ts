/**
 * The subset of Codex app-server's generated protocol types that Codex Fleet uses.
 * Everything here is re-exported from `./generated` (produced by `npm run generate:codex-types`);
 * nothing in this folder is written by hand except this index.
 */
export type { ServerNotification } from './generated/ServerNotification';
export type { ServerRequest } from './generated/ServerRequest';
export type { ClientRequest } from './generated/ClientRequest';
export type { ReasoningEffort } from './generated/ReasoningEffort';
export type { InitializeResponse } from './generated/InitializeResponse';
export type {
  Thread,
  ThreadItem,
  ThreadStatus,
  ThreadActiveFlag,
  Turn,
  TurnStatus,
  TurnError,
  UserInput,
  AskForApproval,
  SandboxMode,
  SandboxPolicy,
  DynamicToolSpec,
  DynamicToolCallOutputContentItem,
  CommandExecutionRequestApprovalParams,
  CommandExecutionApprovalDecision,
  FileChangeRequestApprovalParams,
  FileChangeApprovalDecision,
  ToolRequestUserInputParams,
  ToolRequestUserInputResponse,
  McpServerElicitationRequestParams,
  McpServerElicitationRequestResponse,
  PermissionsRequestApprovalParams,
  PermissionsRequestApprovalResponse,
  DynamicToolCallParams,
  DynamicToolCallResponse,
  ThreadTokenUsage,
  RateLimitSnapshot,
  GetAccountResponse,
  GetAccountRateLimitsResponse,
  LoginAccountParams,
  LoginAccountResponse,
  FileUpdateChange,
} from './generated/v2';
export type { ExecCommandApprovalParams } from './generated/ExecCommandApprovalParams';
export type { ApplyPatchApprovalParams } from './generated/ApplyPatchApprovalParams';
export type { ReviewDecision } from './generated/ReviewDecision';
export type { CollaborationMode } from './generated/CollaborationMode';
