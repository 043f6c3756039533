/**
 * `codex-fleet/sdk`: the public TypeScript SDK of Codex Fleet (docs/sdk-typescript.md). Everything a
 * script imports comes from here; names are a public contract, versioned with the sidecar protocol.
 */
export { CodexFleet, type CodexFleetOptions } from './codexFleet';
export { Session, SessionsApi, type CreateSessionOptions, type ListSessionsOptions, type SendAndWaitOptions, type SendOptions, type TurnReply } from './session';
export { EventStream, type EventHandler, type EventMatcher, type FleetGap, type StreamItem, type StreamOptions } from './events';
export {
  SkillContent,
  SkillsApi,
  skillSpec,
  type ContentItem,
  type RunOptions,
  type Skill,
  type SkillCallContext,
  type SkillCallRecord,
  type SkillDefinition,
} from './skills';
export { AccountApi, AgentsApi, RequestsApi } from './fleetApis';
export type { ReconnectInfo, ReconnectPolicy } from './connection';
export type { Disposable } from './emitter';
export {
  ConnectionLostError,
  ErrorCodes,
  FleetClosedError,
  FleetError,
  SdkError,
  SkillCallError,
  SkillDefinitionError,
  TurnError,
  TurnFailedError,
  TurnInterruptedError,
  TurnTimeoutError,
  fleetErrorCode,
  type ErrorCode,
} from './errors';
export { FleetClient } from './fleetClient';
export { PROTOCOL_VERSION } from '../protocol/types';
export type {
  AgentSummary,
  ApprovalDecision,
  AuthReadiness,
  FleetEvent,
  FleetEventKind,
  FleetEventOf,
  FleetStatus,
  PendingRequest,
  RequestAnswer,
  SessionSummary,
  ToolCallRequest,
  TurnControls,
  TurnOutcome,
} from '../protocol/types';
export { z } from 'zod';
