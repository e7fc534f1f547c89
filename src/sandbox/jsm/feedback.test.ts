/**
 * Request feedback (CSAT), as Atlassian documents it for the servicedeskapi:
 * GET / POST / DELETE /rest/servicedeskapi/request/{requestIdOrKey}/feedback, body
 * CSATFeedbackFullDTO {type: "csat", rating 1..5, comment: {body}}. GET needs view
 * permission on the request; POST and DELETE "the reporter or an Atlassian Connect app".
 * @see https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-requestidorkey-feedback-post
 */
import * as assert from 'uvu/assert';
import { ALICE, call, newRequest, siteSuite } from './test-support.js';

const fb = siteSuite('servicedeskapi request feedback');
const path = (key: string) => `/rest/servicedeskapi/request/${key}/feedback`;

fb('the app records a rating with a comment; an agent reads it back as CSATFeedbackFullDTO', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Rated chat');
  const app = site.jsm.hostAuthHeaders({ type: 'app' });
  const posted = await call(site.jsm, 'POST', path(key), { headers: app, body: { type: 'csat', rating: 4, comment: { body: 'Quick and kind' } } });
  assert.is(posted.status, 200);
  assert.equal(posted.json, { type: 'csat', rating: 4, comment: { body: 'Quick and kind' } });
  const read = await call(site.jsm, 'GET', path(key), { email: ALICE });
  assert.is(read.status, 200);
  assert.equal(read.json, { type: 'csat', rating: 4, comment: { body: 'Quick and kind' } });
});

fb('the reporter may rate and delete; an agent who is not the reporter may not (403)', async ({ site }) => {
  const { key, email } = await newRequest(site.jsm, 'Reporter rates');
  const agent = await call(site.jsm, 'POST', path(key), { email: ALICE, body: { type: 'csat', rating: 1 } });
  assert.is(agent.status, 403);
  const own = await call(site.jsm, 'POST', path(key), { email, body: { rating: 5 } });
  assert.is(own.status, 200);
  assert.equal(own.json, { type: 'csat', rating: 5 });
  assert.is((await call(site.jsm, 'DELETE', path(key), { email: ALICE })).status, 403);
  assert.is((await call(site.jsm, 'DELETE', path(key), { email })).status, 204);
  assert.is((await call(site.jsm, 'GET', path(key), { email })).status, 404, 'no feedback after the delete');
  assert.is((await call(site.jsm, 'DELETE', path(key), { email })).status, 404);
});

fb('a rating outside 1..5, a non-integer one or another feedback type is refused with 400', async ({ site }) => {
  const { key } = await newRequest(site.jsm, 'Bad ratings');
  const app = site.jsm.hostAuthHeaders({ type: 'app' });
  for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 2.5 }, { type: 'nps', rating: 3 }, {}]) {
    const r = await call(site.jsm, 'POST', path(key), { headers: app, body });
    assert.is(r.status, 400, JSON.stringify(body));
    assert.type(r.json.errorMessage, 'string');
  }
  assert.is((await call(site.jsm, 'GET', path(key), { headers: app })).status, 404, 'nothing was recorded');
});

fb('feedback on a request that does not exist is 404', async ({ site }) => {
  const app = site.jsm.hostAuthHeaders({ type: 'app' });
  assert.is((await call(site.jsm, 'POST', path('SUP-9999'), { headers: app, body: { rating: 3 } })).status, 404);
});

fb.run();
