/**
 * The offline demo model's remote-skill behaviour: when the user's message names a tool the request
 * offers (a client's remote skill, i.e. a Codex dynamic tool), the model calls it three times with
 * arguments built from the tool's JSON Schema (each call different, every field filled), then sums up
 * what the skill answered. The SDK examples (examples/python, examples/typescript) rely on it.
 */
import type { ModelRequest, Reply } from '../test/support/scriptedModel';

export const SKILL_CALLS = 3;
const CALL_PREFIX = 'demo-skill-';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface OfferedTool {
  name: string;
  parameters: unknown;
}

/** Function tools of the request, namespace members included (as `ns.member` is not callable, by member name). */
function offeredTools(req: ModelRequest): OfferedTool[] {
  const tools = Array.isArray(req.body.tools) ? req.body.tools : [];
  const out: OfferedTool[] = [];
  const visit = (t: unknown): void => {
    if (!isRecord(t)) return;
    if (t.type === 'namespace' && Array.isArray(t.tools)) t.tools.forEach(visit);
    else if (t.type === 'function' && typeof t.name === 'string') out.push({ name: t.name, parameters: t.parameters });
  };
  tools.forEach(visit);
  return out;
}

/** A value valid for `schema`; `i` varies strings, numbers, booleans and enum choices between calls. */
export function sampleArguments(schema: unknown, i: number, key = 'value'): unknown {
  if (!isRecord(schema)) return `${key} ${i + 1}`;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[i % schema.enum.length];
  if ('const' in schema) return schema.const;
  const options = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (options) {
    const usable = options.filter((o) => !(isRecord(o) && o.type === 'null'));
    return sampleArguments(usable[0] ?? options[0], i, key);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = isRecord(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sampleArguments(v, i, k)]));
    }
    case 'array':
      return [sampleArguments(schema.items, i, key.replace(/s$/, ''))];
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 1;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min + 100;
      return Math.min(max, min + i);
    }
    case 'number':
      return (typeof schema.minimum === 'number' ? schema.minimum : 0) + i + 0.5;
    case 'boolean':
      return i % 2 === 1;
    case 'null':
      return null;
    default:
      return `${key.replace(/_/g, ' ')} ${i + 1}`;
  }
}

/** Three calls of the first offered tool the user's message names, or undefined. */
export function skillCalls(req: ModelRequest, userText: string): { tool: string; calls: Reply } | undefined {
  const tool = offeredTools(req).find((t) => new RegExp(`\\b${t.name.replace(/[-\\^$*+?.()|[\]{}]/g, '\\$&')}\\b`).test(userText));
  if (!tool) return undefined;
  const batch = `${Date.now().toString(36)}-`;
  const calls = Array.from({ length: SKILL_CALLS }, (_, i) => ({
    type: 'functionCall' as const,
    name: tool.name,
    arguments: sampleArguments(tool.parameters, i),
    callId: `${CALL_PREFIX}${batch}${i}`,
  }));
  return { tool: tool.name, calls };
}

/** After the skill answered: the answers of the demo's last batch of calls, or undefined if these are other outputs. */
export function skillSummary(req: ModelRequest): string[] | undefined {
  const outputs = req.functionOutputs().filter((o) => o.callId.startsWith(CALL_PREFIX));
  if (outputs.length === 0) return undefined;
  const last = outputs[outputs.length - 1]!.callId.slice(0, -1);
  return outputs.filter((o) => o.callId.startsWith(last)).map((o) => o.output);
}
