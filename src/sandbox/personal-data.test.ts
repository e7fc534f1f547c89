/**
 * Personal data reporting end to end: the app's weekly scheduled trigger, fired by the local
 * Forge host, lists what the real presence service holds, reports it to the host's Personal
 * data reporting endpoint, and the service erases the closed accounts and keeps the id
 * mapping of updated ones (it caches no names or emails to refresh).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_PROJECT, type System } from './system.js';
import { withSystem } from './testing/system-suite.js';
import { connect } from './testing/ws-client.js';
import { keys, tenantPrefix } from '../presence-service/store/keys.js';

const test = suite<{ system: System; dir: string }>('personal data reporting (end to end)');

withSystem(test, 'personal-data');

const weekly = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, d.startsWith('s') ? [] : [{ start: '09:00', end: '17:00' }]]),
);
const schedule = { timeZone: 'Europe/Berlin', weekly, exceptions: [] };

/** Starts a chat and answers the Jira account the visitor's token now maps to. */
async function customerChat(system: System, name: string, email: string): Promise<string> {
  const known = new Set((await identities(system)).map((r) => r.accountId));
  const ws = await connect(`${system.presence.wsUrl}/ws/customer`, { origin: system.demo.origin });
  try {
    ws.send({ type: 'auth', widgetId: system.widgetId });
    await ws.next((f) => f.type === 'auth.ok');
    ws.send({ type: 'conversation.start', clientMsgId: `pd-${name.toLowerCase()}-0001`, text: 'Hello', prechat: { name, email } });
    await ws.next((f) => f.type === 'message.ack', 20_000);
  } finally {
    await ws.close();
  }
  const fresh = (await identities(system)).map((r) => r.accountId).filter((a): a is string => !!a && !known.has(a));
  assert.is(fresh.length, 1, 'one new mapping');
  return fresh[0]!;
}

async function identities(system: System): Promise<(Record<string, unknown> & { accountId: string | null })[]> {
  const kv = system.presence.store.kv;
  const out = [];
  for (const k of await kv.keys(`${tenantPrefix(system.host.installationId)}identity:`)) out.push((await kv.get(k)) as any);
  return out;
}

test('the scheduled trigger reports what the service holds; closed accounts are erased there, updated ones keep their mapping', async ({ system }) => {
  const { host } = system;
  const eve = await customerChat(system, 'Eve', 'eve@example.com');
  const fay = await customerChat(system, 'Fay', 'fay@example.com');
  const [alice, bob] = system.agents;
  assert.ok(alice && bob);
  for (const agent of [alice, bob]) {
    await host.invokeResolver({
      moduleKey: 'chat-project-settings',
      functionKey: 'projectSettings.saveAgentSchedule',
      accountId: agent.accountId,
      payload: { projectKey: DEMO_PROJECT, accountId: agent.accountId, schedule },
      extension: { type: 'jira:projectSettingsPage', project: { key: DEMO_PROJECT } },
    });
  }
  host.accounts.close(eve);
  host.accounts.close(alice.accountId);
  host.accounts.update(fay, Date.now() + 60_000);

  assert.equal(await host.fireScheduledTrigger('personal-data-report'), { statusCode: 204 });

  const reported = host.accounts.reports.flatMap((r) => r.accountIds);
  for (const id of [eve, fay, alice.accountId, bob.accountId]) assert.ok(reported.includes(id), 'every held account was reported');
  const kv = system.presence.store.kv;
  const installationId = system.host.installationId;
  const after = await identities(system);
  assert.not.ok(
    after.some((r) => r.accountId === eve),
    "Eve's mapping is erased",
  );
  const fays = after.filter((r) => r.accountId === fay);
  assert.is(fays.length, 1, "Fay's mapping is kept");
  assert.not.ok('name' in fays[0]! || 'email' in fays[0]!, 'no name or email was ever cached');
  assert.is(await kv.get(keys.agentSchedule(installationId, DEMO_PROJECT, alice.accountId)), null, "Alice's schedule is erased");
  assert.ok(await kv.get(keys.agentSchedule(installationId, DEMO_PROJECT, bob.accountId)), "Bob's schedule stays");

  // A second run reports only what is left and finds nothing more to do.
  const before = host.accounts.reports.length;
  assert.equal(await host.fireScheduledTrigger('personal-data-report'), { statusCode: 204 });
  const second = host.accounts.reports.slice(before).flatMap((r) => r.accountIds);
  assert.not.ok(second.includes(eve) || second.includes(alice.accountId));
  assert.ok(second.includes(bob.accountId) && second.includes(fay));
});

test.run();
