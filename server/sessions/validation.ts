/**
 * Controls that did not come through the edge (persisted defaults merged with a request's): checked
 * with the same schema as requests (protocol/schemas.ts), so a bad state file gets a clear error.
 */
import { ErrorCodes, FleetError } from '../../protocol/errors';
import { TurnControlsSchema } from '../../protocol/schemas';
import type { TurnControls } from '../../protocol/types';
import { validateParams } from '../../protocol/validate';

export function validateControls(c: TurnControls): void {
  const r = validateParams(TurnControlsSchema, c);
  if (!r.ok) throw new FleetError(ErrorCodes.InvalidParams, `controls: ${r.message}`);
}
