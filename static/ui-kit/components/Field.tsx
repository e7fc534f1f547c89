import type { ComponentChildren } from 'preact';

interface Props {
  id: string;
  label: string;
  error?: string | undefined;
  help?: string;
  children: ComponentChildren;
}

/** Label, control, help and the validation message right under it (linked by aria-describedby on the control). */
export function Field({ id, label, error, help, children }: Props) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {help ? (
        <span class="help" id={`${id}-help`}>
          {help}
        </span>
      ) : null}
      {error ? (
        <span class="error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** Props for the control inside a Field so screen readers announce its error. */
export function describedBy(id: string, error?: string, help?: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  const ids = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(error ? { 'aria-invalid': 'true' as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
}
