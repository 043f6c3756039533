/** Validation of client-supplied controls: unknown enum values get a clear InvalidParams error. */
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { APPROVAL_POLICIES, REASONING_EFFORTS, SANDBOX_MODES, type TurnControls } from '../../protocol/types';

function oneOf(field: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new FleetError(ErrorCodes.InvalidParams, `${field} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  }
}

export function validateControls(c: TurnControls): void {
  if (!c || typeof c !== 'object') throw new FleetError(ErrorCodes.InvalidParams, 'controls must be an object');
  oneOf('approvalPolicy', c.approvalPolicy, APPROVAL_POLICIES);
  oneOf('sandbox', c.sandbox, SANDBOX_MODES);
  oneOf('effort', c.effort, REASONING_EFFORTS);
  oneOf('collaborationMode', c.collaborationMode, ['default', 'plan']);
  if (c.model !== undefined && (typeof c.model !== 'string' || !c.model.trim())) throw new FleetError(ErrorCodes.InvalidParams, 'model must be a non-empty string');
  if (c.networkAccess !== undefined && typeof c.networkAccess !== 'boolean') throw new FleetError(ErrorCodes.InvalidParams, 'networkAccess must be true or false');
}
