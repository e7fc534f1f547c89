import { t } from './strings.js';

export function TypingIndicator({ name }: { name: string }) {
  return (
    <div class="typing muted" role="status">
      <span class="dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      {t.typing(name)}
    </div>
  );
}
