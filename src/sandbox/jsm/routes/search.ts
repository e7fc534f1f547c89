/** Enhanced JQL search: GET and POST /rest/api/3/search/jql with nextPageToken paging. */
import { JiraError, badRequest } from '../errors.js';
import { checkIndexed, compile, parse, sorter } from '../jql.js';
import { MAX_RECONCILE_ISSUES } from '../search-index.js';
import { DEFAULT_SEARCH_PAGE, MAX_SEARCH_PAGE, MAX_SEARCH_PAGE_ID_ONLY } from '../limits.js';
import { canBrowse } from '../permissions.js';
import { issue as renderIssue } from '../render.js';
import { route, type Route, type RouteRequest } from '../router.js';
import { fieldSelection } from './issues.js';
import { intParam, listParam, parseBody } from './common.js';
import { SearchBody } from './schemas.js';

interface SearchInput {
  jql: string;
  nextPageToken: string | null;
  maxResults: number | null;
  fields: string[];
  expand: string[];
  properties: string[];
  /** Issue ids whose current state the caller needs (POST only, at most 50). */
  reconcileIssues: number[];
}

/** Page tokens are opaque to clients; here they carry the offset and the query they belong to. */
function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jql })).toString('base64url');
}
function decodeToken(token: string, jql: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0 && t.q === jql) return t.o;
  } catch {
    /* falls through to the 400 below */
  }
  throw badRequest('The provided next page token is invalid or expired.');
}

function run(req: RouteRequest, input: SearchInput) {
  const { entityIndex, searchIndex, store } = req.site;
  const query = parse(input.jql, (name) => entityIndex.aliasOf(name));
  if (!query.clauses.length) throw badRequest('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  const typeOf = (field: string) => entityIndex.lookup(field)?.type;
  checkIndexed(query, typeOf);
  if (input.reconcileIssues.length > MAX_RECONCILE_ISSUES) throw badRequest(`The number of issues to reconcile cannot exceed ${MAX_RECONCILE_ISSUES}.`);
  const match = compile(query, store, req.principal, typeOf);
  const reconcile = new Set(input.reconcileIssues.map(String));
  const all = searchIndex
    .searchable(store.db.issues, reconcile)
    .filter((i) => canBrowse(req.principal, req.site.store.projectOf(i)) && match(i))
    .sort(sorter(query.order));
  const idOnly = !input.fields.length || (input.fields.length === 1 && input.fields[0] === 'id');
  const cap = idOnly ? MAX_SEARCH_PAGE_ID_ONLY : MAX_SEARCH_PAGE;
  const maxResults = Math.min(Math.max(input.maxResults ?? DEFAULT_SEARCH_PAGE, 1), cap);
  const offset = input.nextPageToken ? decodeToken(input.nextPageToken, input.jql) : 0;
  const page = all.slice(offset, offset + maxResults);
  const isLast = offset + page.length >= all.length;
  const view = {
    fields: fieldSelection(input.fields, false),
    expandRendered: input.expand.includes('renderedFields'),
    expandNames: false,
    properties: input.properties,
  };
  const issues = page.map((i) => (idOnly && !input.properties.length ? { id: i.id } : renderIssue(req.site, i, view)));
  const body: Record<string, unknown> = { issues, isLast };
  if (!isLast) body.nextPageToken = encodeToken(offset + page.length, input.jql);
  if (input.expand.includes('names')) body.names = {};
  return { status: 200, body };
}

/** The old search endpoint is gone from Jira Cloud; answering 410 keeps app code honest. */
const gone = () => {
  throw new JiraError(410, 'GONE', 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.');
};

export const searchRoutes: Route[] = [
  route('GET', '/rest/api/3/search', gone),
  route('POST', '/rest/api/3/search', gone),
  route('GET', '/rest/api/3/search/jql', (req) => {
    const raw = req.query.get('maxResults');
    return run(req, {
      jql: req.query.get('jql') ?? '',
      nextPageToken: req.query.get('nextPageToken'),
      maxResults: raw === null ? null : intParam(req.query, 'maxResults', DEFAULT_SEARCH_PAGE, 0),
      fields: listParam(req.query, 'fields'),
      expand: listParam(req.query, 'expand'),
      properties: listParam(req.query, 'properties'),
      reconcileIssues: [],
    });
  }),
  route('POST', '/rest/api/3/search/jql', (req) => {
    const b = parseBody(SearchBody, req.body);
    return run(req, {
      jql: b.jql ?? '',
      nextPageToken: b.nextPageToken ?? null,
      maxResults: b.maxResults ?? null,
      fields: b.fields ?? [],
      expand: (b.expand ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      properties: b.properties ?? [],
      reconcileIssues: b.reconcileIssues ?? [],
    });
  }),
];
