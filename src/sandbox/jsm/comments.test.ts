import * as assert from 'uvu/assert';
import { ADA, ALICE, BOB, adf, call, clients, newRequest, siteSuite } from './test-support.js';

const comments = siteSuite<{ key: string }>('issue comments');

comments.before(async (ctx) => {
  ctx.key = (await newRequest(ctx.site.jsm, 'Comment thread')).key;
  const { jira } = await clients(ctx.site.jsm, ALICE);
  for (let i = 1; i <= 7; i++) await jira.issueComments.addComment({ issueIdOrKey: ctx.key, body: adf(`message ${i}`) });
});

const texts = (cs: { body?: unknown }[] | undefined) =>
  (cs ?? []).map((c) => (c.body as { content: { content: { text: string }[] }[] }).content[0]?.content[0]?.text ?? '');

comments('pages through comments with startAt, maxResults and total', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const p1 = await jira.issueComments.getComments({ issueIdOrKey: key, startAt: 0, maxResults: 3 });
  assert.is(p1.total, 7);
  assert.is(p1.startAt, 0);
  assert.is(p1.maxResults, 3);
  assert.equal(texts(p1.comments), ['message 1', 'message 2', 'message 3']);
  const p3 = await jira.issueComments.getComments({ issueIdOrKey: key, startAt: 6, maxResults: 3 });
  assert.equal(texts(p3.comments), ['message 7']);
});

comments('orders by -created newest first', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const page = await jira.issueComments.getComments({ issueIdOrKey: key, orderBy: '-created', maxResults: 2 });
  assert.equal(texts(page.comments), ['message 7', 'message 6']);
  const bad = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/comment?orderBy=sideways`, { email: ALICE });
  assert.is(bad.status, 400);
});

comments('issue comment endpoints document only expand=renderedBody: properties come from comment/list', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({
    issueIdOrKey: key,
    body: adf('tagged'),
    properties: [{ key: 'chat.message', value: { source: 'agent-panel', clientMsgId: 'abcdefgh1' } }],
  });
  assert.is(c.properties, undefined);
  const one = await jira.issueComments.getComment({ issueIdOrKey: key, id: String(c.id), expand: 'properties,renderedBody' });
  assert.is(one.properties, undefined);
  assert.type(one.renderedBody, 'string');
  const listed = await jira.issueComments.getComments({ issueIdOrKey: key, expand: 'properties', orderBy: '-created', maxResults: 1 });
  assert.is(listed.comments?.[0]?.properties, undefined);
  const keys = await jira.issueCommentProperties.getCommentPropertyKeys({ commentId: String(c.id) });
  assert.equal(
    keys.keys?.map((k) => k.key),
    ['chat.message'],
  );
  const byIds = await jira.issueComments.getCommentsByIds({ ids: [Number(c.id)], expand: 'properties' });
  assert.equal(byIds.values?.[0]?.properties, [{ key: 'chat.message', value: { source: 'agent-panel', clientMsgId: 'abcdefgh1' } }]);
  assert.is(byIds.total, 1);
  assert.is(byIds.isLast, true);
});

comments('POST /comment/list answers many comments in one call, leaving out unknown ids and issues the caller cannot browse', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const page = await jira.issueComments.getComments({ issueIdOrKey: key, maxResults: 3 });
  const ids = (page.comments ?? []).map((c) => Number(c.id));
  const r = await call(site.jsm, 'POST', '/rest/api/3/comment/list?expand=properties', { email: ALICE, body: { ids: [...ids, 99999999] } });
  assert.is(r.status, 200);
  assert.equal(
    r.json.values.map((c: { id: string }) => Number(c.id)),
    ids,
  );
  assert.ok(r.json.values.every((c: { properties?: unknown }) => Array.isArray(c.properties)));
  const customer = await call(site.jsm, 'POST', '/rest/api/3/comment/list', { email: 'carl@sandbox.example', body: { ids } });
  assert.is(customer.status, 200);
  assert.equal(customer.json.values, []);
  const tooMany = await call(site.jsm, 'POST', '/rest/api/3/comment/list', { email: ALICE, body: { ids: Array.from({ length: 1001 }, (_, i) => i + 1) } });
  assert.is(tooMany.status, 400);
  const noIds = await call(site.jsm, 'POST', '/rest/api/3/comment/list', { email: ALICE, body: {} });
  assert.is(noIds.status, 400);
});

comments('sets, reads and deletes a comment property; sd.public.comment flips jsdPublic', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('will become internal') });
  assert.is(c.jsdPublic, true);
  await jira.issueCommentProperties.setCommentProperty({ commentId: String(c.id), propertyKey: 'sd.public.comment', body: { internal: true } });
  assert.is((await jira.issueComments.getComment({ issueIdOrKey: key, id: String(c.id) })).jsdPublic, false);
  await jira.issueCommentProperties.deleteCommentProperty({ commentId: String(c.id), propertyKey: 'sd.public.comment' });
  assert.is((await jira.issueComments.getComment({ issueIdOrKey: key, id: String(c.id) })).jsdPublic, true);
  const gone = await call(site.jsm, 'GET', `/rest/api/3/comment/${String(c.id)}/properties/sd.public.comment`, { email: ALICE });
  assert.is(gone.status, 404);
  assert.equal(gone.json.errorMessages, ["The property with key 'sd.public.comment' does not exist."]);
});

comments('edits own comment, keeps created, moves updated and updateAuthor', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('typo hre') });
  const edited = await jira.issueComments.updateComment({ issueIdOrKey: key, id: String(c.id), body: { body: adf('typo here') } });
  assert.equal(texts([edited]), ['typo here']);
  assert.equal(edited.created, c.created);
  assert.ok((edited.updated as Date).getTime() > (c.updated as Date).getTime());
  const notMine = await call(site.jsm, 'PUT', `/rest/api/3/issue/${key}/comment/${String(c.id)}`, { email: BOB, body: { body: adf('not mine') } });
  assert.is(notMine.status, 403);
  const { jira: ada } = await clients(site.jsm, ADA);
  const byAdmin = await ada.issueComments.updateComment({ issueIdOrKey: key, id: String(c.id), body: { body: adf('admin fix') } });
  assert.is(byAdmin.updateAuthor?.displayName, 'Ada Admin');
  assert.is(byAdmin.author?.displayName, 'Alice Agent');
});

comments('deletes a comment and then answers 404 for it', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('short-lived') });
  await jira.issueComments.deleteComment({ issueIdOrKey: key, id: String(c.id) });
  const r = await call(site.jsm, 'GET', `/rest/api/3/issue/${key}/comment/${String(c.id)}`, { email: ALICE });
  assert.is(r.status, 404);
});

comments('rejects a body that is not ADF with a per-field 400', async ({ site, key }) => {
  const r = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: { body: { type: 'paragraph' } } });
  assert.is(r.status, 400);
  assert.equal(r.json.errorMessages, []);
  assert.ok(Object.keys(r.json.errors).length === 1);
  const broken = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, rawBody: '{"body":' });
  assert.is(broken.status, 400);
  assert.is(broken.json.errorMessages.length, 1);
});

comments('jira.js wiki-markup strings go through v2 and come back as ADF', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const c = await jira.issueComments.addComment({ issueIdOrKey: key, body: 'plain words' });
  assert.equal(texts([c]), ['plain words']);
  const edited = await jira.issueComments.updateComment({ issueIdOrKey: key, id: String(c.id), body: { body: 'other words' } });
  assert.equal(texts([edited]), ['other words']);
  const empty = await call(site.jsm, 'POST', `/rest/api/3/issue/${key}/comment`, { email: ALICE, body: {} });
  assert.equal(empty.json, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
});

comments('comment ids grow monotonically', async ({ site, key }) => {
  const { jira } = await clients(site.jsm, ALICE);
  const a = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('a') });
  const b = await jira.issueComments.addComment({ issueIdOrKey: key, body: adf('b') });
  assert.ok(Number(b.id) === Number(a.id) + 1);
  assert.ok(Number(a.id) > 10000);
});

comments.run();
