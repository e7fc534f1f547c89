import type { ComponentChildren } from 'preact';

export function Lozenge({ kind = 'default', children }: { kind?: 'default' | 'success' | 'danger' | 'warning' | 'info'; children: ComponentChildren }) {
  return <span class={kind === 'default' ? 'lozenge' : `lozenge ${kind}`}>{children}</span>;
}
