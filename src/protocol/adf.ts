/**
 * Chat text <-> Atlassian Document Format. Chat messages are plain text with line
 * breaks; Jira stores comments as ADF. Paragraphs split on blank lines, single line
 * breaks become hardBreak nodes, and http(s) URLs become links.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}
export interface AdfDoc extends AdfNode {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

const URL_RE = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;

function inline(line: string): AdfNode[] {
  const out: AdfNode[] = [];
  let last = 0;
  for (const m of line.matchAll(URL_RE)) {
    const i = m.index ?? 0;
    if (i > last) out.push({ type: 'text', text: line.slice(last, i) });
    out.push({ type: 'text', text: m[0], marks: [{ type: 'link', attrs: { href: m[0] } }] });
    last = i + m[0].length;
  }
  if (last < line.length) out.push({ type: 'text', text: line.slice(last) });
  return out;
}

export function textToAdf(text: string): AdfDoc {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  const content: AdfNode[] = [];
  for (const p of paragraphs) {
    const nodes: AdfNode[] = [];
    p.split('\n').forEach((line, i) => {
      if (i > 0) nodes.push({ type: 'hardBreak' });
      nodes.push(...inline(line));
    });
    content.push(nodes.length ? { type: 'paragraph', content: nodes } : { type: 'paragraph' });
  }
  return { type: 'doc', version: 1, content };
}

const BLOCK = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'panel', 'rule', 'mediaSingle', 'table', 'tableRow']);

/**
 * Deeper than any document Jira's editor makes; a body nested deeper (possible through the
 * REST API) is read down to here instead of overflowing the stack.
 */
export const MAX_ADF_DEPTH = 64;

/** Only strings (and numbers) become text: String() of an arbitrary JSON object can throw. */
function attrText(...values: unknown[]): string {
  for (const v of values) {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return '';
}

const isNode = (n: unknown): n is AdfNode => typeof n === 'object' && n !== null && !Array.isArray(n);

/**
 * Plain text of an ADF document (or a legacy wiki-markup string, returned as is). Takes any
 * JSON: a comment body is whatever was written to Jira, so odd nodes are skipped, never thrown on.
 */
export function adfToText(body: unknown): string {
  if (typeof body === 'string') return body;
  const parts: string[] = [];
  const walk = (n: AdfNode, depth: number): void => {
    const attrs = isNode(n.attrs) ? (n.attrs as Record<string, unknown>) : {};
    if (n.type === 'text' && typeof n.text === 'string') parts.push(n.text);
    else if (n.type === 'hardBreak') parts.push('\n');
    else if (n.type === 'mention') parts.push(attrText(attrs.text) || '@someone');
    else if (n.type === 'emoji') parts.push(attrText(attrs.text, attrs.shortName));
    else if (n.type === 'inlineCard') parts.push(attrText(attrs.url));
    if (Array.isArray(n.content) && depth < MAX_ADF_DEPTH) {
      n.content.forEach((c: unknown, i) => {
        if (!isNode(c)) return;
        if (i > 0 && typeof c.type === 'string' && BLOCK.has(c.type)) parts.push(n.type === 'doc' ? '\n\n' : '\n');
        walk(c, depth + 1);
      });
    }
  };
  if (isNode(body)) walk(body, 0);
  return parts.join('').trim();
}
