/**
 * Every `codex-fleet` command, in help order. Each area module exports `entries`; adding an area
 * (e.g. `agents.ts`) is one import and one element of AREAS.
 */
import type { CommandEntry } from '../args';
import * as sidecar from './sidecar';
import * as sessions from './sessions';
import * as approvals from './approvals';
import * as input from './input';
import * as events from './events';
import * as account from './account';
import * as agents from './agents';

const AREAS: ReadonlyArray<{ entries: CommandEntry[] }> = [sidecar, sessions, approvals, input, events, account, agents];

export const COMMANDS: readonly CommandEntry[] = AREAS.flatMap((a) => a.entries);
