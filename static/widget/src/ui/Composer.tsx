import { useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_CHARS } from '../../../../src/protocol/limits.js';
import { UPLOAD_ACCEPT_ATTRIBUTE } from '../../../../src/protocol/upload-types.js';
import type { Controller } from '../controller.js';
import type { Strings } from '../i18n.js';
import { offerFiles } from './file-offer.js';
import { ClipIcon, SendIcon } from './icons.js';

/** The character counter appears once this few characters are left (10% of the limit). */
export const COUNTER_FROM_REMAINING = Math.floor(MAX_MESSAGE_CHARS / 10);

interface Props {
  ctl: Controller;
  t: Strings;
  canAttach: boolean;
  /** Why the last paste or file was refused (shared with the panel's drop target), or null. */
  notice: string | null;
  setNotice: (n: string | null) => void;
}

/** Enter sends, Shift+Enter breaks the line; files come by button, paste or drop (drop is handled by the panel). */
export function Composer({ ctl, t, canAttach, notice, setNotice }: Props) {
  const [text, setText] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);

  const send = () => {
    if (!text.trim()) return;
    ctl.sendText(text);
    setText('');
    if (area.current) area.current.style.height = '';
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  };
  const onInput = (e: Event) => {
    const el = e.currentTarget as HTMLTextAreaElement;
    setText(el.value);
    if (notice) setNotice(null);
    el.style.height = '';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
    ctl.typing();
  };
  const onPaste = (e: ClipboardEvent) => {
    const files = e.clipboardData?.files;
    if (canAttach && files?.length) {
      e.preventDefault();
      setNotice(offerFiles(Array.from(files), ctl, t));
      return;
    }
    // The textarea's maxLength would cut a long paste without a word: refuse it whole, and say so.
    const pasted = e.clipboardData?.getData('text/plain') ?? '';
    const el = e.currentTarget as HTMLTextAreaElement;
    const after = el.value.length - (el.selectionEnd - el.selectionStart) + pasted.length;
    if (after > MAX_MESSAGE_CHARS) {
      e.preventDefault();
      setNotice(t.pasteTooLong(MAX_MESSAGE_CHARS));
    }
  };
  const left = MAX_MESSAGE_CHARS - text.length;

  return (
    <>
      {notice && (
        <div class="notice refused" role="alert">
          <span>{notice}</span>
          <button type="button" class="link-btn" onClick={() => setNotice(null)}>
            {t.dismiss}
          </button>
        </div>
      )}
      {left <= COUNTER_FROM_REMAINING && (
        <div id="wgt-counter" class={`counter ${left === 0 ? 'at-limit' : ''}`} aria-live="polite">
          {t.charsLeft(left)}
        </div>
      )}
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        {canAttach && (
          <>
            <button type="button" class="icon-btn" aria-label={t.attach} title={t.attach} onClick={() => file.current?.click()}>
              <ClipIcon />
            </button>
            <input
              ref={file}
              type="file"
              hidden
              tabIndex={-1}
              accept={UPLOAD_ACCEPT_ATTRIBUTE}
              onChange={(e) => {
                const input = e.currentTarget as HTMLInputElement;
                setNotice(offerFiles(Array.from(input.files ?? []), ctl, t));
                input.value = '';
              }}
            />
          </>
        )}
        <textarea
          ref={area}
          rows={1}
          maxLength={MAX_MESSAGE_CHARS}
          aria-label={t.composer}
          aria-describedby={left <= COUNTER_FROM_REMAINING ? 'wgt-counter' : undefined}
          placeholder={t.composer}
          value={text}
          onInput={onInput}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <button type="submit" class="icon-btn send" aria-label={t.send} title={t.send}>
          <SendIcon />
        </button>
      </form>
    </>
  );
}
