import { render } from 'preact';
import css from '../widget.css';
import type { Controller } from '../controller.js';
import { App } from './App.js';

/**
 * The widget lives in a shadow root on its own element: page styles cannot reach in,
 * ours cannot leak out. The host's inline `!important` declarations beat even a page
 * rule like `* { all: unset !important }`.
 */
export function mount(ctl: Controller, settingsLocale?: string): HTMLElement {
  const host = document.createElement('jsm-chat-widget');
  host.style.cssText =
    'all:initial!important;position:fixed!important;z-index:2147483646!important;top:auto!important;left:auto!important;' +
    'right:0!important;bottom:0!important;width:0!important;height:0!important;display:block!important;' +
    'visibility:visible!important;opacity:1!important;transform:none!important;contain:none!important';
  const shadow = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
  shadow.append(style, container);
  (document.body ?? document.documentElement).appendChild(host);
  render(<App ctl={ctl} settingsLocale={settingsLocale} />, container);
  return host;
}
