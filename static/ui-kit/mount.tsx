import { render, type ComponentChild } from 'preact';
import { enableTheme } from './bridge.js';

/** Every page starts the same way: theme tokens from the host, then render into #root. */
export function mount(app: ComponentChild): void {
  enableTheme();
  const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
  render(app, root);
}
