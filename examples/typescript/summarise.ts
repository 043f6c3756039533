/**
 * One-shot: start a read-only session, ask for a summary of the repository, print the reply.
 *
 *   npx tsx examples/typescript/summarise.ts [workspace]
 *   npx tsx demo/offline.ts -- npx tsx examples/typescript/summarise.ts demo/workspace   # offline demo model
 */
import { CodexFleet, TurnError } from 'codex-fleet/sdk';

async function main(): Promise<void> {
  const workspace = process.argv[2] ?? process.cwd();
  const fleet = await CodexFleet.connect({ workspace, clientName: 'example-summarise' });
  try {
    const session = await fleet.sessions.create({ sandbox: 'read-only', approvalPolicy: 'never', name: 'Repository summary' });
    const { reply } = await session.sendAndWait(
      'Summarise this repository in five bullet points: what it is, how it is built, and how it is tested.',
      { timeoutMs: 5 * 60_000 },
    );
    console.log(reply);
  } catch (e) {
    if (e instanceof TurnError) console.error(`the turn ${e.status}: ${e.message}`);
    throw e;
  } finally {
    await fleet.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
