/**
 * The offline demo model: the test suite's ScriptedModel (a loopback Responses API) with a handler
 * that chats in Markdown, clearly labelled, and asks for an escalated command when the user's
 * message mentions running something, so the approval flow can be shown without an OpenAI account.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MOCK_ENV_KEY, ScriptedModel, type ModelRequest, type Reply } from '../test/support/scriptedModel';
import { skillCalls, skillSummary } from './demoSkills';

export const DEMO_LABEL = '(offline demo model)';
export const DEMO_MODEL_SLUG = 'offline-demo-model';
const WANTS_COMMAND = /\b(run|runs|running|command|commands|approve|approval|execute)\b/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The request answers a tool call (the command ran, or was declined) rather than a new user message. */
function lastItemIsToolOutput(req: ModelRequest): boolean {
  const last = req.input[req.input.length - 1];
  return isRecord(last) && (last.type === 'function_call_output' || last.type === 'custom_tool_call_output');
}

/** Word-sized chunks so the reply arrives as many deltas (a visibly streamed message). */
function words(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

function message(text: string): Reply[number] {
  return { type: 'message', text, chunks: words(text) };
}

/** The command the demo asks to run for `userText`. */
export function demoCommand(userText: string): { cmd: string; justification: string } {
  if (/\btests?\b/i.test(userText)) {
    return { cmd: 'node --test', justification: 'Run the project tests (the offline demo model asks for approval so you can try the approval flow).' };
  }
  return { cmd: 'ls -la', justification: 'List the workspace files (the offline demo model asks for approval so you can try the approval flow).' };
}

/** Name of the last function call in the conversation (the one whose output came back). */
function lastCallName(req: ModelRequest): string | undefined {
  for (let i = req.input.length - 1; i >= 0; i--) {
    const item = req.input[i];
    if (isRecord(item) && item.type === 'function_call' && typeof item.name === 'string') return item.name;
  }
  return undefined;
}

/** Outputs of the last round of tool calls (the items after the last message), oldest first. */
function latestOutputs(req: ModelRequest): string[] {
  const out: string[] = [];
  for (let i = req.input.length - 1; i >= 0; i--) {
    const item = req.input[i];
    if (!isRecord(item) || item.type === 'message' || item.role !== undefined) break;
    if (item.type === 'function_call_output') out.unshift(typeof item.output === 'string' ? item.output : JSON.stringify(item.output));
  }
  return out;
}

/**
 * Client tools (remote skills): when the message names an offered tool in backticks and carries a
 * ```json block, the demo calls that tool once per object of the block (all in one response).
 */
function demoToolCalls(req: ModelRequest, text: string): Reply | undefined {
  const block = /```json\s*\n([\s\S]*?)```/.exec(text);
  const tool = req.toolNames.find((n) => text.includes(`\`${n}\``));
  if (!block?.[1] || !tool) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(block[1]);
  } catch {
    return undefined;
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  return [
    message(`**${DEMO_LABEL}** Calling \`${tool}\` ${calls.length} times.`),
    ...calls.map((args): Reply[number] => ({ type: 'functionCall', name: tool, arguments: args })),
  ];
}

/** The demo's answer to one request. */
export function demoReply(req: ModelRequest): Reply {
  const called = lastItemIsToolOutput(req) ? lastCallName(req) : undefined;
  if (called && called !== 'exec_command') {
    const outputs = latestOutputs(req).map((o) => `- ${o.split('\n')[0]?.slice(0, 200)}`);
    return [message(`**${DEMO_LABEL}** \`${called}\` answered ${outputs.length === 1 ? 'once' : `${outputs.length} times`}:\n\n${outputs.join('\n')}`)];
  }
  if (lastItemIsToolOutput(req)) {
    const answers = skillSummary(req);
    if (answers) {
      return [message(`**${DEMO_LABEL}** The skill answered ${answers.length} calls:\n\n${answers.map((a) => `- \`${a.slice(0, 300)}\``).join('\n')}`)];
    }
    const outputs = req.functionOutputs();
    const output = outputs[outputs.length - 1]?.output ?? '';
    const declined = /rejected by user|declined/i.test(output);
    const excerpt = output.split('\n').slice(-12).join('\n').trim();
    return [
      message(
        declined
          ? `**${DEMO_LABEL}** No problem: you declined the command, so nothing ran.`
          : `**${DEMO_LABEL}** The command finished. The last lines of its output:\n\n\`\`\`text\n${excerpt}\n\`\`\`\n\nThat is the whole approval round trip: request, your decision, the result.`,
      ),
    ];
  }
  const text = (req.lastUserText() ?? '').trim();
  const toolCalls = demoToolCalls(req, text);
  if (toolCalls) return toolCalls;
  const skill = skillCalls(req, text);
  if (skill) return [message(`**${DEMO_LABEL}** I'll call your skill \`${skill.tool}\` ${skill.calls.length} times.`), ...skill.calls];
  if (WANTS_COMMAND.test(text)) {
    const { cmd, justification } = demoCommand(text);
    return [
      { type: 'reasoning', summary: `The user wants something run; \`${cmd}\` needs an approval in this demo.` },
      message(`**${DEMO_LABEL}** I'd like to run \`${cmd}\` outside the sandbox. Codex Fleet will ask you to approve it.`),
      { type: 'functionCall', name: 'exec_command', arguments: { cmd, sandbox_permissions: 'require_escalated', justification } },
    ];
  }
  const quoted = text ? `> ${text.split('\n')[0].slice(0, 200)}\n\n` : '';
  return [
    { type: 'reasoning', summary: 'Composing a friendly demo answer.' },
    message(
      `### Hello from the ${DEMO_LABEL}\n\n${quoted}` +
        `I'm a scripted stand-in for a real model, running on this machine, so Codex Fleet can be tried without an OpenAI account.\n\n` +
        `Things to try:\n\n` +
        `- **Ask me to run the tests** (or any command): I'll request an *escalated* command and you'll get an **approval** prompt.\n` +
        `- Open several sessions and watch them in the **Codex Fleet** view.\n` +
        `- Log in to Codex (\`codex login\`) or set \`OPENAI_API_KEY\` and restart the demo to talk to a real model.\n`,
    ),
  ];
}

export interface DemoModel {
  readonly model: ScriptedModel;
  readonly codexHome: string;
  /** Environment for the extension host: CODEX_HOME + the mock provider's key. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Start the demo model and write a CODEX_HOME (config.toml) pointing Codex at it. */
export async function startDemoModel(codexHome: string): Promise<DemoModel> {
  const model = await ScriptedModel.start();
  model.setHandler(demoReply);
  fs.mkdirSync(codexHome, { recursive: true });
  model.writeCodexHome(codexHome, { model: DEMO_MODEL_SLUG });
  return {
    model,
    codexHome,
    env: { CODEX_HOME: codexHome, [MOCK_ENV_KEY]: 'offline-demo' },
    close: () => model.close(),
  };
}

/** Whether a real Codex login is available (then the demo uses it instead of the offline model). */
export function hasRealCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OPENAI_API_KEY) return true;
  const home = env.CODEX_HOME ?? path.join(env.HOME ?? '', '.codex');
  return fs.existsSync(path.join(home, 'auth.json'));
}
