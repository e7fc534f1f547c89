import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startFakeJsm } from './fixtures/fake-jsm.js';
import { tempApp } from './fixtures/app-dir.js';
import { startForgeHost } from './index.js';

test('two hosts (two sites) in one process keep their kvs and principals apart, even concurrently', async () => {
  const [jiraA, jiraB] = await Promise.all([startFakeJsm('cloud-a'), startFakeJsm('cloud-b')]);
  const [appA, appB] = await Promise.all([tempApp(), tempApp()]);
  const a = await startForgeHost({ appDir: appA.appDir, dataDir: appA.dataDir, jira: jiraA, log: () => {} });
  const b = await startForgeHost({ appDir: appB.appDir, dataDir: appB.dataDir, jira: jiraB, log: () => {} });
  const call = (h: typeof a, functionKey: string, payload: unknown, accountId = 'agent-1') =>
    h.invokeResolver({ moduleKey: 'test-panel', functionKey, payload, accountId, extension: {} });
  try {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        Promise.all([call(a, 'kvsPut', { key: `k${i}`, value: `a${i}` }), call(b, 'kvsPut', { key: `k${i}`, value: `b${i}` })]),
      ),
    );
    await call(a, 'kvsPut', { key: 'only-a', value: 1 });
    assert.is(await call(a, 'kvsGet', { key: 'k3' }), 'a3');
    assert.is(await call(b, 'kvsGet', { key: 'k3' }), 'b3');
    assert.is(await call(b, 'kvsGet', { key: 'only-a' }), null);
    await Promise.all([call(a, 'whoami', {}, 'agent-1'), call(b, 'whoami', {}, 'agent-2')]);
    assert.ok(jiraA.requests.every((r) => r.principal !== 'user:agent-2'));
    assert.ok(jiraB.requests.every((r) => r.principal !== 'user:agent-1'));
    const ctxA = (await call(a, 'context', {})) as { cloudId: string };
    const ctxB = (await call(b, 'context', {})) as { cloudId: string };
    assert.is(ctxA.cloudId, 'cloud-a');
    assert.is(ctxB.cloudId, 'cloud-b');
  } finally {
    await Promise.all([a.close(), b.close()]);
    await Promise.all([jiraA.close(), jiraB.close(), appA.cleanup(), appB.cleanup()]);
  }
});

test.run();
