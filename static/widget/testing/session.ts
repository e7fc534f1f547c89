/** One test's world: a fake presence service, a fresh browser context and a host page. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { suite, type Test } from 'uvu';
import { launchChromium } from '../../../scripts/testing/chromium.js';
import { expect } from './expect.js';
import { FakePresence, type PageOptions } from './fake-presence.js';

export interface Session {
  fake: FakePresence;
  context: BrowserContext;
  page: Page;
  warnings: string[];
  close(): Promise<void>;
}

export async function session(
  browser: Browser,
  setup: (fake: FakePresence) => void = () => {},
  /** `clock`: the page's timers run on Playwright's clock, so a test can let minutes pass at once (page.clock.runFor). */
  opts: PageOptions & { viewport?: { width: number; height: number }; clock?: boolean } = {},
): Promise<Session> {
  const fake = await new FakePresence().start();
  setup(fake);
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1100, height: 760 }, reducedMotion: 'reduce' });
  // Every wait is for an event; the bound only matters on a loaded 2-core machine (a CI run
  // beside other work), where a page load and a socket handshake can take seconds.
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const warnings: string[] = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  page.on('pageerror', (e) => warnings.push(`pageerror: ${e.message}`));
  if (opts.clock) {
    await page.clock.install();
    // Sockets the page opens, counted as they are constructed (a reconnect starts synchronously in its timer).
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const w = window as unknown as { __socketsOpened: number };
      w.__socketsOpened = 0;
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof Native>) {
          super(...args);
          w.__socketsOpened++;
        }
      };
    });
  }
  await page.goto(fake.pageUrl(opts));
  return {
    fake,
    context,
    page,
    warnings,
    async close() {
      await context.close();
      await fake.close();
    },
  };
}

export interface WidgetContext {
  browser: Browser;
  /** The test's session, closed after the test. */
  s?: Session;
}

/** A suite with one browser for its tests; the session each test keeps in `ctx.s` is closed after it. */
export function widgetSuite(name: string): Test<WidgetContext> {
  const t = suite<WidgetContext>(name);
  t.before(async (ctx) => {
    ctx.browser = await launchChromium();
  });
  t.after.each(async (ctx) => {
    await ctx.s?.close();
    ctx.s = undefined;
  });
  t.after(async (ctx) => {
    await ctx.browser.close();
  });
  return t;
}

/** Open the panel, fill the default pre-chat form and wait until the first message is stored. */
export async function startConversation(s: Session, text = 'Hi, my bike has a flat tyre.'): Promise<string> {
  const { page } = s;
  if (!(await page.locator('.panel').count())) await page.locator('.launcher').click();
  await page.locator('#pre-name').fill('Ada Lovelace');
  await page.locator('#pre-email').fill('ada@example.com');
  await page.locator('#pre-message').fill(text);
  await page.getByRole('button', { name: 'Start chat' }).click();
  await expect(
    () => page.locator('.row.mine .state').last().textContent(),
    (t) => t === 'Sent',
  );
  return s.fake.latestConversation()!.id;
}

/**
 * Open the panel unless it already is: the widget remembers being open across reloads
 * (issue 11), so after a reload a visitor who had it open finds it open.
 */
export async function openPanel(s: Session): Promise<void> {
  await s.page.locator('.launcher').waitFor();
  if (!(await s.page.locator('.panel').count())) await s.page.locator('.launcher').click();
}
