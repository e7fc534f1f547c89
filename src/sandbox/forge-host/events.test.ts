import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ForgeHostError } from './errors.js';
import { eventDelayMs } from './event-delay.js';
import { EventDelivery, type EventTrigger } from './events.js';
import { withHostSite } from './fixtures/host-site.js';
import { EVENT_DELAY_DEFAULT_MS } from './limits.js';
import { parseTrigger } from './trigger-filter.js';

const USER = 'agent-1';
const APP = 'app-account'; // the fake Jira's app account

test('an event is delivered asynchronously, after the configured delay and not before', async () => {
  await withHostSite({ eventDelayMs: 1500 }, async ({ jira, host }) => {
    const get = (key: string) => host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsGet', payload: { key }, accountId: USER, extension: {} });
    const t0 = Date.now();
    jira.emit('avi:jira:commented:issue', { atlassianId: USER, issue: { key: 'SUP-1' }, comment: { id: 'late' } });
    assert.is(await get('attempts-late'), null, 'not delivered while the REST call that caused it returns');
    await host.idle();
    assert.ok(Date.now() - t0 >= 1500, `delivered after ${Date.now() - t0} ms`);
    assert.is(await get('attempts-late'), 1);
  });
});

test('only a returned InvocationError is retried (after its retryAfter, with retryContext, at most 4 times); a throw is not; logs carry no payload', async () => {
  const lines: string[] = [];
  await withHostSite({ log: (l) => lines.push(l), eventDelayMs: 100 }, async ({ jira, host }) => {
    const get = (key: string) => host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsGet', payload: { key }, accountId: USER, extension: {} });
    const emit = (id: string, mode: string) =>
      jira.emit('avi:jira:commented:issue', { atlassianId: USER, issue: { key: 'SUP-1' }, comment: { id, mode, body: 'private words' } });
    const t0 = Date.now();
    emit('r2', 'retry-twice');
    emit('th', 'throw');
    emit('ra', 'retry-always');
    emit('mf', 'malformed');
    jira.emit('avi:jira:unrelated', { atlassianId: USER, comment: { id: 'un' } });
    await host.idle();

    assert.is(await get('attempts-r2'), 3);
    assert.equal(await get('delivered-r2'), { eventType: 'avi:jira:commented:issue', attempts: 3 });
    assert.is(await get('retry-context-r2-1'), 'none');
    assert.equal(await get('retry-context-r2-2'), { retryCount: 1, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { attempts: 1 } });
    assert.equal(await get('retry-context-r2-3'), { retryCount: 2, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { attempts: 2 } });

    assert.is(await get('attempts-th'), 1, 'a handler that throws is not retried');
    assert.is(await get('delivered-th'), null);
    assert.is(await get('attempts-ra'), 5, 'the first delivery and four retries');
    assert.equal(await get('retry-context-ra-5'), { retryCount: 4, retryReason: 'FUNCTION_RETRY_REQUEST', retryData: { attempts: 4 } });
    assert.is(await get('attempts-mf'), 1, 'a malformed retry request is not honoured');
    assert.is(await get('attempts-un'), null);
    assert.ok(Date.now() - t0 >= 4000, 'four retries, each after retryAfter = 1 s');

    const log = lines.join('\n');
    assert.match(log, /comment-events on avi:jira:commented:issue \(attempt 1\) threw Error; not retried/);
    assert.match(log, /returned an InvocationError after 4 retries; giving up/);
    assert.match(log, /malformed InvocationError/);
    assert.not.ok(log.includes('private words'));
  });
});

test('ignoreSelf drops events the app caused (atlassianId = its account) and delivers those a user caused', async () => {
  await withHostSite({ eventDelayMs: 50 }, async ({ jira, host }) => {
    const get = (key: string) => host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsGet', payload: { key }, accountId: USER, extension: {} });
    jira.emit('avi:jira:commented:issue', { atlassianId: APP, issue: { key: 'SUP-1' }, comment: { id: 'by-app' } });
    jira.emit('avi:jira:commented:issue', { atlassianId: USER, issue: { key: 'SUP-1' }, comment: { id: 'by-user' } });
    await host.idle();
    assert.is(await get('attempts-by-app'), null);
    assert.is(await get('attempts-by-user'), 1);
  });
});

test('expression filters, module-wide and per event; an evaluation error does what onError says', async () => {
  const lines: string[] = [];
  await withHostSite({ log: (l) => lines.push(l), eventDelayMs: 50 }, async ({ jira, host }) => {
    const get = (key: string) => host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsGet', payload: { key }, accountId: USER, extension: {} });
    const issue = (key: string, type: string, summary = 'x') => ({ key, fields: { summary, issuetype: { name: type } } });
    jira.emit('avi:jira:updated:issue', { atlassianId: USER, issue: issue('SUP-1', 'Bug') });
    jira.emit('avi:jira:updated:issue', { atlassianId: USER, issue: issue('SUP-2', 'Task') });
    jira.emit('avi:jira:updated:issue', { atlassianId: USER, issue: { key: 'SUP-3', fields: null } });
    jira.emit('avi:jira:updated:issue', { atlassianId: USER, changelog: {} });
    jira.emit('avi:jira:created:issue', { atlassianId: USER, issue: issue('SUP-5', 'Bug') });
    jira.emit('avi:jira:created:issue', { atlassianId: USER, issue: issue('SUP-6', 'Bug', 'skip me') });
    jira.emit('avi:jira:created:issue', { atlassianId: USER, issue: { key: 'SUP-7' } });
    await host.idle();
    const got = async (type: string, key: string) => (await get(`issue-avi:jira:${type}:issue-${key}`)) === true;
    assert.ok(await got('updated', 'SUP-1'), 'Bug passes');
    assert.not.ok(await got('updated', 'SUP-2'), 'Task is filtered out');
    assert.not.ok(await got('updated', 'SUP-3'), '?. makes a null fields false, not an error');
    assert.not.ok(await got('updated', 'none'), 'no issue: an error, IGNORE_AND_LOG by default');
    assert.ok(await got('created', 'SUP-5'));
    assert.not.ok(await got('created', 'SUP-6'));
    assert.ok(await got('created', 'SUP-7'), 'per-event onError RECEIVE_AND_LOG delivers on an error');
    const log = lines.join('\n');
    assert.match(
      log,
      /issue-events: filter expression failed on avi:jira:updated:issue: event has no property "issue"; event not delivered \(onError IGNORE_AND_LOG\)/,
    );
    assert.match(
      log,
      /created-events: filter expression failed on avi:jira:created:issue: event\.issue has no property "fields"; event delivered \(onError RECEIVE_AND_LOG\)/,
    );
    assert.is(lines.filter((l) => l.includes('filter expression failed')).length, 2, 'SUP-3 was no error');
  });
});

const trigger = (extra: Record<string, unknown>, events: unknown[] = ['avi:jira:updated:issue']) => ({ key: 't', function: 'f', events, ...extra });
const refuses = (raw: unknown, pattern: RegExp) => {
  try {
    parseTrigger(raw);
  } catch (e) {
    assert.instance(e, ForgeHostError);
    assert.is((e as ForgeHostError).code, 'MANIFEST_INVALID');
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(raw)}`);
};

test("trigger filters are checked with @forge/manifest's schema; syntax outside the documented subset is a manifest error", () => {
  const ok = parseTrigger(trigger({ filter: { ignoreSelf: true, expression: "event.issue.fields?.issueType.name == 'Bug'", onError: 'RECEIVE_AND_LOG' } }));
  assert.equal(ok.events.get('avi:jira:updated:issue')?.onError, 'RECEIVE_AND_LOG');
  assert.is(ok.events.get('avi:jira:updated:issue')?.ignoreSelf, true);
  assert.is(parseTrigger(trigger({ filter: { expression: 'true' } })).events.get('avi:jira:updated:issue')?.onError, 'IGNORE_AND_LOG');

  refuses(trigger({ filter: {} }), /schema/);
  refuses(trigger({ filter: { onError: 'IGNORE' } }), /schema/);
  refuses(trigger({ filter: { expression: 'true', onError: 'NOPE' } }), /schema.*allowed values/);
  refuses(trigger({ filter: { ignoreSelf: 'yes' } }), /schema.*boolean/);
  refuses(trigger({ filter: { ignoreSelf: true, extra: 1 } }), /schema/);
  refuses(trigger({}, [{ eventType: 'avi:jira:updated:issue' }]), /schema/);
  refuses(trigger({ filter: { ignoreSelf: true } }, ['avi:forge:installed:app']), /ignoreSelf works only with Jira events/);
  refuses(trigger({ filter: { appIsLicensed: true } }), /not implemented/);
  refuses(trigger({ payload: { include: { fields: ['summary'] } } }), /not implemented/);
  for (const expr of [
    "event.issue.key === 'X'",
    'event.issue.id > 3',
    "issue.key == 'X'",
    "event.labels.includes('x')",
    'event.a ? true : false',
    "event['issue']",
    'x => true',
    "event.a == 'b' == true",
    "event.a == 'unterminated",
  ]) {
    refuses(trigger({ filter: { expression: expr } }), /filter\.expression/);
  }
});

test("EventDelivery: a timeout is retried by the platform (FUNCTION_TIME_OUT); a lifecycle event's InvocationError is not honoured", async () => {
  const lines: string[] = [];
  const seen: unknown[] = [];
  const t = (key: string, type: string): EventTrigger => ({ key, functionKey: key, events: new Map([[type, undefined]]) });
  const retry = { _retry: true, retryOptions: { retryAfter: 1, retryReason: 'FUNCTION_RETRY_REQUEST' } };
  const d = new EventDelivery(
    [t('slow', 'avi:jira:updated:issue'), t('life', 'avi:forge:installed:app')],
    async (trigger, event) => {
      seen.push([trigger.key, event['retryContext'] ?? null]);
      if (trigger.key === 'life') return retry;
      if (!event['retryContext']) throw new ForgeHostError('FUNCTION_TIMEOUT', 'too slow');
      return undefined;
    },
    { delayMs: 0, appAccountId: APP, retryBaseMs: 1, log: (l) => lines.push(l) },
  );
  d.publish('avi:jira:updated:issue', {});
  d.publish('avi:forge:installed:app', {});
  await d.idle();
  assert.equal(
    seen.filter((s) => (s as string[])[0] === 'slow'),
    [
      ['slow', null],
      ['slow', { retryCount: 1, retryReason: 'FUNCTION_TIME_OUT' }],
    ],
  );
  assert.equal(
    seen.filter((s) => (s as string[])[0] === 'life'),
    [['life', null]],
  );
  assert.match(lines.join('\n'), /documented for Atlassian app events only/);
  d.close();
});

test('the event delay: option, else FORGE_EVENT_DELAY_MS, else the default; nonsense refused', () => {
  assert.is(eventDelayMs(0, { FORGE_EVENT_DELAY_MS: '9000' }), 0);
  assert.is(eventDelayMs(undefined, { FORGE_EVENT_DELAY_MS: '9000' }), 9000);
  assert.is(eventDelayMs(undefined, {}), EVENT_DELAY_DEFAULT_MS);
  assert.ok(EVENT_DELAY_DEFAULT_MS >= 2000, 'tests run with events seconds late by default');
  assert.throws(() => eventDelayMs(undefined, { FORGE_EVENT_DELAY_MS: 'soon' }), /FORGE_EVENT_DELAY_MS/);
  assert.throws(() => eventDelayMs(-1, {}), /whole number/);
});

test('fireInstalled delivers avi:forge:installed:app once per installation, across restarts', async () => {
  await withHostSite({ cloudId: 'cloud-install' }, async (site) => {
    let host = site.host;
    const get = (key: string) => host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsGet', payload: { key }, accountId: USER, extension: {} });
    await host.fireInstalled();
    await host.fireInstalled();
    await host.idle();
    assert.is(await get('installed-count'), 1);
    assert.equal(await get('installed-event'), { eventType: 'avi:forge:installed:app', cloudId: 'cloud-install' });
    host = await site.restart();
    await host.fireInstalled();
    await host.idle();
    assert.is(await get('installed-count'), 1);
  });
});

test.run();
