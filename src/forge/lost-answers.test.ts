/**
 * Exactly once in Jira when Jira's answer to a comment is lost: Jira wrote the comment, the
 * app was told 502 and gave its claim back, the sender retried with the same message id.
 * Without a look for the earlier comment the retry posts a second one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { adfToText } from '../protocol/adf.js';
import { startWorld, type World } from './__fixtures__/world.js';

let w: World;
test.before(async () => {
  // No injected 429s: the proxy must meet the comment POST itself, not a rate-limited attempt of it.
  w = await startWorld({ rateLimit: { everyNth: 0, retryAfterSeconds: 1 } }, { lossyJira: true });
});
test.after(async () => {
  await w?.close();
});

const CALLER = 'v:' + 'c3'.repeat(16);
const commentPost = (method: string, path: string) => method === 'POST' && /^\/rest\/api\/3\/issue\/[^/]+\/comment$/.test(path);

const start = (clientMsgId: string, text: string) => ({
  type: 'conversation.start',
  projectKey: 'SUP',
  clientMsgId,
  caller: CALLER,
  channel: 'web',
  customer: { name: 'Lou Lost', email: 'lou@lost.example', verified: false },
  text,
});

async function textsIn(issueKey: string): Promise<string[]> {
  return (await w.comments('app', issueKey)).map((c: { body: unknown }) => adfToText(c.body as never).trim());
}

test('a customer message Jira wrote but whose answer was lost is in Jira once after the retry, with one id', async () => {
  const s = await w.inbound(start('lost-start-000001', 'Hello'));
  assert.is(s.status, 200, JSON.stringify(s.body));
  const msg = {
    type: 'message.customer',
    conversationId: s.body.conversationId,
    customerAccountId: s.body.customerAccountId,
    clientMsgId: 'lost-msg-0000001',
    caller: CALLER,
    text: 'Where is my parcel?',
  };

  const lost = w.lossy!.loseNextAnswer(commentPost);
  const first = await w.inbound(msg);
  assert.is((await lost).status, 201, 'Jira created the comment');
  assert.ok(first.status >= 500, `the app could not know it was written: ${first.status}`);

  const retry = await w.inbound(msg);
  assert.is(retry.status, 200, JSON.stringify(retry.body));
  assert.equal(await textsIn(s.body.conversationId), ['Hello', 'Where is my parcel?']);
  // From now on the id answers with that comment, as any replay does.
  assert.equal((await w.inbound(msg)).body, retry.body);
});

test("a conversation start whose first comment's answer was lost resumes into one request with one first comment", async () => {
  const call = start('lost-start-000002', 'My order never came');
  const lost = w.lossy!.loseNextAnswer(commentPost);
  const first = await w.inbound(call);
  assert.is((await lost).status, 201);
  assert.ok(first.status >= 500, String(first.status));

  const retry = await w.inbound(call);
  assert.is(retry.status, 200, JSON.stringify(retry.body));
  assert.equal(await textsIn(retry.body.conversationId), ['My order never came']);
});

test("an agent's reply whose answer was lost is in Jira once after the agent sends it again", async () => {
  const s = await w.inbound(start('lost-start-000003', 'Hi'));
  const reply = { issueKey: s.body.conversationId, clientMsgId: 'lost-agent-000001', text: 'On its way' };
  const lost = w.lossy!.loseNextAnswer(commentPost);
  const failed = await w.resolve('chat.send', reply, w.people.alice).then(
    () => null,
    (e: unknown) => e,
  );
  assert.instance(failed, Error, 'the first send failed');
  assert.match(String(failed), '502');
  assert.is((await lost).status, 201);

  const again = (await w.resolve('chat.send', reply, w.people.alice)) as { message: { text: string } };
  assert.is(again.message.text, 'On its way');
  assert.equal(
    (await textsIn(s.body.conversationId)).filter((t) => t === 'On its way'),
    ['On its way'],
  );
});

test.run();
