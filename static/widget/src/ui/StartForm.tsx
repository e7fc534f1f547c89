import { useState } from 'preact/hooks';
import type { Prechat } from '../../../../src/protocol/customer-ws.js';
import { MAX_DISPLAY_NAME_CHARS, MAX_EMAIL_CHARS, MAX_MESSAGE_CHARS, MAX_PRECHAT_ANSWER_CHARS } from '../../../../src/protocol/limits.js';
import type { Strings } from '../i18n.js';

export interface FieldSpec {
  id: string;
  label: string;
  type: 'text' | 'email' | 'textarea' | 'select';
  required: boolean;
  options?: string[];
  /** Built-in name/email, as opposed to admin-defined pre-chat fields. */
  builtin?: 'name' | 'email';
  value?: string;
}

interface Props {
  t: Strings;
  idPrefix: string;
  intro: string;
  fields: FieldSpec[];
  submitLabel: string;
  onSubmit(prechat: Prechat, text: string): void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Pre-chat and leave-a-message form: the visitor's details plus the first message. */
export function StartForm({ t, idPrefix, intro, fields, submitLabel, onSubmit }: Props) {
  const all: FieldSpec[] = [...fields, { id: 'message', label: t.message, type: 'textarea', required: true }];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(all.map((f) => [f.id, f.value ?? ''])));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    for (const f of all) {
      const v = (values[f.id] ?? '').trim();
      if (f.required && !v) errs[f.id] = t.required;
      else if (v && f.type === 'email' && !EMAIL.test(v)) errs[f.id] = t.invalidEmail;
    }
    setErrors(errs);
    const first = all.find((f) => errs[f.id]);
    if (first) {
      ((e.currentTarget as HTMLFormElement).querySelector(`#${idPrefix}-${first.id}`) as HTMLElement | null)?.focus();
      return;
    }
    const prechat: Prechat = {};
    const extra: Record<string, string> = {};
    for (const f of fields) {
      const v = (values[f.id] ?? '').trim();
      if (!v) continue;
      if (f.builtin) prechat[f.builtin] = v;
      else extra[f.id] = v;
    }
    if (Object.keys(extra).length) prechat.fields = extra;
    onSubmit(prechat, values.message ?? '');
  };

  return (
    <form class="form" onSubmit={submit} noValidate>
      <p class="intro">{intro}</p>
      {all.map((f) => {
        const id = `${idPrefix}-${f.id}`;
        const err = errors[f.id];
        const common = {
          id,
          name: f.id,
          value: values[f.id],
          required: f.required,
          'aria-invalid': err ? ('true' as const) : undefined,
          'aria-describedby': err ? `${id}-err` : undefined,
          onInput: (e: Event) => setValues({ ...values, [f.id]: (e.currentTarget as HTMLInputElement).value }),
        };
        return (
          <div class="field" key={f.id}>
            <label for={id}>
              {f.label} {!f.required && <span class="opt">({t.optional})</span>}
            </label>
            {f.type === 'textarea' ? (
              <textarea {...common} maxLength={f.id === 'message' ? MAX_MESSAGE_CHARS : MAX_PRECHAT_ANSWER_CHARS} />
            ) : f.type === 'select' ? (
              <select {...common}>
                <option value="" />
                {(f.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                maxLength={f.builtin === 'email' ? MAX_EMAIL_CHARS : f.builtin === 'name' ? MAX_DISPLAY_NAME_CHARS : MAX_PRECHAT_ANSWER_CHARS}
                type={f.type}
                autoComplete={f.builtin === 'email' ? 'email' : f.builtin === 'name' ? 'name' : 'off'}
              />
            )}
            {err && (
              <span class="err" id={`${id}-err`}>
                {err}
              </span>
            )}
          </div>
        );
      })}
      <button class="primary" type="submit">
        {submitLabel}
      </button>
    </form>
  );
}
