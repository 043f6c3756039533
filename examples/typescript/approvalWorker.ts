/**
 * A stream-driven approval worker: while one session's turn runs, accept that session's command and
 * file-change approvals as they stream in (and only that session's: other sessions' requests are left
 * for a human). Questions and other requests are left alone too.
 *
 *   npx tsx examples/typescript/approvalWorker.ts [workspace] ["task"]
 *   npx tsx demo/offline.ts -- npx tsx examples/typescript/approvalWorker.ts demo/workspace "Run the tests"
 */
import { CodexFleet, ErrorCodes, FleetError, type Session } from 'codex-fleet/sdk';

/** Accept the session's approvals until `signal` aborts; resolves with how many it accepted. */
async function approve(fleet: CodexFleet, session: Session, signal: AbortSignal): Promise<number> {
  let accepted = 0;
  for await (const e of fleet.events({ sessionId: session.id, match: 'request/pending', signal })) {
    if (e.kind !== 'request/pending') continue; // (an 'sdk/gap' marker: nothing to re-read here)
    const { request } = e;
    if (request.kind !== 'commandApproval' && request.kind !== 'fileChangeApproval') continue;
    const what = request.kind === 'commandApproval' ? request.command : request.changes.map((c) => c.path).join(', ');
    try {
      await fleet.requests.decide(request, 'accept');
      accepted++;
      console.log(`accepted: ${what}`);
    } catch (err) {
      // Another client (VS Code, the CLI) answered first: the first answer wins.
      if (!FleetError.is(err, ErrorCodes.AlreadyResolved)) throw err;
      console.log(`already answered elsewhere: ${what}`);
    }
  }
  return accepted;
}

async function main(): Promise<void> {
  const workspace = process.argv[2] ?? process.cwd();
  const task = process.argv[3] ?? 'Run the tests and tell me how it went.';
  const fleet = await CodexFleet.connect({ workspace, clientName: 'example-approval-worker' });
  try {
    const session = await fleet.sessions.create({ approvalPolicy: 'on-request', sandbox: 'workspace-write', name: 'Approval worker' });
    const stop = new AbortController();
    const worker = approve(fleet, session, stop.signal);
    try {
      const { reply } = await session.sendAndWait(task, { timeoutMs: 10 * 60_000 });
      console.log(reply);
    } finally {
      stop.abort();
    }
    console.log(`approvals accepted: ${await worker}`);
  } finally {
    await fleet.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
