import type { ComponentChildren } from 'preact';

interface Props {
  kind?: 'info' | 'error' | 'success' | 'warning';
  title?: string;
  children?: ComponentChildren;
  action?: ComponentChildren;
}

/** Atlassian-style section message; errors are announced to screen readers. */
export function Notice({ kind = 'info', title, children, action }: Props) {
  return (
    <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div class="notice-body">
        {title ? <strong>{title}</strong> : null}
        {children}
      </div>
      {action}
    </div>
  );
}
