import { useRef, useState } from 'preact/hooks';
import { MAX_MESSAGE_CHARS } from '../../../src/protocol/limits.js';
import { Button } from '../../ui-kit/components/Button.js';
import { t } from './strings.js';

interface Props {
  disabled: boolean;
  onSend: (text: string) => void;
  onFile: (file: File) => void;
  onTyping: () => void;
}

/** Enter sends, Shift+Enter breaks the line; an IME composition's Enter is left alone. */
export function Composer({ disabled, onSend, onFile, onTyping }: Props) {
  const [text, setText] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const tooLong = text.length > MAX_MESSAGE_CHARS;

  const submit = () => {
    const body = text.trim();
    if (!body || tooLong || disabled) return;
    onSend(body);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent) => {
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
      <label for="reply" class="sr-only">
        {t.composerLabel}
      </label>
      <textarea
        id="reply"
        class="input"
        rows={2}
        value={text}
        disabled={disabled}
        placeholder={t.composerPlaceholder}
        aria-invalid={tooLong ? 'true' : undefined}
        onInput={(e) => {
          setText((e.currentTarget as HTMLTextAreaElement).value);
          onTyping();
        }}
        onKeyDown={onKeyDown}
      />
      {tooLong ? <span class="error" role="alert">{t.tooLong(MAX_MESSAGE_CHARS)}</span> : null}
      <div class="row">
        <input
          ref={fileInput}
          type="file"
          class="sr-only"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file) onFile(file);
            input.value = '';
          }}
        />
        <Button compact appearance="subtle" disabled={disabled} onClick={() => fileInput.current?.click()}>
          {t.attach}
        </Button>
        <span class="spacer" />
        <Button compact appearance="primary" type="submit" disabled={disabled || !text.trim() || tooLong}>
          {t.send}
        </Button>
      </div>
    </form>
  );
}
