import * as assert from 'uvu/assert';
import { ALICE, adf, call, clients, newRequest, siteSuite, waitForEvents } from './test-support.js';
import type { ProductEvent } from './types.js';

const events = siteSuite('product events');

events.before.each(({ site }) => {
  site.events.length = 0;
});

const ISSUE_FIELDS = ['assignee', 'created', 'creator', 'issuetype', 'project', 'reporter', 'status', 'summary', 'updated'];

function assertIssueShape(e: ProductEvent, key: string): void {
  assert.is(e.payload.issue.key, key);
  assert.type(e.payload.issue.id, 'string');
  assert.equal(Object.keys(e.payload.issue.fields).sort(), ISSUE_FIELDS);
  assert.type(e.payload.issue.fields.reporter.accountId, 'string');
  assert.is(e.payload.eventType, e.eventType);
}

events('request creation fires avi:jira:created:issue with the actor', async ({ site }) => {
  const { key, customer } = await newRequest(site.jsm, 'Event me');
  const [created] = (await waitForEvents(site, 1)).filter((e) => e.eventType === 'avi:jira:created:issue');
  assert.ok(created);
  assertIssueShape(created, key);
  const ada = site.jsm.users.find((u) => u.displayName === 'Ada Admin')?.accountId;
  assert.is(created.payload.atlassianId, ada);
  assert.equal(created.payload.associatedUsers, [{ accountId: ada }]);
  assert.is(created.payload.issue.fields.reporter.accountId, customer.accountId);
  assert.is((created.payload.issue.fields.status as { name: string }).name, 'Waiting for support');
});

events('a new comment and an edit both fire avi:jira:commented:issue', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Talk');
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({
    issueIdOrKey: key,
    body: adf('first'),
    properties: [{ key: 'sd.public.comment', value: { internal: true } }],
  });
  await jira.issueComments.updateComment({ issueIdOrKey: key, id: String(c.id), body: { body: adf('second') } });
  const got = (await waitForEvents(site, 3)).filter((e) => e.eventType === 'avi:jira:commented:issue');
  assert.is(got.length, 2);
  const [added, edited] = got as [ProductEvent, ProductEvent];
  assertIssueShape(added, key);
  assert.equal(Object.keys(added.payload.comment ?? {}).sort(), ['author', 'body', 'created', 'id', 'jsdPublic', 'updateAuthor', 'updated']);
  assert.is(added.payload.comment?.id, c.id);
  assert.is(added.payload.comment?.jsdPublic, false);
  assert.equal(added.payload.comment?.body, adf('first'));
  assert.equal(edited.payload.comment?.body, adf('second'));
  assert.is(edited.payload.comment?.created, added.payload.comment?.created);
});

events('assignment and transition fire avi:jira:updated:issue with a changelog', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Move');
  const { jira } = await clients(site.jsm, ALICE);
  const alice = site.jsm.users.find((u) => u.displayName === 'Alice Agent')?.accountId;
  await jira.issues.assignIssue({ issueIdOrKey: key, accountId: alice });
  await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: '11' } });
  await jira.issues.editIssue({ issueIdOrKey: key, fields: { summary: 'Move' } });
  const updates = (await waitForEvents(site, 3)).filter((e) => e.eventType === 'avi:jira:updated:issue');
  assert.is(updates.length, 2, 'a no-op edit fires nothing');
  const [assigned, moved] = updates as [ProductEvent, ProductEvent];
  assert.equal(
    assigned.payload.changelog?.items.map((i) => [i.field, i.to, i.toString]),
    [['assignee', alice, 'Alice Agent']],
  );
  assert.equal(assigned.payload.issue.fields.assignee, { accountId: alice });
  assert.equal(
    moved.payload.changelog?.items.map((i) => [i.field, i.fromString, i.toString]),
    [['status', 'Waiting for support', 'Waiting for customer']],
  );
  assert.ok(Number(moved.payload.changelog?.id) > Number(assigned.payload.changelog?.id));
});

events('a deleted comment fires avi:jira:deleted:comment', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Delete');
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('oops') });
  await jira.issueComments.deleteComment({ issueIdOrKey: key, id: String(c.id) });
  const del = (await waitForEvents(site, 3)).find((e) => e.eventType === 'avi:jira:deleted:comment');
  assert.is(del?.payload.comment?.id, c.id);
});

events('a rejected request fires no event', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Rejected');
  await waitForEvents(site, 1);
  site.events.length = 0;
  const r = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: { body: 'not adf' } });
  assert.is(r.status, 400);
  // Events go out after their response; once the next request's event is here, one from the
  // rejected request would have been delivered before it.
  const ok = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: { body: adf('fine') } });
  assert.is(ok.status, 201);
  assert.equal(
    (await waitForEvents(site, 1)).map((e) => e.eventType),
    ['avi:jira:commented:issue'],
  );
});

events('a listener that throws does not stop the others', async ({ site }) => {
  const stop = site.jsm.onEvent(() => {
    throw new Error('listener bug');
  });
  const log = console.error;
  console.error = () => undefined;
  try {
    await newRequest(site.jsm, 'Robust');
    assert.ok((await waitForEvents(site, 1)).length >= 1);
  } finally {
    console.error = log;
    stop();
  }
});

events.run();
