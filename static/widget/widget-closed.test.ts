/**
 * A closed chat in the widget: "This chat was closed" and a "Start a new chat" choice
 * instead of the composer; choosing it brings the composer back and the next message is
 * sent as a start (the app reopens the chat within its window; see src/sandbox/e2e/lifecycle.test.ts).
 * Screenshots on a desktop and a phone (the widget has no dark mode: its colours come from the site's settings).
 */
import * as assert from 'uvu/assert';
import type { CustomerServerFrame } from '../../src/protocol/customer-ws.js';
import { screenshot } from './testing/browser.js';
import { expect } from './testing/expect.js';
import { session, startConversation, widgetSuite, type Session } from './testing/session.js';

const closed = widgetSuite('widget: closed chat');

/** The service telling the visitor their conversation was closed (what the app's close announces). */
function closeFromService(s: Session, conversationId: string): void {
  const fake = s.fake as unknown as { toVisitor(token: string, f: CustomerServerFrame): void; conversations: Map<string, { token: string }> };
  fake.toVisitor(fake.conversations.get(conversationId)!.token, {
    type: 'conversation.updated',
    conversation: { id: conversationId, status: 'closed', updated: new Date().toISOString() },
  });
}

for (const [label, viewport] of [
  ['desktop', { width: 1100, height: 760 }],
  ['mobile', { width: 390, height: 760 }],
] as const) {
  closed(`${label}: a closed chat offers "Start a new chat" instead of the composer; choosing it brings the composer back`, async (ctx) => {
    const s = (ctx.s = await session(ctx.browser, () => {}, { viewport }));
    const conv = await startConversation(s, 'My lamp flickers');
    closeFromService(s, conv);
    await s.page.getByText('This chat was closed.').waitFor();
    const startNew = s.page.getByRole('button', { name: 'Start a new chat' });
    await startNew.waitFor();
    assert.is(await s.page.locator('textarea').count(), 0, 'no composer on a closed chat');
    await screenshot(s.page, `closed-${label}`);
    await startNew.click();
    await s.page.locator('textarea').fill('One more thing');
    await s.page.locator('textarea').press('Enter');
    await expect(
      () => s.fake.frames.filter((f) => f.type === 'conversation.start').length,
      (n) => n === 2,
    );
    assert.is(await s.page.getByText('This chat was closed.').count(), 0);
  });
}

closed.run();
