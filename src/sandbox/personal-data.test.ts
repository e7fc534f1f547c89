/**
 * Personal data reporting end to end: the app's weekly scheduled trigger, fired by the local
 * Forge host, lists what the real presence service holds, reports it to the host's Personal
 * data reporting endpoint, and the service erases the closed accounts and drops cached
 * details of updated ones.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEMO_PROJECT, type System } from './system.js';
import { withSystem } from './testing/system-suite.js';
import { connect } from './testing/ws-client.js';
import { keys, tenantPrefix } from '../presence-service/store/keys.js';

const test = suite<{ system: System; dir: string }>('personal data reporting (end to end)');

withSystem(test, 'personal-data');

const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, d.startsWith('s') ? [] : [{ start: '09:00', end: '17:00' }]]));
const schedule = { timeZone: 'Europe/Berlin', weekly, exceptions: [] };

async function customerChat(system: System, name: string, email: string): Promise<void> {
  const ws = await connect(`${system.presence.wsUrl}/ws/customer`, { origin: system.demo.origin });
  try {
    ws.send({ type: 'auth', widgetId: system.widgetId });
    await ws.next((f) => f.type === 'auth.ok');
    ws.send({ type: 'conversation.start', clientMsgId: `pd-${name.toLowerCase()}-0001`, text: 'Hello', prechat: { name, email } });
    await ws.next((f) => f.type === 'message.ack', 20_000);
  } finally {
    await ws.close();
  }
}

async function identities(system: System): Promise<{ accountId: string | null; name: string | null; email: string | null }[]> {
  const kv = system.presence.store.kv;
  const out = [];
  for (const k of await kv.keys(`${tenantPrefix(system.host.installationId)}identity:`)) out.push((await kv.get(k)) as any);
  return out;
}

test('the scheduled trigger reports what the service holds; closed accounts are erased there, updated ones refreshed', async ({ system }) => {
  const { host } = system;
  await customerChat(system, 'Eve', 'eve@example.com');
  await customerChat(system, 'Fay', 'fay@example.com');
  const byName = new Map((await identities(system)).map((r) => [r.name, r.accountId]));
  const eve = byName.get('Eve');
  const fay = byName.get('Fay');
  assert.ok(eve && fay, 'both customers are mapped to Jira accounts');
  const [alice, bob] = system.agents;
  assert.ok(alice && bob);
  for (const agent of [alice, bob]) {
    await host.invokeResolver({
      moduleKey: 'chat-project-settings', functionKey: 'projectSettings.saveAgentSchedule', accountId: agent.accountId,
      payload: { projectKey: DEMO_PROJECT, accountId: agent.accountId, schedule }, extension: { type: 'jira:projectSettingsPage', project: { key: DEMO_PROJECT } },
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
  assert.not.ok(after.some((r) => r.accountId === eve), "Eve's mapping is erased");
  assert.equal(after.filter((r) => r.accountId === fay).map((r) => [r.name, r.email]), [[null, null]], "Fay's cached name and email are dropped, the mapping kept");
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
