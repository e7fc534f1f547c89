/**
 * The JQL subset the app needs: clauses joined by AND over project, key, reporter,
 * assignee, status, statusCategory and issue properties, then ORDER BY created/updated.
 * Anything else is rejected with Jira's wording, so a query that passes here is one
 * real Jira would also accept.
 */
import { JiraError, badRequest } from './errors.js';
import type { Store } from './store.js';
import type { IssueRecord, Principal } from './types.js';
import { STATUS_CATEGORIES, statusById } from './workflow.js';
import type { IndexedType } from './entity-index.js';

type Tok = { kind: 'word' | 'string' | 'op' | 'punct'; text: string; pos: number };

const WORD = /[A-Za-z0-9_.\-:@]/;

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        s += src[i];
        i++;
      }
      if (i >= src.length) throw jqlError(`The quoted string '${s}' has not been completed.`, pos);
      i++;
      out.push({ kind: 'string', text: s, pos });
    } else if (c === '!' && src[i + 1] === '=') {
      out.push({ kind: 'op', text: '!=', pos });
      i += 2;
    } else if (c === '=') {
      out.push({ kind: 'op', text: '=', pos });
      i++;
    } else if (c === '<' || c === '>') {
      const op = src[i + 1] === '=' ? `${c}=` : c;
      out.push({ kind: 'op', text: op, pos });
      i += op.length;
    } else if ('(),'.includes(c)) {
      out.push({ kind: 'punct', text: c, pos });
      i++;
    } else if (src.startsWith('issue.property[', i)) {
      const close = src.indexOf(']', i);
      if (close < 0) throw jqlError("Expecting ']' to close the property key.", pos);
      let j = close + 1;
      while (j < src.length && WORD.test(src[j] as string)) j++;
      out.push({ kind: 'word', text: src.slice(i, j), pos });
      i = j;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < src.length && WORD.test(src[j] as string)) j++;
      out.push({ kind: 'word', text: src.slice(i, j), pos });
      i = j;
    } else {
      throw jqlError(
        `The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`,
        pos,
      );
    }
  }
  return out;
}

const unknownField = (name: string) => badRequest(`Field '${name}' does not exist or you do not have permission to view it.`);

/**
 * Property clauses need an index: Jira extracts only the paths an installed app declared
 * in a `jira:entityProperty` module, so any other `issue.property[..]` is an unknown field.
 * Docs silent on the exact wording: this is the message Jira gives for unknown fields.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 */
export function checkIndexed(q: Query, typeOf: (field: string) => IndexedType | undefined): void {
  for (const c of q.clauses) {
    const type = c.field.startsWith('issue.property[') ? typeOf(c.field) : undefined;
    if (c.field.startsWith('issue.property[') && !type) throw unknownField(c.field);
    // Range operators need an ordered value: Jira allows them on number and date properties only.
    if (RANGE_OPS.has(c.op) && type !== 'number' && type !== 'date') throw badRequest(`The operator '${c.op}' is not supported by the '${c.field}' field.`);
  }
}

function jqlError(message: string, pos?: number): JiraError {
  return badRequest(pos === undefined ? `Error in the JQL Query: ${message}` : `Error in the JQL Query: ${message} (line 1, character ${pos + 1})`);
}

type Value = { kind: 'literal'; text: string } | { kind: 'empty' } | { kind: 'currentUser' };
type Op = '=' | '!=' | 'in' | 'not in' | 'is' | 'is not' | '<' | '<=' | '>' | '>=';
const RANGE_OPS = new Set<Op>(['<', '<=', '>', '>=']);
export interface Clause {
  field: string;
  op: Op;
  values: Value[];
}
export interface OrderBy {
  field: 'created' | 'updated' | 'key';
  dir: 'ASC' | 'DESC';
}
export interface Query {
  clauses: Clause[];
  order: OrderBy[];
}

const FIELDS = new Set(['project', 'key', 'issuekey', 'id', 'reporter', 'assignee', 'status', 'statuscategory']);

/**
 * `aliasOf` maps a declared `searchAlias` to its `issue.property[key].path` field
 * (aliases exist only for what the installed app indexed).
 */
export function parse(src: string, aliasOf: (name: string) => string | undefined = () => undefined): Query {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const isWord = (t: Tok | undefined, w: string) => t?.kind === 'word' && t.text.toLowerCase() === w;
  const clauses: Clause[] = [];
  const order: OrderBy[] = [];

  const value = (): Value => {
    const t = toks[i++];
    if (!t) throw jqlError('Expecting either a value, list or function but got end of query.');
    if (t.kind === 'string') return { kind: 'literal', text: t.text };
    if (t.kind !== 'word') throw jqlError(`Expecting either a value, list or function but got '${t.text}'.`, t.pos);
    const lower = t.text.toLowerCase();
    if (lower === 'empty' || lower === 'null') return { kind: 'empty' };
    if (peek()?.text === '(') {
      if (lower !== 'currentuser' || toks[i + 1]?.text !== ')') throw jqlError(`Unable to find JQL function '${t.text}()'.`, t.pos);
      i += 2;
      return { kind: 'currentUser' };
    }
    return { kind: 'literal', text: t.text };
  };

  const clause = (): Clause => {
    const f = toks[i++];
    if (!f || f.kind !== 'word') throw jqlError(`Expecting a field name but got '${f?.text ?? 'end of query'}'.`, f?.pos);
    const field = f.text.startsWith('issue.property[') ? f.text : (aliasOf(f.text) ?? f.text.toLowerCase());
    if (!FIELDS.has(field) && !field.startsWith('issue.property[')) throw unknownField(f.text);
    const o = toks[i++];
    let op: Op;
    if (o?.kind === 'op') op = o.text as Op;
    else if (isWord(o, 'in')) op = 'in';
    else if (isWord(o, 'not') && isWord(peek(), 'in')) {
      i++;
      op = 'not in';
    } else if (isWord(o, 'is')) {
      if (isWord(peek(), 'not')) {
        i++;
        op = 'is not';
      } else op = 'is';
    } else
      throw jqlError(
        `Expecting operator but got '${o?.text ?? 'end of query'}'. The valid operators are '=', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'is' and 'is not'.`,
        o?.pos,
      );
    let values: Value[];
    if (op === 'in' || op === 'not in') {
      if (toks[i++]?.text !== '(') throw jqlError(`Expecting '(' after '${op}'.`, toks[i - 1]?.pos);
      values = [value()];
      while (peek()?.text === ',') {
        i++;
        values.push(value());
      }
      if (toks[i++]?.text !== ')') throw jqlError(`Expecting ')' to close the list.`, toks[i - 1]?.pos);
    } else values = [value()];
    if ((op === 'is' || op === 'is not') && values[0]?.kind !== 'empty')
      throw jqlError(`The operator '${op.toUpperCase()}' can only be used with EMPTY or NULL.`, o?.pos);
    return { field, op, values };
  };

  if (i < toks.length && !isWord(peek(), 'order')) {
    clauses.push(clause());
    while (isWord(peek(), 'and')) {
      i++;
      clauses.push(clause());
    }
  }
  if (isWord(peek(), 'order')) {
    i++;
    if (!isWord(toks[i++], 'by')) throw jqlError("Expecting 'by' after 'order'.", toks[i - 1]?.pos);
    do {
      if (peek()?.text === ',') i++;
      const f = toks[i++];
      const name = f?.text.toLowerCase();
      if (name !== 'created' && name !== 'updated' && name !== 'key') throw badRequest(`Not able to sort using field '${f?.text ?? ''}'.`);
      let dir: 'ASC' | 'DESC' = 'ASC';
      if (isWord(peek(), 'asc') || isWord(peek(), 'desc')) dir = (toks[i++] as Tok).text.toUpperCase() as 'ASC' | 'DESC';
      order.push({ field: name, dir });
    } while (peek()?.text === ',');
  }
  const rest = toks[i];
  if (rest) throw jqlError(`Expecting either 'OR' or 'AND' but got '${rest.text}'.`, rest.pos);
  return { clauses, order };
}

function propertyValue(issue: IssueRecord, field: string): unknown {
  const m = /^issue\.property\[([^\]]+)\](.*)$/.exec(field);
  if (!m) return undefined;
  let v: unknown = issue.properties[m[1] as string];
  for (const part of (m[2] ?? '').split('.').filter(Boolean)) {
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  }
  return v;
}

function actual(store: Store, issue: IssueRecord, field: string): string[] | null {
  const s = statusById(issue.statusId);
  switch (field) {
    case 'project': {
      const p = store.projectOf(issue);
      return [p.key.toLowerCase(), p.id, p.name.toLowerCase()];
    }
    case 'key':
    case 'issuekey':
    case 'id':
      return [issue.key.toLowerCase(), issue.id];
    case 'reporter':
      return [issue.reporterId];
    case 'assignee':
      return issue.assigneeId ? [issue.assigneeId] : null;
    case 'status':
      return [s.name.toLowerCase(), s.id];
    case 'statuscategory': {
      const c = STATUS_CATEGORIES[s.category];
      return [c.key, c.name.toLowerCase(), String(c.id)];
    }
    default: {
      const v = propertyValue(issue, field);
      if (v === undefined || v === null) return null;
      return Array.isArray(v) ? v.map((x) => String(x).toLowerCase()) : [String(v).toLowerCase()];
    }
  }
}

function checkValues(store: Store, c: Clause): void {
  if (c.field !== 'project') return;
  for (const v of c.values) {
    if (v.kind === 'literal' && !store.project(v.text) && !store.db.projects.some((p) => p.name.toLowerCase() === v.text.toLowerCase())) {
      throw badRequest(`The value '${v.text}' does not exist for the field 'project'.`);
    }
  }
}

/**
 * JQL date values: "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd" or "yyyy-MM-dd", in
 * the user's time zone (every seeded user is on UTC). Stored property dates are ISO 8601.
 * Range operators apply to indexed `number` and `date` values ("allows range queries").
 * @see https://developer.atlassian.com/cloud/jira/platform/jira-entity-properties/
 */
export function jqlDate(text: string): number {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[ T](\d{2}):(\d{2}))?$/.exec(text.trim());
  if (!m)
    throw badRequest(
      `Date value '${text}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

function inRange(op: Op, have: number, want: number): boolean {
  if (Number.isNaN(have) || Number.isNaN(want)) return false;
  return op === '<' ? have < want : op === '<=' ? have <= want : op === '>' ? have > want : have >= want;
}

export function compile(
  q: Query,
  store: Store,
  principal: Principal,
  typeOf: (field: string) => IndexedType | undefined = () => undefined,
): (issue: IssueRecord) => boolean {
  for (const c of q.clauses) checkValues(store, c);
  for (const c of q.clauses) {
    const v = c.values[0];
    if (RANGE_OPS.has(c.op) && typeOf(c.field) === 'date' && v?.kind === 'literal') jqlDate(v.text);
  }
  const me = principal.user.accountId;
  return (issue) =>
    q.clauses.every((c) => {
      if (RANGE_OPS.has(c.op)) {
        const raw = propertyValue(issue, c.field);
        const v = c.values[0];
        if (raw === undefined || raw === null || v?.kind !== 'literal') return false;
        return typeOf(c.field) === 'date' ? inRange(c.op, Date.parse(String(raw)), jqlDate(v.text)) : inRange(c.op, Number(raw), Number(v.text));
      }
      const have = actual(store, issue, c.field);
      const wanted = c.values.map((v) => (v.kind === 'currentUser' ? me : v.kind === 'literal' ? v.text : null));
      const caseless = !['reporter', 'assignee'].includes(c.field);
      const hit = wanted.some((w) => (w === null ? have === null : have !== null && have.includes(caseless ? w.toLowerCase() : w)));
      return c.op === '=' || c.op === 'in' || c.op === 'is' ? hit : !hit && (c.op === 'is not' || have !== null);
    });
}

export function sorter(order: OrderBy[]): (a: IssueRecord, b: IssueRecord) => number {
  const keys: OrderBy[] = order.length ? order : [{ field: 'key', dir: 'DESC' }];
  return (a, b) => {
    for (const o of keys) {
      const d = o.field === 'key' ? Number(a.id) - Number(b.id) : a[o.field].localeCompare(b[o.field]) || Number(a.id) - Number(b.id);
      if (d) return o.dir === 'ASC' ? d : -d;
    }
    return 0;
  };
}
