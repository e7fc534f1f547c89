import { useState } from 'preact/hooks';
import { Button } from '../../ui-kit/components/Button.js';
import { describedBy, Field } from '../../ui-kit/components/Field.js';
import { normalizeOrigin } from './draft.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';

export function OriginsSection({ draft, update, errors }: SectionProps) {
  const [input, setInput] = useState('');
  const [inputError, setInputError] = useState<string | undefined>();
  const add = () => {
    const origin = normalizeOrigin(input);
    if (!origin) return setInputError(t.err.origin);
    if (draft.allowedOrigins.includes(origin)) return setInputError(t.err.originDuplicate);
    update((d) => ({ ...d, allowedOrigins: [...d.allowedOrigins, origin] }));
    setInput('');
    setInputError(undefined);
  };
  const err = inputError ?? errors.origins;
  return (
    <section aria-labelledby="origins-h">
      <h2 id="origins-h">{t.origins}</h2>
      {draft.allowedOrigins.length === 0 ? <p class="muted">{t.noOrigins}</p> : null}
      <ul class="origins">
        {draft.allowedOrigins.map((o, i) => (
          <li key={o} class="row">
            <code>{o}</code>
            {errors[`origins.${i}`] ? <span class="error-text">{errors[`origins.${i}`]}</span> : null}
            <span class="spacer" />
            <Button
              compact
              appearance="subtle"
              aria-label={t.removeOrigin(o)}
              onClick={() => update((d) => ({ ...d, allowedOrigins: d.allowedOrigins.filter((x) => x !== o) }))}
            >
              {t.remove}
            </Button>
          </li>
        ))}
      </ul>
      <Field id="origin-input" label={t.originInput} help={t.originsHelp} error={err}>
        <div class="row nowrap">
          <input
            id="origin-input"
            class="input"
            type="url"
            inputMode="url"
            placeholder="https://www.example.com"
            value={input}
            {...describedBy('origin-input', err, t.originsHelp)}
            onInput={(e) => {
              setInput(e.currentTarget.value);
              setInputError(undefined);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <Button onClick={add}>{t.addOrigin}</Button>
        </div>
      </Field>
    </section>
  );
}
