import type { ComponentChildren, JSX } from 'preact';

type Appearance = 'default' | 'primary' | 'danger' | 'subtle';

interface Props extends Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'class'> {
  appearance?: Appearance;
  compact?: boolean;
  busy?: boolean;
  type?: 'button' | 'submit';
  children: ComponentChildren;
  class?: string;
}

export function Button({ appearance = 'default', compact, busy, type = 'button', children, disabled, class: cls, ...rest }: Props) {
  const classes = ['btn', appearance !== 'default' ? appearance : '', compact ? 'compact' : '', cls ?? ''].filter(Boolean).join(' ');
  return (
    <button {...rest} type={type} class={classes} disabled={disabled || busy} aria-busy={busy ? 'true' : undefined}>
      {busy ? <span class="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}
