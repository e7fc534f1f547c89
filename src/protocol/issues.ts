/**
 * Turning a schema rejection into the one-line reason a caller gets back. The reason names
 * where the input was wrong (the field path) and what that field expects, never what was
 * sent: a path segment that is not a schema-like name (a record key the client chose,
 * found by fuzzing: `prechat.fields.<img src=x onerror=...>`) is shown as `*`, and the line
 * is bounded.
 */
export const MAX_ISSUE_CHARS = 160;
/** Field names our schemas use; record keys that look like these are harmless to name. */
const NAME_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;

export interface IssueLike {
  path: readonly PropertyKey[];
  message?: string;
  code?: string;
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? String(p) : typeof p === 'string' && NAME_SEGMENT.test(p) ? p : '*')).join('.');
}

/** `<path>: <message>` (or `<fallback>: ...` for the root), at most MAX_ISSUE_CHARS long. */
export function describeIssue(issue: IssueLike | undefined, fallback: string, what: 'message' | 'code' = 'message'): string {
  const where = issue?.path.length ? issuePath(issue.path) : fallback;
  const reason = (what === 'code' ? issue?.code : issue?.message) ?? 'invalid';
  const line = `${where}: ${reason}`;
  return line.length > MAX_ISSUE_CHARS ? line.slice(0, MAX_ISSUE_CHARS - 1) + '…' : line;
}
