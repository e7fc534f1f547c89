/**
 * A Custom UI frame keeps working when the local host restarts, as a Jira iframe's bridge
 * survives an app deploy; a forged or altered frame id is still refused.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withHostSite } from './fixtures/host-site.js';
import type { ForgeHost } from './index.js';

/** The panel's index.html only (no bundle needed: the bridge is called over HTTP here). */
async function stubPanel(appDir: string): Promise<void> {
  const out = path.join(appDir, 'static', 'panel', 'build');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"></head><body>panel</body></html>');
}

async function openFrame(host: ForgeHost, as: string): Promise<string> {
  const html = await (await fetch(`${host.url}/ui/test-panel/?as=${as}&issueKey=SUP-7`)).text();
  const m = /"frameId":"([A-Za-z0-9_-]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no frame id in the page');
  return m[1];
}

function invoke(host: ForgeHost, frameId: string) {
  return fetch(`${host.url}/bridge/${frameId}/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ functionKey: 'context', payload: {} }),
  });
}

test('a frame opened before the host restarted still answers invoke afterwards, for the same user and issue', async () => {
  await withHostSite({ cloudId: 'cloud-frames', prepare: (app) => stubPanel(app.appDir) }, async (site) => {
    const frameId = await openFrame(site.host, 'agent-2');
    assert.is((await invoke(site.host, frameId)).status, 200, 'before the restart');
    const host = await site.restart();
    const res = await invoke(host, frameId);
    assert.is(res.status, 200, 'after the restart');
    const body = (await res.json()) as { body: { accountId: string; extension: { issue: { key: string } } } };
    assert.is(body.body.accountId, 'agent-2');
    assert.is(body.body.extension.issue.key, 'SUP-7');
  });
});

test('an unknown, altered or re-signed frame id is refused with 410 FRAME_UNKNOWN', async () => {
  await withHostSite({ cloudId: 'cloud-frames', prepare: (app) => stubPanel(app.appDir) }, async (site) => {
    const frameId = await openFrame(site.host, 'agent-2');
    const mac = frameId.slice(-43);
    // the same claims naming another user, under the old MAC
    const claims = JSON.parse(Buffer.from(frameId.slice(0, -43), 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, a: 'agent-1' })).toString('base64url') + mac;
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', forged, frameId.slice(0, -1) + (frameId.endsWith('A') ? 'B' : 'A')]) {
      const res = await invoke(site.host, id);
      assert.is(res.status, 410, id);
      assert.is(((await res.json()) as { code: string }).code, 'FRAME_UNKNOWN');
    }
  });
});

test.run();
