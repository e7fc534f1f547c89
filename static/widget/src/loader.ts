/**
 * Entry of widget.js: `<script async src="https://<presence>/widget.js" data-widget-id="w_…">`.
 * Finds its own script tag (the presence origin is where it came from), starts the
 * controller and renders into a shadow root. The only global it adds is `window.JsmChat`.
 */
import { Controller } from './controller.js';
import type { WidgetEvent } from './emitter.js';
import { widgetStore } from './storage.js';
import { mount } from './ui/mount.js';

interface Settings {
  widgetId?: string;
  locale?: string;
  jwt?: string;
}

export interface JsmChatApi {
  open(): void;
  close(): void;
  toggle(): void;
  on(event: WidgetEvent, fn: (payload?: unknown) => void): void;
  off(event: WidgetEvent, fn: (payload?: unknown) => void): void;
  loginWithToken(jwt: string): void;
  logout(): void;
}

declare global {
  interface Window {
    JsmChat?: JsmChatApi;
    JsmChatSettings?: Settings;
  }
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript as HTMLScriptElement | null;
  if (current?.src) return current;
  // Loaded by a tag manager or a bundler that hides currentScript: look for our tag.
  return document.querySelector<HTMLScriptElement>('script[data-widget-id][src]') ?? document.querySelector<HTMLScriptElement>('script[src$="/widget.js"]');
}

function boot(): void {
  if (window.JsmChat) return; // included twice
  const settings: Settings = window.JsmChatSettings ?? {};
  const script = findScript();
  const widgetId = script?.dataset.widgetId || settings.widgetId;
  if (!script || !widgetId || !/^w_[A-Za-z0-9]{10,40}$/.test(widgetId)) {
    console.warn('[JsmChat] missing or invalid data-widget-id; the chat is not shown.');
    return;
  }
  const origin = new URL(script.src, location.href).origin;
  const locale = settings.locale || navigator.language || 'en';
  const ctl = new Controller({ origin, widgetId, locale, jwt: settings.jwt, store: widgetStore(widgetId) });

  window.JsmChat = Object.freeze<JsmChatApi>({
    open: () => ctl.setOpen(true),
    close: () => ctl.setOpen(false),
    toggle: () => ctl.setOpen(!ctl.state.open),
    on: (event, fn) => ctl.events.on(event, fn),
    off: (event, fn) => ctl.events.off(event, fn),
    loginWithToken: (jwt) => typeof jwt === 'string' && ctl.loginWithToken(jwt),
    logout: () => ctl.logout(),
  });

  const start = () => {
    mount(ctl, settings.locale);
    ctl.start();
  };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start, { once: true });
}

boot();
