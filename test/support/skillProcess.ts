/**
 * A second process serving one remote skill, for the SDK tests: connects to the workspace's sidecar
 * (argv[2]; env from the parent), defines `stock`, prints `{"ready":true,"spec":…}` on one line, and
 * serves calls until its stdin closes. Run with tsx.
 */
import { CodexFleet, z } from '../../sdk';

async function main(): Promise<void> {
  const workspace = process.argv[2];
  if (!workspace) throw new Error('usage: skillProcess.ts <workspace>');
  const fleet = await CodexFleet.connect({ workspace, clientName: 'skill-process', sidecarScript: process.env.FLEET_SIDECAR_SCRIPT });
  const stock = fleet.skills.define({
    name: 'stock',
    description: 'Stock level of a part.',
    input: z.object({ part: z.string() }),
    handler: ({ part }) => ({ part, count: 7, servedBy: process.env.FLEET_SKILL_PROCESS_ID }),
  });
  process.stdout.write(`${JSON.stringify({ ready: true, spec: stock.spec })}\n`);
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.once('end', resolve));
  await fleet.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`skillProcess: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
