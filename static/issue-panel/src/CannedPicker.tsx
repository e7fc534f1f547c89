import type { CannedReply } from '../../../src/protocol/canned.js';
import { t } from './strings.js';

interface Props {
  /** null while the list is loading; the error text when it could not be. */
  replies: CannedReply[] | null;
  error: string | null;
  active: number;
  onPick: (reply: CannedReply) => void;
}

/**
 * The canned-reply picker above the composer, opened by `/` at the start of the reply or
 * by the "Canned replies" button. The textarea keeps the focus (a combobox): arrows move,
 * Enter inserts, Escape closes; the list filters as the agent types after the `/`.
 */
export function CannedPicker({ replies, error, active, onPick }: Props) {
  if (error)
    return (
      <p class="canned-note error" role="alert">
        {error}
      </p>
    );
  if (!replies) return <p class="canned-note muted">{t.cannedLoading}</p>;
  if (!replies.length) return <p class="canned-note muted">{t.cannedNone}</p>;
  return (
    <ul id="canned-list" class="canned" role="listbox" aria-label={t.cannedLabel}>
      {replies.map((r, i) => (
        <li
          key={r.id}
          id={`canned-${r.id}`}
          role="option"
          aria-selected={i === active}
          class={i === active ? 'active' : ''}
          // mousedown, not click: the textarea must not lose the focus first
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(r);
          }}
        >
          <strong>{r.title}</strong>
          <span class="muted">{r.text.length > 80 ? `${r.text.slice(0, 80)}…` : r.text}</span>
        </li>
      ))}
    </ul>
  );
}
