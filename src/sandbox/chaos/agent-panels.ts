/**
 * Agents in the chaos: the issue panel of a conversation, open in headless Chromium on the
 * Jira issue page, with its socket through the balancer like a customer's. The page's
 * WebSocket is wrapped (the app code untouched) to count what the panel got live: customer
 * messages in `message` frames and how often its agent socket opened. The panel's log is the
 * truth the agent sees; after a drop the panel reloads the conversation from Jira, so a message
 * missed live must still be there, once, in order.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { agentUrl, type Agent } from '../e2e/harness.js';
import { issuePanel, panelLog } from '../e2e/ui.js';
import type { System } from '../system.js';
import type { Instance } from '../topology/instances.js';
import { waitUntil } from '../../presence-service/testing/wait.js';

/** Generous: the panel loads its app bundle and the conversation from Jira through the Forge host. */
const PANEL_READY_MS = 30_000;

/**
 * Plain JavaScript on purpose (tsx would serialise compiled helpers into the page). Runs in
 * every frame; only the panel's frame opens `/ws/agent`.
 */
const RECORDER = `(() => {
  const Real = window.WebSocket;
  const rec = (window.__chaosAgent = { opened: 0, watching: false, live: [] });
  function Wrapped(url, protocols) {
    const ws = protocols === undefined ? new Real(url) : new Real(url, protocols);
    if (String(url).includes('/ws/agent')) {
      ws.addEventListener('open', () => { rec.opened++; rec.watching = false; });
      ws.addEventListener('message', (e) => {
        try {
          const f = JSON.parse(e.data);
          if (f.type === 'watching') rec.watching = true;
          if (f.type === 'message' && f.message && f.message.author.kind === 'customer') rec.live.push(f.message.text);
        } catch {}
      });
    }
    return ws;
  }
  Object.assign(Wrapped, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  Wrapped.prototype = Real.prototype;
  window.WebSocket = Wrapped;
})();`;

interface Recorded {
  opened: number;
  watching: boolean;
  live: string[];
}

export interface PanelReport {
  issueKey: string;
  /** Customer messages in the panel's log, in its order. */
  shown: string[];
  /** Customer messages that came as live frames (each text once). */
  live: Set<string>;
  /** Times the panel's agent socket opened: 1 without a drop. */
  opened: number;
}

export class AgentPanel {
  private constructor(
    readonly issueKey: string,
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {}

  /** Opens the issue page as `agent` and resolves once the panel shows the conversation and the service answered its watch. */
  static async open(browser: Browser, system: System, agent: Agent, issueKey: string): Promise<AgentPanel> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await context.addInitScript({ content: RECORDER });
    const page = await context.newPage();
    const panel = new AgentPanel(issueKey, context, page);
    await page.goto(agentUrl(system, `/jira/browse/${issueKey}`, agent.accountId));
    await panelLog(issuePanel(page)).locator('.msg .bubble').first().waitFor({ timeout: PANEL_READY_MS });
    await waitUntil(async () => (await panel.recorded()).watching, `the service to answer the watch of the panel of ${issueKey}`, PANEL_READY_MS);
    return panel;
  }

  private async recorded(): Promise<Recorded> {
    for (const frame of this.page.frames()) {
      const r = await frame.evaluate('window.__chaosAgent && window.__chaosAgent.opened > 0 ? window.__chaosAgent : null').catch(() => null);
      if (r) return r as Recorded;
    }
    return { opened: 0, watching: false, live: [] };
  }

  /** Waits (up to `timeoutMs`) until the log shows every text of `expected`, then reports what it shows. */
  async report(expected: readonly string[], timeoutMs: number): Promise<PanelReport> {
    const log = panelLog(issuePanel(this.page));
    let shown: string[] = [];
    for (const until = Date.now() + timeoutMs; ;) {
      shown = (await log.locator('.msg .bubble').allTextContents()).map((t) => t.trim()).filter((t) => expected.includes(t));
      if (expected.every((t) => shown.includes(t)) || Date.now() > until) break;
      await this.page.waitForTimeout(200);
    }
    const r = await this.recorded();
    return { issueKey: this.issueKey, shown, live: new Set(r.live), opened: r.opened };
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/** The sockets an instance holds, by role (its /metrics gauge). */
export async function socketsOf(instance: Instance): Promise<{ customer: number; agent: number }> {
  const text = await fetch(`${instance.url}/metrics`).then((r) => r.text());
  const gauge = (role: string) => Number(new RegExp(`^jsmchat_sockets\\{role="${role}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { customer: gauge('customer'), agent: gauge('agent') };
}
