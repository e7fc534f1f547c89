/**
 * Generates the message reference of docs/protocol.md from the zod schemas in
 * src/protocol, so the document cannot drift from the code. The prose above the
 * GENERATED marker is hand-written and kept; everything below it is rewritten.
 *
 *   npx tsx scripts/protocol-doc.ts          rewrite docs/protocol.md
 *   npx tsx scripts/protocol-doc.ts --check  exit 1 if it is out of date (run by the tests)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import * as P from '../src/protocol/index.js';

const root = resolve(import.meta.dirname, '..');
const DOC = resolve(root, 'docs/protocol.md');
const MARKER = '<!-- GENERATED from src/protocol by scripts/protocol-doc.ts: do not edit below -->';

type JS = {
  type?: string | string[];
  properties?: Record<string, JS>;
  required?: string[];
  items?: JS;
  anyOf?: JS[];
  oneOf?: JS[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  additionalProperties?: JS | boolean;
  propertyNames?: JS;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
};

/** Renders a JSON Schema as a compact TypeScript-like type, with constraints as comments. */
export function render(s: JS, indent = ''): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map((a) => render(a, indent)).join(' | ');
  const type = Array.isArray(s.type) ? s.type : [s.type];
  if (type.includes('object') || s.properties) {
    const props = s.properties ?? {};
    const keys = Object.keys(props);
    if (!keys.length) {
      const ap = s.additionalProperties;
      return ap && typeof ap === 'object' ? `{ [key: string]: ${render(ap, indent)} }` : '{}';
    }
    const inner = indent + '  ';
    const lines = keys.map((k) => {
      const p = props[k]!;
      const opt = s.required?.includes(k) ? '' : '?';
      return `${inner}${k}${opt}: ${render(p, inner)}${note(p)}`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  if (type.includes('array')) return `Array<${render(s.items ?? {}, indent)}>`;
  const base =
    type
      .filter(Boolean)
      .map((t) => (t === 'integer' ? 'number' : t))
      .join(' | ') || 'unknown';
  return base;
}

function note(s: JS): string {
  const bits: string[] = [];
  if (s.pattern && !s.format) bits.push(`/${s.pattern}/`);
  if (s.format) bits.push(s.format);
  if (s.minLength !== undefined) bits.push(`min ${s.minLength} chars`);
  if (s.maxLength !== undefined) bits.push(`max ${s.maxLength} chars`);
  if (s.minimum !== undefined) bits.push(`>= ${s.minimum}`);
  if (s.maximum !== undefined) bits.push(`<= ${s.maximum}`);
  if (s.maxItems !== undefined) bits.push(`max ${s.maxItems} items`);
  if (s.default !== undefined) bits.push(`default ${JSON.stringify(s.default)}`);
  return bits.length ? `  // ${bits.join(', ')}` : '';
}

function schemaOf(t: z.ZodType, io: 'input' | 'output'): JS {
  return z.toJSONSchema(t, { io, unrepresentable: 'any' }) as JS;
}

function block(title: string, t: z.ZodType, io: 'input' | 'output'): string {
  return `#### ${title}\n\n\`\`\`ts\n${render(schemaOf(t, io))}\n\`\`\`\n`;
}

function union(title: string, u: z.ZodDiscriminatedUnion, io: 'input' | 'output'): string {
  const parts = (u.options as z.ZodObject[]).map((o) => {
    const type = (o.shape.type as z.ZodLiteral).value as string;
    return block(`\`${type}\``, o, io);
  });
  return `### ${title}\n\n${parts.join('\n')}`;
}

export function generate(): string {
  const out: string[] = [MARKER, '', '## Message reference', ''];
  out.push('Types are rendered from the zod schemas; `?` marks optional fields, comments give the constraints the receiver enforces.', '');
  out.push('## Customer socket `/ws/customer`', '');
  out.push(union('Client → server', P.CustomerClientFrame, 'input'));
  out.push(union('Server → client', P.CustomerServerFrame, 'output'));
  out.push('## Agent socket `/ws/agent`', '');
  out.push(union('Client → server', P.AgentClientFrame, 'input'));
  out.push(union('Server → client', P.AgentServerFrame, 'output'));
  out.push('## Webtrigger `inbound` (presence service → app)', '');
  for (const o of P.InboundCall.options as z.ZodObject[]) {
    const type = (o.shape.type as z.ZodLiteral).value as P.InboundCallType;
    out.push(`### \`${type}\`\n`, block('request body', o, 'input'), block('200 response', P.InboundResponse[type], 'output'));
  }
  out.push(block('error response (4xx/5xx)', P.WebtriggerError, 'output'));
  out.push('## Forge Remote (app → presence service), `POST /forge/v1/<name>`', '');
  for (const [name, call] of Object.entries(P.RemoteCalls)) {
    out.push(`### \`${name}\`\n`, block('request body', call.req, 'input'), block('200 response', call.res, 'output'));
  }
  out.push(block('error response (4xx/5xx)', P.RemoteError, 'output'));
  out.push(block('Forge Invocation Token claims the service relies on', P.FitClaims, 'output'));
  out.push('## Resolvers (Custom UI → app, `invoke(name, payload)`)', '');
  for (const [name, call] of Object.entries(P.Resolvers)) {
    out.push(`### \`${name}\`\n`, block('payload', call.req, 'input'), block('result', call.res, 'output'));
  }
  out.push('## Shared models', '');
  for (const [name, t] of Object.entries({
    ChatMessage: P.ChatMessage,
    Availability: P.Availability,
    WidgetConfig: P.WidgetConfig,
    ProjectChatConfig: P.ProjectChatConfig,
    Schedule: P.Schedule,
    AgentPresence: P.AgentPresence,
    ConversationProperty: P.ConversationProperty,
    MessageProperty: P.MessageProperty,
  })) {
    out.push(block(name, t as z.ZodType, 'output'));
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const current = await readFile(DOC, 'utf8');
  const at = current.indexOf(MARKER);
  const head = at >= 0 ? current.slice(0, at) : current.trimEnd() + '\n\n';
  const next = head + generate();
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('docs/protocol.md is out of date: run `npx tsx scripts/protocol-doc.ts`');
      process.exit(1);
    }
    return;
  }
  await writeFile(DOC, next);
  console.log(`wrote ${DOC}`);
}

if (process.argv[1]?.endsWith('protocol-doc.ts')) void main();
