/**
 * A page-side network switch for WebSockets. Chromium's offline emulation
 * (`context.setOffline`) blocks HTTP but does not reliably cut WebSockets that are already
 * open, so the page's WebSocket constructor is wrapped: `cut()` closes every open socket and
 * points new ones at a port nobody listens on until `restore()`. The app code is untouched; it
 * sees exactly what a dropped network gives it (a close, then failing reconnects).
 */
import type { BrowserContext, Page } from 'playwright-core';

/** Nothing listens on port 1 on loopback: a connection attempt fails at once. */
const DEAD_URL = 'ws://127.0.0.1:1/';

/**
 * Plain JavaScript on purpose: a function passed to addInitScript would be serialised after
 * tsx compiled it, helpers and all (`__name`), which do not exist in the page.
 */
const SWITCH_SCRIPT = `(() => {
  const Real = window.WebSocket;
  const net = (window.__e2eNet = { down: false, sockets: [] });
  function Wrapped(url, protocols) {
    const ws = protocols === undefined ? new Real(net.down ? ${JSON.stringify(DEAD_URL)} : url) : new Real(net.down ? ${JSON.stringify(DEAD_URL)} : url, protocols);
    net.sockets.push(ws);
    return ws;
  }
  Object.assign(Wrapped, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  Wrapped.prototype = Real.prototype;
  window.WebSocket = Wrapped;
})();`;

export async function installNetworkSwitch(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: SWITCH_SCRIPT });
}

/** Drop the page's network: HTTP fails (setOffline) and every WebSocket closes. */
export async function cut(context: BrowserContext, page: Page): Promise<void> {
  await context.setOffline(true);
  await page.evaluate(
    '(() => { const net = window.__e2eNet; net.down = true; for (const s of net.sockets) if (s.readyState <= 1) s.close(4000, "e2e: network cut"); net.sockets = []; })()',
  );
}

/** Bring the network back; the browser's `online` event tells the app to reconnect now. */
export async function restore(context: BrowserContext, page: Page): Promise<void> {
  await page.evaluate('window.__e2eNet.down = false');
  await context.setOffline(false);
}
