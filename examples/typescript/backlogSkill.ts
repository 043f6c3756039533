/**
 * A remote skill: `add_backlog_item` runs in this process, and the model calls it once per item with
 * a dozen structured, validated fields. `fleet.skills.run` starts a session offering the skill, sends
 * the prompt, answers the calls until the turn ends, and returns the reply.
 *
 *   npx tsx examples/typescript/backlogSkill.ts [workspace]
 *   npx tsx demo/offline.ts -- npx tsx examples/typescript/backlogSkill.ts demo/workspace
 *
 * (The prompt carries the items as JSON so the offline demo model can replay them as calls; a real
 * model would take them from prose just as well.)
 */
import { CodexFleet, z } from 'codex-fleet/sdk';

const BacklogItem = z.object({
  title: z.string().min(3).describe('Short imperative title'),
  summary: z.string().describe('One or two sentences on what and why'),
  kind: z.enum(['feature', 'bug', 'chore']),
  priority: z.enum(['low', 'medium', 'high', 'urgent']),
  estimatePoints: z.number().int().min(1).max(13).describe('Story points (1-13)'),
  component: z.string().describe('Area of the code base'),
  labels: z.array(z.string()).describe('Free-form labels'),
  assignee: z.string().optional().describe('Who should do it, if known'),
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('YYYY-MM-DD'),
  acceptanceCriteria: z.array(z.string()).min(1).describe('How we know it is done'),
  dependsOn: z.array(z.string()).default([]).describe('Ids of items this one waits for (BL-n)'),
  customerFacing: z.boolean().describe('Visible to customers'),
});
type BacklogItem = z.output<typeof BacklogItem>;

const ITEMS = [
  { title: 'Add CSV export', summary: 'Users want their tasks as CSV for spreadsheets.', kind: 'feature', priority: 'medium', estimatePoints: 3, component: 'export', labels: ['tasks'], acceptanceCriteria: ['Export button downloads a CSV', 'Columns match the task list'], customerFacing: true },
  { title: 'Fix due dates off by one day', summary: 'Dates entered near midnight are saved a day early.', kind: 'bug', priority: 'high', estimatePoints: 2, component: 'storage', labels: ['dates', 'regression'], assignee: 'ada', dueDate: '2026-12-18', acceptanceCriteria: ['A task due today stays due today in every timezone'], customerFacing: true },
  { title: 'Upgrade the test runner', summary: 'Move to the built-in node:test runner.', kind: 'chore', priority: 'low', estimatePoints: 1, component: 'tooling', labels: [], acceptanceCriteria: ['npm test uses node --test'], dependsOn: ['BL-1'], customerFacing: false },
];

async function main(): Promise<void> {
  const workspace = process.argv[2] ?? process.cwd();
  const fleet = await CodexFleet.connect({ workspace, clientName: 'example-backlog' });
  const backlog: Array<BacklogItem & { id: string }> = [];
  try {
    const addItem = fleet.skills.define({
      name: 'add_backlog_item',
      description: 'Add one item to the team backlog. Call it once per item.',
      input: BacklogItem,
      output: z.object({ id: z.string(), position: z.number().int() }),
      handler: (item) => {
        const id = `BL-${backlog.length + 1}`;
        backlog.push({ ...item, id });
        return { id, position: backlog.length };
      },
    });
    const reply = await fleet.skills.run(
      'Add these notes to the backlog by calling `add_backlog_item` once per item:\n\n```json\n' + JSON.stringify(ITEMS, null, 2) + '\n```',
      { skills: [addItem], sandbox: 'read-only', approvalPolicy: 'never', timeoutMs: 5 * 60_000 },
    );
    console.log(reply);
    console.log(`\nbacklog (${backlog.length} items):`);
    for (const i of backlog) console.log(`${i.id}  ${i.priority.padEnd(6)} ${String(i.estimatePoints).padStart(2)} pt  ${i.kind.padEnd(7)} ${i.title}`);
  } finally {
    await fleet.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
