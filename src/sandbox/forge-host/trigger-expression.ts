/**
 * The `expression` of a trigger `filter` (manifest.yml), the documented subset only.
 *
 * Atlassian documents the filter expression by one example and one sentence
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/trigger/):
 * "An expression used to filter out unwanted events", e.g.
 * `event.issue.fields?.issueType.name == 'Bug'`. The syntax is that of Jira expressions
 * (https://developer.atlassian.com/cloud/jira/platform/jira-expressions/), whose full
 * language (types, methods, arrow functions) this host does not imitate. It accepts:
 *
 *   the `event` root · member access `.name` and optional chaining `?.name` ·
 *   string ('…' or "…"), number, true, false, null literals · `==` `!=` · `!` `&&` `||` · ( )
 *
 * Anything else is refused when the manifest loads (MANIFEST_INVALID), so an app cannot
 * rely on syntax this host would evaluate differently from Forge. Evaluation is strict where
 * the docs are silent: `event` is the payload the handler receives; a member that the object
 * lacks, or access on null without `?.`, is an evaluation error (Jira expressions reject
 * unknown members too), and so is a result that is not a boolean. Evaluation errors go to the
 * filter's `onError` (see trigger-filter.ts). Nothing here logs a value from the payload.
 */

export type Expr =
  | { kind: 'lit'; value: string | number | boolean | null }
  | { kind: 'path'; steps: readonly { name: string; optional: boolean }[] }
  | { kind: 'not'; arg: Expr }
  | { kind: 'bin'; op: '==' | '!=' | '&&' | '||'; left: Expr; right: Expr };

/** Longest accepted expression: a filter is a line of configuration, not a program. */
export const MAX_EXPRESSION_LENGTH = 1000;

export class ExpressionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionSyntaxError';
  }
}

/** An evaluation error; its message names paths and types, never payload values. */
export class ExpressionEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionEvalError';
  }
}

type Tok = { t: 'id' | 'str' | 'num' | 'op'; v: string; at: number };

const OPS = ['?.', '==', '!=', '&&', '||', '.', '!', '(', ')'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          const n = src[j + 1];
          if (n !== c && n !== '\\') throw new ExpressionSyntaxError(`unsupported escape at ${j}`);
          s += n;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExpressionSyntaxError(`unterminated string at ${i}`);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    // `===`, `<`, `+`, `[`, `=>`, `,` ... are Jira-expression syntax this host does not evaluate.
    if (!op || (op === '==' && src[i + 2] === '=') || (op === '!=' && src[i + 2] === '=')) {
      throw new ExpressionSyntaxError(`unsupported syntax at ${i}: "${src.slice(i, i + 3)}"`);
    }
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  return out;
}

export function parseExpression(src: string): Expr {
  if (src.length > MAX_EXPRESSION_LENGTH) throw new ExpressionSyntaxError(`longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek()?.v === v;
  const fail = (what: string): never => {
    const t = peek();
    throw new ExpressionSyntaxError(t ? `${what} expected at ${t.at}, found "${t.v}"` : `${what} expected at the end`);
  };

  function primary(): Expr {
    const t = peek();
    if (!t) return fail('a value');
    if (t.t === 'op' && t.v === '(') {
      p++;
      const e = or();
      if (!isOp(')')) fail('")"');
      p++;
      return e;
    }
    if (t.t === 'str') {
      p++;
      return { kind: 'lit', value: t.v };
    }
    if (t.t === 'num') {
      p++;
      return { kind: 'lit', value: Number(t.v) };
    }
    if (t.t === 'id') {
      p++;
      if (t.v === 'true' || t.v === 'false') return { kind: 'lit', value: t.v === 'true' };
      if (t.v === 'null') return { kind: 'lit', value: null };
      if (t.v !== 'event') throw new ExpressionSyntaxError(`unknown name "${t.v}" at ${t.at}: only "event" is available`);
      const steps: { name: string; optional: boolean }[] = [];
      while (isOp('.') || isOp('?.')) {
        const optional = (peek() as Tok).v === '?.';
        p++;
        const name = peek();
        if (name?.t !== 'id') fail('a property name');
        steps.push({ name: (name as Tok).v, optional });
        p++;
      }
      if (isOp('(')) throw new ExpressionSyntaxError(`method calls are not supported (at ${(peek() as Tok).at})`);
      return { kind: 'path', steps };
    }
    return fail('a value');
  }
  function unary(): Expr {
    if (isOp('!')) {
      p++;
      return { kind: 'not', arg: unary() };
    }
    return primary();
  }
  function equality(): Expr {
    const left = unary();
    if (isOp('==') || isOp('!=')) {
      const op = (toks[p++] as Tok).v as '==' | '!=';
      const right = unary();
      if (isOp('==') || isOp('!=')) fail('"&&", "||" or ")"');
      return { kind: 'bin', op, left, right };
    }
    return left;
  }
  function and(): Expr {
    let e = equality();
    while (isOp('&&')) {
      p++;
      e = { kind: 'bin', op: '&&', left: e, right: equality() };
    }
    return e;
  }
  function or(): Expr {
    let e = and();
    while (isOp('||')) {
      p++;
      e = { kind: 'bin', op: '||', left: e, right: and() };
    }
    return e;
  }

  const e = or();
  if (p < toks.length) fail('the end of the expression');
  return e;
}

type Value = string | number | boolean | null | object;

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);

function evalPath(steps: readonly { name: string; optional: boolean }[], event: object): Value {
  let cur: unknown = event;
  let where = 'event';
  for (const s of steps) {
    if (cur === null || cur === undefined) {
      // Optional chaining short-circuits the rest of the chain, as in JavaScript and Jira expressions.
      if (s.optional) return null;
      throw new ExpressionEvalError(`${where} is null: "${s.name}" cannot be read (use ?. to allow null)`);
    }
    if (typeof cur !== 'object' || Array.isArray(cur)) throw new ExpressionEvalError(`${where} is a ${typeName(cur)}: it has no property "${s.name}"`);
    if (!Object.prototype.hasOwnProperty.call(cur, s.name)) throw new ExpressionEvalError(`${where} has no property "${s.name}"`);
    cur = (cur as Record<string, unknown>)[s.name];
    where = `${where}.${s.name}`;
  }
  return cur === undefined ? null : (cur as Value);
}

function evalExpr(e: Expr, event: object): Value {
  switch (e.kind) {
    case 'lit':
      return e.value;
    case 'path':
      return evalPath(e.steps, event);
    case 'not': {
      const v = evalExpr(e.arg, event);
      if (typeof v !== 'boolean') throw new ExpressionEvalError(`"!" needs a boolean, got a ${typeName(v)}`);
      return !v;
    }
    case 'bin': {
      if (e.op === '&&' || e.op === '||') {
        const l = evalExpr(e.left, event);
        if (typeof l !== 'boolean') throw new ExpressionEvalError(`"${e.op}" needs booleans, got a ${typeName(l)}`);
        if (e.op === '&&' ? !l : l) return l;
        const r = evalExpr(e.right, event);
        if (typeof r !== 'boolean') throw new ExpressionEvalError(`"${e.op}" needs booleans, got a ${typeName(r)}`);
        return r;
      }
      const l = evalExpr(e.left, event);
      const r = evalExpr(e.right, event);
      // Objects and lists compare by identity in JavaScript; Forge does not document it: refuse.
      if ((l !== null && typeof l === 'object') || (r !== null && typeof r === 'object')) {
        throw new ExpressionEvalError(`"${e.op}" compares values only, not a ${typeName(l)} with a ${typeName(r)}`);
      }
      return e.op === '==' ? l === r : l !== r;
    }
  }
}

/** True when the event passes the filter; throws ExpressionEvalError when it cannot tell. */
export function evaluateExpression(e: Expr, event: object): boolean {
  const v = evalExpr(e, event);
  if (typeof v !== 'boolean') throw new ExpressionEvalError(`the expression gave a ${typeName(v)}, not a boolean`);
  return v;
}
