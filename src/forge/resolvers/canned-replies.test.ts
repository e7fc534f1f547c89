/** Canned replies against the local Forge host and the JSM stand-in: who may read, who may write, where they live. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startWorld, type World } from '../__fixtures__/world.js';

let w: World;
test.before(async () => {
  w = await startWorld();
});
test.after(async () => {
  await w.close();
});

const REPLIES = [
  { id: 'greeting', title: 'Greeting', text: 'Hi {customer.firstName}, {agent.name} here. I am looking at {request.key}.' },
  { id: 'refund', title: 'Refund policy', text: 'Refunds take up to 5 working days.' },
];

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: Error) => e,
  );
  assert.ok(err, `expected a rejection with ${code}`);
  assert.match(err!.message, code);
}

test('a project admin saves the list in project settings; an agent reads it in the panel', async () => {
  const saved = await w.resolve('cannedReplies.save', { projectKey: 'SUP', replies: REPLIES }, w.people.ada, 'chat-project-settings');
  assert.equal(saved.replies, REPLIES);
  const read = await w.resolve('cannedReplies.list', { projectKey: 'SUP' }, w.people.alice);
  assert.equal(read, { replies: REPLIES, canEdit: false });
  const asAdmin = await w.resolve('cannedReplies.list', { projectKey: 'SUP' }, w.people.ada, 'chat-project-settings');
  assert.is(asAdmin.canEdit, true);
});

test('an agent may not change the list, and a customer may not read it', async () => {
  await rejects(w.resolve('cannedReplies.save', { projectKey: 'SUP', replies: [] }, w.people.alice, 'chat-project-settings'), 'forbidden');
  await rejects(w.resolve('cannedReplies.list', { projectKey: 'SUP' }, w.people.carl), 'forbidden');
  assert.is((await w.resolve('cannedReplies.list', { projectKey: 'SUP' }, w.people.alice)).replies.length, 2, 'unchanged');
});

test('each project has its own list, and an invalid list is refused before anything is stored', async () => {
  assert.equal((await w.resolve('cannedReplies.list', { projectKey: 'HR' }, w.people.ada, 'chat-project-settings')).replies, []);
  await rejects(w.resolve('cannedReplies.save', { projectKey: 'SUP', replies: [REPLIES[0], REPLIES[0]] }, w.people.ada, 'chat-project-settings'), 'invalid');
  assert.is((await w.resolve('cannedReplies.list', { projectKey: 'SUP' }, w.people.alice)).replies.length, 2);
});

test('they live in the app’s Forge storage, not in the presence service', async () => {
  const calls = w.presence.callsTo('project-config.put').length + w.presence.callsTo('project-config.get').length;
  await w.resolve('cannedReplies.save', { projectKey: 'SUP', replies: REPLIES.slice(0, 1) }, w.people.ada, 'chat-project-settings');
  assert.is(w.presence.callsTo('project-config.put').length + w.presence.callsTo('project-config.get').length, calls);
  assert.ok(!JSON.stringify(w.presence.calls).includes('looking at'), 'no reply text reached the presence service');
});

test.run();
