import * as assert from 'uvu/assert';
import { screenshot } from './testing/browser.js';
import { expect } from './testing/expect.js';
import { session, startConversation, widgetSuite, type Session } from './testing/session.js';

const modes = widgetSuite('widget modes');

/** Shadow-root focus: the host is document.activeElement; ask the shadow root what inside has focus. */
const focused = (s: Session) =>
  s.page.evaluate(() => {
    const el = document.activeElement?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    return el ? `${el.tagName.toLowerCase()}.${el.className}` : document.activeElement?.tagName.toLowerCase();
  });

modes('offline: shows the offline text and a leave-a-message form that sends offline:true', async (ctx) => {
  const back = new Date(Date.now() + 2 * 3600_000);
  back.setMinutes(0, 0, 0);
  const s = (ctx.s = await session(ctx.browser, (f) => (f.availability = { state: 'offline', visible: true, nextOpenAt: back.toISOString() })));
  await s.page.locator('.launcher').click();
  const status = (await s.page.locator('.status').textContent()) ?? '';
  const local = await s.page.evaluate((iso) => new Date(iso).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' }), back.toISOString());
  assert.ok(status.startsWith('Back at ') && status.includes(local), status);
  assert.is(await s.page.locator('.form .intro').textContent(), s.fake.config.offlineText);
  await s.page.locator('#off-name').fill('Grace Hopper');
  await s.page.locator('#off-email').fill('grace@example.com');
  await s.page.locator('#off-message').fill('Do you repair e-bikes?');
  await screenshot(s.page, 'offline-form');
  await s.page.getByRole('button', { name: 'Send message' }).click();
  await expect(
    () => s.page.locator('.thanks').textContent(),
    (t) => !!t?.includes('reply by email'),
  );
  await expect(
    () => s.fake.conversations.size,
    (n) => n === 1,
  );
  const start = s.fake.frames.find((f) => f.type === 'conversation.start');
  assert.ok(start?.type === 'conversation.start' && start.offline === true);
  assert.equal(start.prechat, { name: 'Grace Hopper', email: 'grace@example.com' });
  await screenshot(s.page, 'offline-thanks');
});

modes('hidden while availability.visible is false, shown when it becomes visible', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser, (f) => (f.availability = { state: 'offline', visible: false, nextOpenAt: null })));
  await expect(
    () => s.fake.sockets.size,
    (n) => n === 1,
  );
  // The widget sends its `view` frame right after applying auth.ok (availability included);
  // two animation frames later that state is on screen.
  await expect(
    () => s.fake.frames.filter((f) => f.type === 'view').length,
    (n) => n >= 1,
  );
  await s.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.is(await s.page.locator('.launcher').count(), 0);
  await screenshot(s.page, 'hidden');
  for (const ws of s.fake.sockets) ws.send(JSON.stringify({ type: 'availability', availability: { state: 'online', visible: true, nextOpenAt: null } }));
  await expect(
    () => s.page.locator('.launcher').count(),
    (n) => n === 1,
  );
});

modes('an origin outside the allowlist keeps the widget hidden with one console warning', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser, (f) => (f.allowedOrigins = ['https://shop.example.com']), { clock: true }));
  await expect(
    () => s.warnings.length,
    (n) => n >= 1,
  );
  // Ten minutes of the page's time: any reconnect, at any backoff, would have opened a socket by now.
  await s.page.clock.runFor(10 * 60_000);
  assert.is(await s.page.evaluate(() => (window as unknown as { __socketsOpened: number }).__socketsOpened), 1, 'no reconnect loop');
  assert.equal(s.warnings.length, 1, JSON.stringify(s.warnings));
  assert.match(s.warnings[0]!, /origin_not_allowed/);
  assert.is(await s.page.locator('.launcher').count(), 0);
  assert.is(s.fake.frames.filter((f) => f.type === 'auth').length, 1, 'no reconnect loop');
});

modes('hostile host CSS does not break the widget', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser, () => {}, { hostileCss: true }));
  await s.page.locator('.launcher').click();
  const box = await s.page.locator('.panel').boundingBox();
  assert.ok(box && box.width > 300 && box.height > 300, JSON.stringify(box));
  const h2 = await s.page.locator('.head h2').evaluate((el) => getComputedStyle(el).color);
  assert.is(h2, 'rgb(255, 255, 255)');
  assert.ok(await s.page.locator('#pre-name').isVisible());
  await screenshot(s.page, 'hostile-css');
});

modes('German locale from JsmChatSettings', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser, () => {}, { settings: { locale: 'de' }, idInSettings: true }));
  await expect(
    () => s.page.locator('.launcher').getAttribute('aria-label'),
    (l) => l === 'Chat öffnen',
  );
  await s.page.locator('.launcher').click();
  assert.is(await s.page.locator('.status').textContent(), 'Wir sind online');
  assert.is(await s.page.locator('label[for=pre-email]').textContent(), 'E-Mail ');
  assert.ok(await s.page.getByRole('button', { name: 'Chat starten' }).isVisible());
  const auth = s.fake.frames[0];
  assert.ok(auth?.type === 'auth' && auth.locale === 'de');
  await screenshot(s.page, 'german');
});

modes('under 480 px the panel fills the screen', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser, () => {}, { viewport: { width: 375, height: 667 } }));
  await s.page.locator('.launcher').click();
  const box = await s.page.locator('.panel').boundingBox();
  assert.equal(box, { x: 0, y: 0, width: 375, height: 667 });
  await screenshot(s.page, 'mobile');
  const conv = await startConversation(s, 'Writing from my phone');
  s.fake.agentSays(conv, 'Hello! How can we help with your bike today?');
  await expect(
    () => s.page.locator('.row.agent').count(),
    (n) => n === 1,
  );
  const composer = await s.page.locator('.composer').boundingBox();
  assert.ok(composer && Math.round(composer.y + composer.height) === 667, 'the composer sits at the bottom edge');
  await screenshot(s.page, 'mobile-chat');
});

modes('keyboard only: Tab to the launcher, Enter opens, type and send, Esc closes and focus returns', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser, (f) => {
    f.config = { ...f.config, requireName: false, requireEmail: false, color: '#FFD400' };
  }));
  await expect(
    () => s.page.locator('.launcher').count(),
    (n) => n === 1,
  );
  await s.page.keyboard.press('Tab'); // the page's own link
  await s.page.keyboard.press('Tab');
  assert.match(String(await focused(s)), /^button\.launcher/);
  // Yellow brand colour: black text wins the contrast ratio.
  assert.is(await s.page.locator('.launcher').evaluate((el) => getComputedStyle(el).color), 'rgb(0, 0, 0)');
  await s.page.keyboard.press('Enter');
  assert.is(await focused(s), 'textarea.');
  assert.is(await s.page.locator('.launcher').getAttribute('aria-expanded'), 'true');
  await s.page.keyboard.type('Typed with the keyboard');
  await s.page.keyboard.press('Shift+Enter');
  await s.page.keyboard.type('second line');
  await s.page.keyboard.press('Enter');
  await expect(
    () => s.page.locator('.row.mine .state').last().textContent(),
    (t) => t === 'Sent',
  );
  const start = s.fake.frames.find((f) => f.type === 'conversation.start');
  assert.ok(start?.type === 'conversation.start' && start.text === 'Typed with the keyboard\nsecond line');
  assert.is(await s.page.locator('[role=log]').getAttribute('aria-live'), 'polite');
  await screenshot(s.page, 'keyboard');
  await s.page.keyboard.press('Escape');
  await expect(
    () => s.page.locator('.panel').count(),
    (n) => n === 0,
  );
  assert.match(String(await focused(s)), /^button\.launcher/);
});

modes('JsmChat API: open/close events, logout forgets the visitor', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await s.page.waitForFunction(() => !!(window as { JsmChat?: unknown }).JsmChat);
  await expect(
    () => s.page.locator('.launcher').count(),
    (n) => n === 1,
  );
  const events = await s.page.evaluate(() => {
    const w = window as unknown as { JsmChat: { on(e: string, f: () => void): void; open(): void; close(): void; toggle(): void } };
    const seen: string[] = [];
    w.JsmChat.on('open', () => seen.push('open'));
    w.JsmChat.on('close', () => seen.push('close'));
    w.JsmChat.open();
    w.JsmChat.close();
    w.JsmChat.toggle();
    return seen;
  });
  assert.equal(events, ['open', 'close', 'open']);
  assert.is(await s.page.locator('.panel').count(), 1);
  const storedTokens = () =>
    s.page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.endsWith(':token'))
        .map((k) => localStorage.getItem(k)),
    );
  const tokensBefore = await expect(storedTokens, (t) => t.length === 1, 15_000, 'the first visitor token is stored');
  const before = s.fake.frames.filter((f) => f.type === 'auth').length;
  await s.page.evaluate(() => (window as unknown as { JsmChat: { logout(): void } }).JsmChat.logout());
  await expect(
    () => s.fake.frames.filter((f) => f.type === 'auth').length,
    (n) => n === before + 1,
  );
  const last = s.fake.frames.filter((f) => f.type === 'auth').at(-1);
  assert.ok(last?.type === 'auth' && !last.token, 'anonymous again');
  // the fake answers that auth frame with a fresh token; the widget stores it when the answer arrives
  await expect(storedTokens, (t) => t.length === 1 && t[0] !== tokensBefore[0], 15_000, 'a new visitor token, stored once');
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  await s.page.evaluate((t) => (window as unknown as { JsmChat: { loginWithToken(j: string): void } }).JsmChat.loginWithToken(t), jwt);
  await expect(
    () => s.fake.frames.filter((f) => f.type === 'auth').at(-1),
    (f) => f?.type === 'auth' && f.jwt === jwt,
  );
});

modes('the only global the widget adds is window.JsmChat', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  await expect(
    () => s.page.locator('.launcher').count(),
    (n) => n === 1,
  );
  const blank = await s.context.newPage();
  await blank.goto(`${s.fake.hostOrigin}/blank`); // same origin, same secure-context APIs
  const baseline = await blank.evaluate(() => Object.keys(window));
  const added = await s.page.evaluate((base) => Object.keys(window).filter((k) => !base.includes(k)), baseline);
  assert.equal(added.sort(), ['JsmChat', 'JsmChatSettings']);
  assert.equal(await s.page.evaluate(() => Object.keys((window as unknown as { JsmChat: object }).JsmChat).sort()), [
    'close',
    'loginWithToken',
    'logout',
    'off',
    'on',
    'open',
    'toggle',
  ]);
});

modes('the demo page loads the widget from its query string', async (ctx) => {
  const s = (ctx.s = await session(ctx.browser));
  const { fake, page } = s;
  const before = fake.frames.length;
  await page.goto(`${fake.hostOrigin}/demo/?widgetId=w_TestWidget0001&presence=${encodeURIComponent(fake.origin)}`);
  await expect(
    () => page.locator('.launcher').count(),
    (n) => n === 1,
  );
  assert.ok(fake.frames.slice(before).some((f) => f.type === 'auth'));
  await page.locator('.launcher').click();
  await screenshot(page, 'demo');
});

modes('the launcher shows when the service answers before the page has painted once', async (ctx) => {
  // On a loaded machine auth.ok can land between the widget's first render and the moment its
  // UI subscribes to the controller (an effect, which runs after paint): that update was lost
  // and the widget stayed invisible. A paused clock holds the effect back until auth.ok is in.
  const s = (ctx.s = await session(ctx.browser, () => {}, { clock: true }));
  await s.page.locator('.launcher').waitFor();
  await s.page.clock.pauseAt(Date.now() + 60_000);
  const socket = s.page.waitForEvent('websocket');
  void s.page.reload();
  const ws = await socket;
  await ws.waitForEvent('framereceived', { predicate: (f) => String(f.payload).includes('"auth.ok"') });
  assert.is(await s.page.locator('.launcher').count(), 0, 'nothing painted yet: the clock holds the effects');
  await s.page.clock.resume();
  await s.page.locator('.launcher').waitFor({ timeout: 5_000 });
});

modes.run();
