import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../../../scripts/testing/chromium.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURE_APP } from './fixtures/app-dir.js';
import { SOFTWARE_PROJECT, type FakeJsm } from './fixtures/fake-jsm.js';
import { CUSTOM_UI_SANDBOX } from './pages.js';
import { withHostSite } from './fixtures/host-site.js';
import type { ForgeHost } from './index.js';

async function buildPanel(appDir: string): Promise<void> {
  const out = path.join(appDir, 'static', 'panel', 'build');
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: [path.join(FIXTURE_APP, 'static', 'panel', 'page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    outfile: path.join(out, 'page.js'),
    logLevel: 'silent',
  });
  await writeFile(
    path.join(out, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><script src="./page.js"></script></head><body>panel</body></html>',
  );
}

interface PanelHost {
  host: ForgeHost;
  jira: FakeJsm;
  browser: Browser;
}

/** A host site with the fixture app's panel built, and a browser; all closed after `run`. */
function withPanelHost(cloudId: string, run: (h: PanelHost) => Promise<void>): Promise<void> {
  return withHostSite({ cloudId, prepare: (app) => buildPanel(app.appDir) }, async ({ host, jira }) => {
    const browser = await launchChromium();
    try {
      await run({ host, jira, browser });
    } finally {
      await browser.close();
    }
  });
}

test('a Custom UI page gets invoke and getContext answers through the unmodified @forge/bridge', async () => {
  await withPanelHost('cloud-ui', async ({ host, browser }) => {
    const page = await browser.newPage();
    const resp = await page.goto(`${host.url}/ui/test-panel/?as=agent-2&issueKey=SUP-7&theme=dark`);
    assert.is(resp?.status(), 200);
    const js = await page.request.get(`${host.url}/ui/test-panel/page.js`);
    assert.match(js.headers()['content-type'] ?? '', 'text/javascript');
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined);
    const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as {
      context: {
        accountId: string;
        cloudId: string;
        moduleKey: string;
        extension: { type: string; issue: { key: string; id: string }; project: { key: string } };
        theme: { colorMode: string };
      };
      who: { accountId: string; cloudId: string; extension: { issue: { key: string } } };
      failure: string;
      product: { status: number; body: { principal: string } };
      colorMode: string;
      error?: string;
    };
    assert.is(result.error, undefined);
    assert.is(result.context.accountId, 'agent-2');
    assert.is(result.context.cloudId, 'cloud-ui');
    assert.is(result.context.moduleKey, 'test-panel');
    assert.is(result.context.extension.type, 'jira:issueContext');
    assert.equal(result.context.extension.issue, { id: '10001', key: 'SUP-7', type: 'Service Request', typeId: '3' });
    assert.is(result.context.extension.project.key, 'SUP');
    assert.is(result.context.theme.colorMode, 'dark');
    assert.is(result.colorMode, 'dark');
    // The resolver saw the same context, with the acting user from the principal.
    assert.is(result.who.accountId, 'agent-2');
    assert.is(result.who.cloudId, 'cloud-ui');
    assert.is(result.who.extension.issue.key, 'SUP-7');
    assert.match(result.failure, 'resolver failed on purpose');
    // requestJira from the frame goes to Jira as the frame's user.
    assert.is(result.product.status, 200);
    assert.is(result.product.body.principal, 'user:agent-2');
    const tokens = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--ds-surface').trim());
    assert.is(tokens, '#1D2125');
    assert.is(await page.locator('#forge-host-flag-hello strong').textContent(), 'Saved <b>', 'flags render as text in the frame');
  });
});

test('router.open of a Jira link goes to the Jira-like page in the same window', async () => {
  await withPanelHost('cloud-ui', async ({ host, browser }) => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/ui/test-panel/?as=agent-2&issueKey=SUP-7#open`, { waitUntil: 'commit' });
    await page.waitForURL(`${host.url}/jira/browse/SUP-9?as=agent-2`);
  });
});

test('the Jira-like issue page lists comments (escaped, internal marked), embeds the panel, and posts notes as the user', async () => {
  await withPanelHost('cloud-pages', async ({ host, jira, browser }) => {
    const index = await (await fetch(`${host.url}/`)).text();
    assert.match(index, 'Alice Agent');
    const page = await browser.newPage();
    await page.goto(`${host.url}/jira/browse/SUP-1?as=agent-1`);
    assert.is(await page.locator('h1').textContent(), 'Help <b>me</b>');
    assert.match((await page.locator('#comments').textContent()) ?? '', '<script>alert(1)</script> hello');
    assert.is(await page.locator('.lozenge.internal').count(), 1);
    const src = await page.locator('iframe').getAttribute('src');
    assert.match(src ?? '', '/ui/test-panel/?');
    assert.match(src ?? '', 'issueKey=SUP-1');
    const frame = page.frameLocator('iframe');
    await frame.locator('body').waitFor();
    // The frame reports its content height and the page sizes the iframe to it.
    await page.waitForFunction(() => (document.querySelector('iframe') as HTMLIFrameElement).style.height !== '640px');
    await page.fill('textarea[name=body]', 'an internal thought');
    await page.check('input[value=internal]');
    await Promise.all([page.waitForURL(/\/jira\/browse\/SUP-1\?as=agent-1$/), page.click('button[type=submit]')]);
    const post = jira.requests.find((r) => r.method === 'POST');
    assert.is(post?.principal, 'user:agent-1');
    const sent = JSON.parse(post?.body ?? '{}') as { properties?: { key: string; value: unknown }[]; body: unknown };
    assert.equal(sent.properties, [{ key: 'sd.public.comment', value: { internal: true } }]);
    assert.match(JSON.stringify(sent.body), 'an internal thought');
  });
});

test('display conditions: the panel declared for service projects is embedded on a service project issue only, and its frame URL is refused elsewhere', async () => {
  await withPanelHost('cloud-dc', async ({ host, browser }) => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/jira/browse/SUP-1?as=agent-1`);
    assert.is(await page.locator('iframe[title="test-panel"]').count(), 1, 'service project: the panel is there');
    await page.goto(`${host.url}/jira/browse/${SOFTWARE_PROJECT}-3?as=agent-1`);
    assert.is(await page.locator('iframe').count(), 0, 'software project: no frame at all');
    assert.is(await page.locator('[data-hidden-module="test-panel"]').count(), 1);
    const direct = await fetch(`${host.url}/ui/test-panel/?as=agent-1&issueKey=${SOFTWARE_PROJECT}-3`);
    assert.is(direct.status, 404);
    assert.match(await direct.text(), 'display conditions');
  });
});

test('a display condition the host cannot evaluate stops the host at start instead of showing the module everywhere', async () => {
  const unknownCondition = async (app: { appDir: string }) => {
    const file = path.join(app.appDir, 'manifest.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('projectType: service_desk', 'projectType: service_desk\n        isCrmEnabled: true'));
  };
  const err = await withHostSite({ prepare: unknownCondition }, async () => undefined).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(err, Error);
  assert.match((err as Error).message, 'isCrmEnabled');
});

test('the frame is sandboxed like Custom UI: window.open and target=_blank are blocked; router.open opens a tab through the page, asking first for an external link', async () => {
  await withPanelHost('cloud-popups', async ({ host, browser }) => {
    const context = await browser.newContext();
    await context.route('https://files.example.test/**', (r) => r.fulfill({ status: 200, contentType: 'application/pdf', body: '%PDF-1.4' }));
    const page = await context.newPage();
    let popups = 0;
    page.on('popup', () => popups++);
    await page.goto(`${host.url}/jira/browse/SUP-1?as=agent-1`);
    assert.is(await page.locator('iframe').getAttribute('sandbox'), CUSTOM_UI_SANDBOX);
    assert.not.match(CUSTOM_UI_SANDBOX, 'allow-popups');
    assert.not.match(CUSTOM_UI_SANDBOX, 'allow-top-navigation');
    const frame = page.frames().find((f) => f.url().includes('/ui/test-panel/'))!;
    await frame.waitForFunction(() => (window as unknown as { __router?: unknown }).__router !== undefined);
    // A popup straight from the frame fails, as in Jira's sandboxed iframe.
    assert.is(await frame.evaluate(() => window.open('https://files.example.test/direct.pdf', '_blank') === null), true);
    await frame.evaluate(() => {
      const a = document.createElement('a');
      a.href = 'https://files.example.test/anchor.pdf';
      a.target = '_blank';
      a.textContent = 'file';
      document.body.appendChild(a);
    });
    await frame.locator('a[target=_blank]').click();
    assert.is(popups, 0, 'neither window.open nor a target=_blank link opened anything');

    // router.open of an external file: the page asks; "no" rejects the promise, "yes" opens a tab.
    page.once('dialog', (d) => void d.dismiss());
    const declined = await frame.evaluate(() =>
      (window as unknown as { __router: { open(u: string): Promise<void> } }).__router.open('https://files.example.test/a.pdf').then(
        () => 'opened',
        (e: Error) => e.message,
      ),
    );
    assert.match(declined, 'declined');
    assert.is(popups, 0);
    page.once('dialog', (d) => void d.accept());
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      frame.evaluate(() => (window as unknown as { __router: { open(u: string): Promise<void> } }).__router.open('https://files.example.test/a.pdf')),
    ]);
    assert.is(popup.url(), 'https://files.example.test/a.pdf');
    assert.is(page.url(), `${host.url}/jira/browse/SUP-1?as=agent-1`, 'the Jira-like page stays');
    await context.close();
  });
});

test.run();
