import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from './jql.js';
import { ADA, ALICE, CHAT_INDEX, call, clients, newRequest, siteSuite } from './test-support.js';

const parser = suite('jql parser');

parser('parses clauses joined by AND and an ORDER BY', () => {
  const q = parse('project = SUP AND issue.property[chat.conversation].status = "open" ORDER BY created DESC');
  assert.equal(
    q.clauses.map((c) => [c.field, c.op]),
    [
      ['project', '='],
      ['issue.property[chat.conversation].status', '='],
    ],
  );
  assert.equal(q.order, [{ field: 'created', dir: 'DESC' }]);
});

parser('parses in-lists, IS EMPTY and currentUser()', () => {
  const q = parse('key in (SUP-1, "SUP-2") and assignee is EMPTY and reporter = currentUser()');
  assert.is(q.clauses[0]?.values.length, 2);
  assert.equal(q.clauses[1], { field: 'assignee', op: 'is', values: [{ kind: 'empty' }] });
  assert.equal(q.clauses[2]?.values, [{ kind: 'currentUser' }]);
});

parser('rejects OR, unknown fields, functions and unterminated strings with Jira wording', () => {
  const bad = ['project = SUP OR project = HR', 'labels = x', 'assignee = membersOf("x")', 'summary ~ "x"', 'project = "SUP', 'project SUP'];
  for (const jql of bad) {
    try {
      parse(jql);
      assert.unreachable(jql);
    } catch (e) {
      assert.is((e as { status?: number }).status, 400, jql);
    }
  }
});

parser.run();

const search = siteSuite<{ keys: string[] }>('jql search');

search.before(async (ctx) => {
  ctx.site.jsm.installApp({ entityProperties: CHAT_INDEX });
  ctx.keys = [];
  for (let i = 1; i <= 5; i++) ctx.keys.push((await newRequest(ctx.site.jsm, `Chat ${i}`)).key);
  const { jira } = await clients(ctx.site.jsm, ALICE);
  for (const [i, key] of ctx.keys.entries()) {
    await jira.issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: 'chat.conversation', body: { v: 1, status: i < 3 ? 'open' : 'closed' } });
  }
});

search('finds issues by an issue property path', async ({ site, keys }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const r = await jira.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: 'project = SUP AND issue.property[chat.conversation].status = "open" ORDER BY created ASC',
    fields: ['summary'],
    properties: ['chat.conversation'],
  });
  assert.equal(
    r.issues?.map((i) => i.key),
    keys.slice(0, 3),
  );
  assert.equal(r.issues?.[0]?.properties, { 'chat.conversation': { v: 1, status: 'open' } });
  assert.is(r.isLast, true);
});

search('pages with nextPageToken until isLast', async ({ site, keys }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const seen: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < 5; i++) {
    const r = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: 'project = SUP ORDER BY created ASC',
      maxResults: 2,
      fields: ['summary'],
      nextPageToken: token,
    });
    seen.push(...(r.issues ?? []).map((x) => String(x.key)));
    if (r.isLast) break;
    token = r.nextPageToken ?? undefined;
  }
  assert.equal(seen, keys);
});

search('without fields returns ids only, as the enhanced search does', async ({ site }) => {
  const r = await call(site.jsm, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('project = SUP')}&maxResults=1`, { email: ALICE });
  assert.equal(Object.keys(r.json.issues[0]), ['id']);
  assert.is(r.json.isLast, false);
  assert.type(r.json.nextPageToken, 'string');
});

search('filters by status, statusCategory, assignee and currentUser()', async ({ site, keys }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const first = keys[0] as string;
  const me = site.jsm.users.find((u) => u.displayName === 'Alice Agent')?.accountId;
  await jira.issues.assignIssue({ issueIdOrKey: first, accountId: me });
  const mine = await jira.issueSearch.searchAndReconsileIssuesUsingJql({ jql: 'assignee = currentUser()', fields: ['summary'] });
  assert.equal(
    mine.issues?.map((i) => i.key),
    [first],
  );
  const unassigned = await jira.issueSearch.searchAndReconsileIssuesUsingJql({ jql: 'project = SUP AND assignee IS EMPTY', fields: ['summary'] });
  assert.is(unassigned.issues?.length, keys.length - 1);
  const open = await jira.issueSearch.searchAndReconsileIssuesUsingJql({
    jql: 'project = SUP AND statusCategory != Done AND status = "Waiting for support"',
    fields: ['summary'],
  });
  assert.is(open.issues?.length, keys.length);
});

search('answers 400 with a JQL error for unsupported or unbounded queries', async ({ site }) => {
  for (const jql of ['project = SUP OR key = SUP-1', '', 'ORDER BY created', 'project = NOPE']) {
    const r = await call(site.jsm, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}`, { email: ADA });
    assert.is(r.status, 400, jql);
    assert.is(r.json.errorMessages.length, 1, jql);
  }
  const token = await call(site.jsm, 'GET', `/rest/api/3/search/jql?jql=project%3DSUP&nextPageToken=garbage`, { email: ADA });
  assert.is(token.status, 400);
});

search('the removed /rest/api/3/search answers 410 Gone', async ({ site }) => {
  const r = await call(site.jsm, 'GET', '/rest/api/3/search?jql=project%3DSUP', { email: ADA });
  assert.is(r.status, 410);
  assert.match(r.json.errorMessages[0], /search\/jql/);
});

search('a property path answers only when the installed app declared its index (jira:entityProperty)', async ({ site }) => {
  const jql = (q: string) => call(site.jsm, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(q)}&fields=summary`, { email: ALICE });
  const undeclared = await jql('project = SUP AND issue.property[chat.conversation].channel = "web"');
  assert.is(undeclared.status, 400);
  assert.match(undeclared.json.errorMessages[0], /issue\.property\[chat\.conversation\]\.channel/);
  assert.equal(undeclared.json.errors, {});
  const byAlias = await jql('project = SUP AND chatStatus = open ORDER BY created ASC');
  assert.is(byAlias.status, 200);
  assert.is(byAlias.json.issues.length, 3);
  site.jsm.installApp({ entityProperties: [] });
  try {
    const uninstalled = await jql('project = SUP AND issue.property[chat.conversation].status = open');
    assert.is(uninstalled.status, 400);
    assert.is((await jql('chatStatus = open')).status, 400);
  } finally {
    site.jsm.installApp({ entityProperties: CHAT_INDEX });
  }
});

search('range operators compare indexed date and number values, and only those', async ({ site, keys }) => {
  const index = [
    ...CHAT_INDEX,
    {
      propertyKey: 'chat.stats',
      values: [
        { path: 'started', type: 'date' as const, searchAlias: 'chatStarted' },
        { path: 'firstResponseSec', type: 'number' as const },
      ],
    },
  ];
  site.jsm.installApp({ entityProperties: index });
  try {
    const { jira } = await clients(site.jsm, ALICE);
    const days = ['2026-11-01T10:00:00.000Z', '2026-11-02T23:59:00.000Z', '2026-11-03T00:00:00.000Z'];
    for (const [i, started] of days.entries()) {
      await jira.issueProperties.setIssueProperty({ issueIdOrKey: keys[i] as string, propertyKey: 'chat.stats', body: { started, firstResponseSec: i * 50 } });
    }
    const jql = (q: string) => call(site.jsm, 'GET', `/rest/api/3/search/jql?jql=${encodeURIComponent(q)}&fields=summary`, { email: ALICE });
    const keysOf = (r: { json: { issues: { key: string }[] } }) => r.json.issues.map((i) => i.key).sort();
    assert.equal(keysOf(await jql('project = SUP AND chatStarted >= "2026-11-02" AND chatStarted < "2026/11/03"')), [keys[1]]);
    assert.equal(keysOf(await jql('project = SUP AND chatStarted <= "2026-11-03 00:00"')), keys.slice(0, 3).sort());
    assert.equal(keysOf(await jql('project = SUP AND issue.property[chat.stats].firstResponseSec > 40')), keys.slice(1, 3).sort());
    const onString = await jql('project = SUP AND chatStatus > open');
    assert.is(onString.status, 400);
    assert.match(onString.json.errorMessages[0], /operator '>' is not supported/);
    const badDate = await jql('project = SUP AND chatStarted >= "last week"');
    assert.is(badDate.status, 400);
    assert.match(badDate.json.errorMessages[0], /yyyy-MM-dd/);
  } finally {
    site.jsm.installApp({ entityProperties: CHAT_INDEX });
  }
});

search.run();
