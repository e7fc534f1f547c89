/** Coloured dot plus a text label: colour alone never carries the meaning. */
export function PresenceDot({ state, label }: { state: 'online' | 'away' | 'offline'; label?: string }) {
  return (
    <span class="row" style={{ gap: '6px', display: 'inline-flex' }}>
      <span class={`dot ${state}`} aria-hidden="true" />
      {label !== undefined ? <span>{label}</span> : null}
    </span>
  );
}
