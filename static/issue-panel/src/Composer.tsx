import { useRef, useState } from 'preact/hooks';
import { fillPlaceholders, searchCanned, type CannedReply, type PlaceholderValues } from '../../../src/protocol/canned.js';
import { DEFAULT_MAX_UPLOAD_BYTES, MAX_MESSAGE_CHARS } from '../../../src/protocol/limits.js';
import { formatBytes, refuseUpload, UPLOAD_ACCEPT_ATTRIBUTE } from '../../../src/protocol/upload-types.js';
import { Button } from '../../ui-kit/components/Button.js';
import { CannedPicker } from './CannedPicker.js';
import { t } from './strings.js';

interface Props {
  disabled: boolean;
  onSend: (text: string) => void;
  onFile: (file: File) => void;
  onTyping: () => void;
  /** Canned replies: fetched the first time the picker opens, filled with these values. */
  canned: { load: () => Promise<CannedReply[]>; values: PlaceholderValues };
}

/** The character counter appears once this few characters are left (10% of the limit). */
export const COUNTER_FROM_REMAINING = Math.floor(MAX_MESSAGE_CHARS / 10);

/**
 * Enter sends, Shift+Enter breaks the line; an IME composition's Enter is left alone.
 * Limits are said before they bite (issue 11): a counter near the limit, a too-long paste
 * refused whole, files of a wrong type or size refused before any upload.
 */
export function Composer({ disabled, onSend, onFile, onTyping, canned }: Props) {
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [cannedError, setCannedError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  // `/` at the very start of a one-line reply opens the picker; what follows filters it.
  const picking = !disabled && !dismissed && /^\/[^\n]*$/.test(text);
  const matches = picking && replies ? searchCanned(replies, text.slice(1)) : null;

  // Once per panel: keys typed while the list is still on its way must not ask again.
  const cannedAsked = useRef(false);
  const loadCanned = () => {
    if (replies || cannedError || cannedAsked.current) return;
    cannedAsked.current = true;
    canned.load().then(setReplies, () => setCannedError(t.cannedFailed));
  };
  const pick = (r: CannedReply) => {
    setText(fillPlaceholders(r.text, canned.values));
    setActive(0);
    box.current?.focus();
  };
  const tooLong = text.length > MAX_MESSAGE_CHARS;
  const left = MAX_MESSAGE_CHARS - text.length;

  const offer = (file: File) => {
    const why = refuseUpload({ name: file.name, size: file.size, type: file.type });
    if (why === null) {
      setRefusal(null);
      return onFile(file);
    }
    setRefusal(
      why === 'too_large' ? t.fileTooLarge(file.name, formatBytes(DEFAULT_MAX_UPLOAD_BYTES)) : why === 'empty' ? t.fileEmpty(file.name) : t.fileType(file.name),
    );
  };
  const onPaste = (e: ClipboardEvent) => {
    const pasted = e.clipboardData?.getData('text/plain') ?? '';
    const el = e.currentTarget as HTMLTextAreaElement;
    if (el.value.length - (el.selectionEnd - el.selectionStart) + pasted.length > MAX_MESSAGE_CHARS) {
      e.preventDefault();
      setRefusal(t.pasteTooLong(MAX_MESSAGE_CHARS));
    }
  };

  const submit = () => {
    const body = text.trim();
    if (!body || tooLong || disabled) return;
    onSend(body);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (picking && matches?.length && !e.isComposing) {
      const move = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (move) {
        e.preventDefault();
        return setActive((active + move + matches.length) % matches.length);
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        return pick(matches[Math.min(active, matches.length - 1)]!);
      }
    }
    if (picking && e.key === 'Escape') {
      e.preventDefault();
      return setDismissed(true);
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {picking ? <CannedPicker replies={matches} error={cannedError} active={active} onPick={pick} /> : null}
      <label for="reply" class="sr-only">
        {t.composerLabel}
      </label>
      <textarea
        id="reply"
        ref={box}
        class="input"
        rows={2}
        value={text}
        disabled={disabled}
        placeholder={t.composerPlaceholder}
        aria-invalid={tooLong ? 'true' : undefined}
        role={picking ? 'combobox' : undefined}
        aria-expanded={picking ? 'true' : undefined}
        aria-controls={picking && matches?.length ? 'canned-list' : undefined}
        aria-activedescendant={picking && matches?.[active] ? `canned-${matches[active]!.id}` : undefined}
        aria-describedby={left <= COUNTER_FROM_REMAINING ? 'reply-counter' : undefined}
        onInput={(e) => {
          const value = (e.currentTarget as HTMLTextAreaElement).value;
          setText(value);
          setRefusal(null);
          setActive(0);
          if (!value.startsWith('/')) setDismissed(false);
          if (value.startsWith('/')) loadCanned();
          onTyping();
        }}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      {left <= COUNTER_FROM_REMAINING ? (
        <span id="reply-counter" class={`counter ${left <= 0 ? 'at-limit' : ''}`} aria-live="polite">
          {t.charsLeft(Math.max(0, left))}
        </span>
      ) : null}
      {tooLong ? (
        <span class="error" role="alert">
          {t.tooLong(MAX_MESSAGE_CHARS)}
        </span>
      ) : null}
      {refusal ? (
        <span class="error refused" role="alert">
          {refusal}
        </span>
      ) : null}
      <div class="row">
        <input
          ref={fileInput}
          type="file"
          class="sr-only"
          tabIndex={-1}
          aria-hidden="true"
          accept={UPLOAD_ACCEPT_ATTRIBUTE}
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file) offer(file);
            input.value = '';
          }}
        />
        <Button compact appearance="subtle" disabled={disabled} onClick={() => fileInput.current?.click()}>
          {t.attach}
        </Button>
        <Button
          compact
          appearance="subtle"
          disabled={disabled}
          onClick={() => {
            setText('/');
            setDismissed(false);
            loadCanned();
            box.current?.focus();
          }}
        >
          {t.cannedButton}
        </Button>
        <span class="spacer" />
        <Button compact appearance="primary" type="submit" disabled={disabled || !text.trim() || tooLong}>
          {t.send}
        </Button>
      </div>
    </form>
  );
}
