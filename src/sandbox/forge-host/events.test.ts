import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withHostSite } from './fixtures/host-site.js';

test('a product event reaches its trigger, retried after the handler threw twice; logs carry no payload', async () => {
  const lines: string[] = [];
  await withHostSite({ log: (l) => lines.push(l), eventRetryBaseMs: 10 }, async ({ jira, host }) => {
    jira.emit('avi:jira:commented:issue', { issue: { key: 'SUP-1' }, comment: { id: '77', body: 'private words' } });
    jira.emit('avi:jira:unrelated', { comment: { id: '78' } });
    await host.idle();
    const get = (key: string) => host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsGet', payload: { key }, accountId: 'agent-1', extension: {} });
    assert.equal(await get('delivered-77'), { eventType: 'avi:jira:commented:issue', attempts: 3 });
    assert.is(await get('attempts-77'), 3);
    assert.is(await get('attempts-78'), null);
    assert.is(lines.filter((l) => l.includes('comment-events')).length, 2);
    assert.not.ok(lines.join('\n').includes('private words'));
  });
});

test('fireInstalled delivers avi:forge:installed:app once per installation, across restarts', async () => {
  await withHostSite({ cloudId: 'cloud-install' }, async (site) => {
    let host = site.host;
    const get = (key: string) => host.invokeResolver({ moduleKey: 'test-panel', functionKey: 'kvsGet', payload: { key }, accountId: 'agent-1', extension: {} });
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
