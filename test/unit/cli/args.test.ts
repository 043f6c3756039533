import { strict as assert } from 'node:assert';
import { defineCommand, defineGroup, parseCommandLine, UsageError, type CommandEntry, type Invocation } from '../../../cli/args';
import { COMMANDS } from '../../../cli/commands';
import { renderHelp } from '../../../cli/help';
import { APPROVAL_POLICIES } from '../../../protocol/types';

let lastParsed: unknown;

const demo = defineCommand({
  name: 'demo',
  summary: 'a demo command',
  positionals: [
    { name: 'id', value: 'ID', description: 'an id' },
    { name: 'text', value: 'TEXT', rest: true, description: 'words' },
  ],
  flags: {
    image: { type: 'string', value: 'PATH', repeat: true, description: 'images' },
    approvalPolicy: { type: 'string', choices: APPROVAL_POLICIES, description: 'policy' },
    limit: { type: 'int', min: 1, description: 'limit' },
    timeout: { type: 'number', min: 0, description: 'seconds' },
    wait: { type: 'boolean', description: 'wait' },
    steer: { type: 'boolean', description: 'steer' },
    queue: { type: 'boolean', description: 'queue' },
    name: { type: 'string', description: 'name' },
  },
  exclusive: [['steer', 'queue']],
  async run(_ctx, parsed) {
    // Compile-time checks of the inferred types.
    const policy: (typeof APPROVAL_POLICIES)[number] | undefined = parsed.flags.approvalPolicy;
    const images: string[] = parsed.flags.image;
    const limit: number | undefined = parsed.flags.limit;
    const wait: boolean = parsed.flags.wait;
    const words: string[] = parsed.args.text;
    const id: string = parsed.args.id;
    lastParsed = { policy, images, limit, wait, words, id };
  },
});
const optional = defineCommand({
  name: 'opt',
  summary: 'optional positional',
  positionals: [{ name: 'x', optional: true, description: 'maybe' }],
  flags: {},
  async run() {},
});
const registry: CommandEntry[] = [defineGroup('grp', 'a group', [demo, optional])];

function parse(argv: string[]): Extract<Invocation, { type: 'run' }> {
  const inv = parseCommandLine(argv, registry);
  assert.equal(inv.type, 'run');
  return inv as Extract<Invocation, { type: 'run' }>;
}

function usageError(argv: string[], pattern: RegExp): UsageError {
  try {
    parseCommandLine(argv, registry);
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected UsageError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return e;
  }
  assert.fail(`expected a usage error for ${argv.join(' ')}`);
}

describe('cli/args', () => {
  it('parses --flag value, --flag=value, repeats, booleans and rest positionals', () => {
    const inv = parse(['grp', 'demo', 'S1', 'hello', '--image', 'a.png', '--image=b.png', 'world', '--approval-policy=on-request', '--limit', '5', '--wait']);
    assert.deepEqual(inv.path, ['grp', 'demo']);
    assert.deepEqual(inv.parsed.args, { id: 'S1', text: ['hello', 'world'] });
    assert.deepEqual(inv.parsed.flags.image, ['a.png', 'b.png']);
    assert.equal(inv.parsed.flags.approvalPolicy, 'on-request');
    assert.equal(inv.parsed.flags.limit, 5);
    assert.equal(inv.parsed.flags.wait, true);
    assert.equal(inv.parsed.flags.steer, false);
    assert.equal(inv.parsed.flags.name, undefined);
  });

  it('defaults repeatable flags to [] and booleans to false', () => {
    const inv = parse(['grp', 'demo', 'S1', 'hi']);
    assert.deepEqual(inv.parsed.flags.image, []);
    assert.equal(inv.parsed.flags.wait, false);
  });

  it('treats everything after -- as positional', () => {
    const inv = parse(['grp', 'demo', 'S1', '--', '--not-a-flag', '-h']);
    assert.deepEqual(inv.parsed.args.text, ['--not-a-flag', '-h']);
    assert.equal(inv.globals.help, false);
  });

  it('accepts --no-flag and --flag=false for booleans', () => {
    assert.equal(parse(['grp', 'demo', 'S', 't', '--no-wait']).parsed.flags.wait, false);
    assert.equal(parse(['grp', 'demo', 'S', 't', '--wait=false']).parsed.flags.wait, false);
    assert.equal(parse(['grp', 'demo', 'S', 't', '--wait=yes']).parsed.flags.wait, true);
    usageError(['grp', 'demo', 'S', 't', '--wait=maybe'], /expected true or false/);
  });

  it('accepts values that look like negative numbers or a lone dash', () => {
    const inv = parse(['grp', 'demo', 'S', '-', '--name', '-1']);
    assert.deepEqual(inv.parsed.args.text, ['-']);
    assert.equal(inv.parsed.flags.name, '-1');
  });

  it('takes text that begins with a dash as text, not as an option', () => {
    assert.deepEqual(parse(['grp', 'demo', 'S', '- fix the bug']).parsed.args.text, ['- fix the bug']);
    assert.deepEqual(parse(['grp', 'demo', 'S', '-- not an option', '--wait']).parsed.args.text, ['-- not an option']);
    assert.deepEqual(parse(['grp', 'demo', 'S', '-', 'fix', '--wait']).parsed.args.text, ['-', 'fix']);
    assert.equal(parse(['grp', 'demo', 'S', 't', '--name', '--draft notes']).parsed.flags.name, '--draft notes');
    // Option-shaped words stay options (a typo is reported), unless after --.
    usageError(['grp', 'demo', 'S', '-fix'], /unknown option -fix/);
    assert.deepEqual(parse(['grp', 'demo', 'S', '--', '-fix', '--wait']).parsed.args.text, ['-fix', '--wait']);
  });

  it('reads global options anywhere before --', () => {
    const inv = parse(['--json', 'grp', 'demo', 'S', 't', '--workspace', '/tmp']);
    assert.equal(inv.globals.json, true);
    assert.equal(inv.globals.workspace, '/tmp');
    assert.equal(parse(['--workspace=/x', 'grp', 'demo', 'S', 't']).globals.workspace, '/x');
  });

  it('validates enum values against the protocol constants', () => {
    usageError(['grp', 'demo', 'S', 't', '--approval-policy', 'sometimes'], /invalid value 'sometimes' for --approval-policy \(expected one of: untrusted, on-request, on-failure, never\)/);
  });

  it('validates numbers', () => {
    usageError(['grp', 'demo', 'S', 't', '--limit', 'ten'], /expected an integer/);
    usageError(['grp', 'demo', 'S', 't', '--limit', '1.5'], /expected an integer/);
    usageError(['grp', 'demo', 'S', 't', '--limit', '0'], /at least 1/);
    usageError(['grp', 'demo', 'S', 't', '--timeout', ''], /expected a number/);
    assert.equal(parse(['grp', 'demo', 'S', 't', '--timeout', '2.5']).parsed.flags.timeout, 2.5);
  });

  it('rejects unknown flags, suggesting a close one', () => {
    const e = usageError(['grp', 'demo', 'S', 't', '--imag', 'x'], /unknown option --imag \(did you mean --image\?\)/);
    assert.deepEqual(e.path, ['grp', 'demo']);
    usageError(['grp', 'demo', 'S', 't', '-x'], /unknown option -x/);
    usageError(['--limit', '3', 'grp', 'demo'], /unknown option --limit \(options go after the command\)/);
  });

  it('rejects a missing value, a repeated single flag and exclusive flags', () => {
    usageError(['grp', 'demo', 'S', 't', '--name'], /option --name needs a value/);
    usageError(['grp', 'demo', 'S', 't', '--name', '--wait'], /--name=VALUE/);
    usageError(['grp', 'demo', 'S', 't', '--name', 'a', '--name', 'b'], /given more than once/);
    usageError(['grp', 'demo', 'S', 't', '--steer', '--queue'], /--steer and --queue cannot be used together/);
  });

  it('reports missing and unexpected arguments', () => {
    usageError(['grp', 'demo'], /missing argument ID/);
    usageError(['grp', 'demo', 'S'], /missing argument TEXT/);
    usageError(['grp', 'opt', 'a', 'b'], /unexpected argument 'b'/);
    assert.equal(parse(['grp', 'opt']).parsed.args.x, undefined);
  });

  it('reports unknown commands with the choices', () => {
    usageError(['nope'], /unknown command 'nope' \(expected one of: grp\)/);
    usageError(['grp', 'nope'], /unknown grp command 'nope' \(expected one of: demo, opt\)/);
  });

  it('resolves help requests', () => {
    assert.deepEqual(parseCommandLine([], registry), { type: 'help', path: [], globals: { json: false, help: false, version: false } });
    assert.deepEqual((parseCommandLine(['grp'], registry) as { path: string[] }).path, ['grp']);
    assert.deepEqual((parseCommandLine(['grp', 'demo', '--help'], registry) as { path: string[] }).path, ['grp', 'demo']);
    assert.deepEqual((parseCommandLine(['grp', 'demo', '-h', '--bogus'], registry) as { path: string[] }).path, ['grp', 'demo']);
    assert.deepEqual((parseCommandLine(['help', 'grp', 'demo'], registry) as { path: string[] }).path, ['grp', 'demo']);
    assert.equal(parseCommandLine(['--version'], registry).type, 'version');
  });

  it('hands the typed values to run()', async () => {
    const inv = parse(['grp', 'demo', 'S', 'a', 'b', '--approval-policy', 'never']);
    await inv.command.run({} as never, inv.parsed);
    assert.deepEqual(lastParsed, { policy: 'never', images: [], limit: undefined, wait: false, words: ['a', 'b'], id: 'S' });
  });
});

describe('cli/help', () => {
  it('has help for every command and group', () => {
    const top = renderHelp(COMMANDS, []);
    for (const e of COMMANDS) {
      assert.ok(top.includes(`  ${e.name}`), `top-level help lists ${e.name}`);
      const groupHelp = renderHelp(COMMANDS, [e.name]);
      assert.ok(groupHelp.includes(e.summary));
      if (e.kind === 'group') {
        for (const c of e.commands) {
          const help = renderHelp(COMMANDS, [e.name, c.name]);
          assert.match(help, new RegExp(`^codex-fleet ${e.name} ${c.name} — `));
          assert.match(help, /Usage:\n {2}codex-fleet /);
          assert.ok(help.includes('--workspace DIR'), 'global options are listed');
        }
      }
    }
  });

  it('documents options with their values and choices', () => {
    const help = renderHelp(COMMANDS, ['sessions', 'start']);
    assert.match(help, /--approval-policy POLICY +when Codex asks before acting: untrusted \| on-request \| on-failure \| never/);
    assert.match(help, /--sandbox MODE +sandbox for commands: read-only \| workspace-write \| danger-full-access/);
    assert.match(help, /--network +allow network access/);
    const send = renderHelp(COMMANDS, ['sessions', 'send']);
    assert.match(send, /codex-fleet sessions send ID TEXT\.\.\. \[OPTIONS\]/);
    assert.match(send, /--image PATH \(repeatable\)/);
  });

  it('rejects help for unknown commands', () => {
    assert.throws(() => renderHelp(COMMANDS, ['sessions', 'nope']), /no help for 'sessions nope'/);
  });
});
