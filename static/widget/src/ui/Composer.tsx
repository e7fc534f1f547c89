import { useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_CHARS } from '../../../../src/protocol/limits.js';
import type { Controller } from '../controller.js';
import type { Strings } from '../i18n.js';
import { ClipIcon, SendIcon } from './icons.js';

interface Props {
  ctl: Controller;
  t: Strings;
  canAttach: boolean;
}

/** Enter sends, Shift+Enter breaks the line; files come by button, paste or drop (drop is handled by the panel). */
export function Composer({ ctl, t, canAttach }: Props) {
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
    el.style.height = '';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
    ctl.typing();
  };
  const onPaste = (e: ClipboardEvent) => {
    const files = e.clipboardData?.files;
    if (canAttach && files?.length) {
      e.preventDefault();
      for (const f of Array.from(files)) ctl.sendFile(f);
    }
  };

  return (
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
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              for (const f of Array.from(input.files ?? [])) ctl.sendFile(f);
              input.value = '';
            }}
          />
        </>
      )}
      <textarea ref={area} rows={1} maxLength={MAX_MESSAGE_CHARS} aria-label={t.composer} placeholder={t.composer} value={text} onInput={onInput} onKeyDown={onKeyDown} onPaste={onPaste} />
      <button type="submit" class="icon-btn send" aria-label={t.send} title={t.send}>
        <SendIcon />
      </button>
    </form>
  );
}
