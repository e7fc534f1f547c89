import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attachmentText, captionOf, commentToMessage, isoTime, type JiraComment } from './messages.js';
import { commentAudience } from './comment-audience.js';

const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const customer = { accountId: 'cust-1', name: 'Dora' };

const comment = (over: Partial<JiraComment>): JiraComment => ({
  id: '10001',
  author: { accountId: 'agent-1', displayName: 'Alice Agent' },
  body: doc('hello'),
  created: '2026-11-29T01:02:03.000+0000',
  ...over,
});

test('maps an app-written customer comment to a customer message with the clientMsgId', () => {
  const m = commentToMessage(
    comment({
      author: { accountId: 'app', displayName: 'Chat for JSM' },
      properties: [{ key: 'chat.message', value: { source: 'customer', customerAccountId: 'cust-1', clientMsgId: 'abcdefgh1' } }],
    }),
    'SUP-1',
    customer,
  );
  assert.equal(m, {
    id: '10001',
    conversationId: 'SUP-1',
    text: 'hello',
    at: '2026-11-29T01:02:03.000Z',
    clientMsgId: 'abcdefgh1',
    author: { kind: 'customer', name: 'Dora', accountId: 'cust-1' },
  });
});

test('maps a Jira UI comment to an agent message with name and no property', () => {
  const m = commentToMessage(comment({}), 'SUP-1', customer);
  assert.equal(m?.author, { kind: 'agent', name: 'Alice Agent', accountId: 'agent-1' });
  assert.is(m?.clientMsgId, undefined);
});

test('a portal comment by the customer themself is the customer speaking', () => {
  const m = commentToMessage(comment({ author: { accountId: 'cust-1', displayName: 'Dora D.' } }), 'SUP-1', customer);
  assert.is(m?.author.kind, 'customer');
});

test('drops internal notes marked either by jsdPublic or by sd.public.comment', () => {
  assert.is(commentToMessage(comment({ jsdPublic: false }), 'SUP-1', customer), undefined);
  assert.is(commentToMessage(comment({ properties: [{ key: 'sd.public.comment', value: { internal: true } }] }), 'SUP-1', customer), undefined);
  assert.is(commentAudience(comment({ properties: [{ key: 'sd.public.comment', value: { internal: false } }] })), 'customers');
});

test('drops role- and group-restricted comments, though JSM marks them public', () => {
  const role = comment({ jsdPublic: true, visibility: { type: 'role', value: 'Service Desk Team', identifier: 'Service Desk Team' } });
  const group = comment({
    jsdPublic: true,
    visibility: { type: 'group', value: 'jira-servicedesk-users', identifier: '5b1f3c53-0000-4000-8000-000000000002' },
  });
  assert.is(commentToMessage(role, 'SUP-1', customer), undefined);
  assert.is(commentToMessage(group, 'SUP-1', customer), undefined);
  assert.is(commentAudience(role), 'restricted');
  assert.is(commentAudience(group), 'restricted');
  assert.is(commentAudience(comment({ visibility: { type: 'something-new' } })), 'restricted', 'an unknown kind of restriction is still a restriction');
  assert.is(commentAudience(comment({ visibility: null })), 'customers');
  assert.is(commentAudience(comment({ jsdPublic: false, visibility: { type: 'role', value: 'x' } })), 'restricted');
});

test('converts Jira times (+0000) to RFC 3339 UTC', () => {
  assert.is(isoTime('2026-11-29T02:02:03.000+0100'), '2026-11-29T01:02:03.000Z');
});

test('attachment text names the file, its size and link, after the caption', () => {
  assert.is(attachmentText('see this', { name: 'a.png', size: 1536, url: 'https://x.example/a' }), 'see this\n\n📎 a.png (1.5 KB) https://x.example/a');
  assert.is(attachmentText('', { name: 'b.pdf', size: 12 }), '📎 b.pdf (12 B)');
});

test('an attachment comment keeps only its caption as text, so the file is not shown twice', () => {
  assert.is(captionOf(attachmentText('see this', { name: 'a.png', size: 1536, url: 'https://x.example/a' })), 'see this');
  assert.is(captionOf(attachmentText('', { name: 'b.pdf', size: 12 })), '');
  assert.is(captionOf('plain text'), 'plain text');
});

test.run();
