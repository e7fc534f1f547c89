/**
 * Where things are on screen, in one place: the widget (open shadow root on the demo site;
 * Playwright's locators pierce it), the agent's Custom UI iframes on the Forge host's
 * Jira-like pages. Roles and labels first, so a restyle does not break the tests.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { WAIT_MS } from './harness.js';

// ---- widget (customer) ---------------------------------------------------------------

export const widget = (page: Page): Locator => page.locator('jsm-chat-widget');
export const widgetLog = (page: Page): Locator => widget(page).getByRole('log', { name: 'Messages' });
export const widgetComposer = (page: Page): Locator => widget(page).getByRole('textbox', { name: 'Write a message…' });
/** The customer's own message bubble row with this text. */
export const myMessage = (page: Page, text: string): Locator => widgetLog(page).locator('.row.mine', { hasText: text });

/** Opens the chat panel if it is not open yet (the open state survives a reload). */
export async function openWidget(page: Page): Promise<void> {
  const launcher = widget(page).locator('button.launcher');
  await launcher.waitFor({ timeout: WAIT_MS });
  if ((await launcher.getAttribute('aria-expanded')) !== 'true') await launcher.click();
  await widget(page).getByRole('dialog').waitFor({ timeout: WAIT_MS });
}

/** Pre-chat or leave-a-message form: name, email, message, then the submit button. */
export async function fillStartForm(page: Page, v: { name: string; email: string; message: string }, submit: string): Promise<void> {
  const w = widget(page);
  await w.getByLabel('Name', { exact: true }).fill(v.name);
  await w.getByLabel('Email', { exact: true }).fill(v.email);
  await w.getByLabel('Message', { exact: true }).fill(v.message);
  await w.getByRole('button', { name: submit }).click();
}

// ---- agent pages (Forge host) --------------------------------------------------------

/** The app's issue-context module (manifest key chat-panel) on /jira/browse/<key>. */
export const issuePanel = (page: Page): FrameLocator => page.frameLocator('iframe[title="chat-panel"]');
/** The app's module frame on a project page, settings page or admin page (the only iframe there). */
export const moduleFrame = (page: Page): FrameLocator => page.frameLocator('main iframe');
export const panelLog = (panel: FrameLocator): Locator => panel.getByRole('log', { name: 'Chat messages' });

/**
 * Alice comes online from the chat dashboard. An agent with a live connection and no status
 * chosen counts as online (presence-service/presence/agents.ts), and the dashboard has no
 * status control of its own (it shows "Agents online"); where a status control exists it is
 * set to Online. Done when the dashboard is live and lists the agent as Online.
 */
export async function goOnlineInDashboard(frame: FrameLocator, agentName: string): Promise<void> {
  await frame.getByRole('heading', { name: 'Chats', exact: true }).waitFor({ timeout: WAIT_MS });
  const status = frame.getByRole('combobox', { name: /status/i });
  if ((await status.count()) > 0) await status.first().selectOption('online', { timeout: WAIT_MS });
  await frame.getByText('Live', { exact: true }).waitFor({ timeout: WAIT_MS });
  await frame
    .getByRole('complementary', { name: 'Agents online' })
    .getByRole('listitem')
    .filter({ hasText: agentName })
    .filter({ hasText: 'Online' })
    .waitFor({ timeout: WAIT_MS });
}
