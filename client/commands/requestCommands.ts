/**
 * Request commands: Accept, Accept for Session, Decline, Cancel Turn, Show Details, Answer. Each
 * takes an Approvals-view node, a request id, or nothing (then a picker of what is pending).
 */
import type { ApprovalDecision, PendingRequest } from '../../protocol/types';
import { decisionChoices, isApproval } from '../approvals/requestText';
import { resolveRequest, type RequestArg } from './pickers';
import { registerCommand, type Services } from './services';

const DECISION_COMMANDS: Array<[`codexFleet.${string}`, ApprovalDecision, string]> = [
  ['codexFleet.acceptRequest', 'accept', 'Accept a Request'],
  ['codexFleet.acceptRequestForSession', 'acceptForSession', 'Accept for the Session'],
  ['codexFleet.declineRequest', 'decline', 'Decline a Request'],
  ['codexFleet.cancelRequest', 'cancel', 'Decline and Stop the Turn'],
];

export function registerRequestCommands(s: Services): void {
  const { fleet, requests } = s;

  /** Resolve the argument; a request that is no longer pending is reported quietly. */
  const resolve = async (arg: unknown, title: string, filter?: (r: PendingRequest) => boolean) => {
    const ref = await resolveRequest(fleet, arg as RequestArg, title, filter);
    if (ref && 'gone' in ref) {
      if (typeof ref.gone !== 'string') requests.sayAlreadyResolved(ref.gone);
      return undefined;
    }
    return ref;
  };

  for (const [id, decision, title] of DECISION_COMMANDS) {
    registerCommand(s, id, 'Could not answer the request', async (arg?: unknown) => {
      const canDecide = (r: PendingRequest) => isApproval(r) && (decision === 'cancel' || decisionChoices(r).includes(decision));
      const ref = await resolve(arg, title, canDecide);
      if (!ref) return false;
      if (!canDecide(ref.request)) {
        return requests.respond(ref);
      }
      return requests.decide(ref, decision);
    });
  }

  registerCommand(s, 'codexFleet.showRequestDetails', 'Could not show the request', async (arg?: unknown) => {
    const ref = await resolve(arg, 'Show Request Details');
    return ref ? requests.showDetails(ref) : false;
  });

  registerCommand(s, 'codexFleet.answerRequest', 'Could not answer the request', async (arg?: unknown) => {
    const ref = await resolve(arg, 'Answer a Request');
    return ref ? requests.respond(ref) : false;
  });
}
