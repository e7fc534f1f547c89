import type { PrechatField } from '../../../src/protocol/model.js';
import { Button } from '../../ui-kit/components/Button.js';
import { describedBy, Field } from '../../ui-kit/components/Field.js';
import { fieldId } from './draft.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';
import { MAX_FIELD_LABEL_CHARS } from '../../../src/protocol/limits.js';

const MAX_FIELDS = 10;

export function PrechatSection({ draft, update, errors }: SectionProps) {
  const w = draft.widget;
  const setFields = (fn: (f: PrechatField[]) => PrechatField[]) =>
    update((d) => ({ ...d, widget: { ...d.widget, prechatFields: fn(d.widget.prechatFields) } }));
  const patch = (i: number, p: Partial<PrechatField>) => setFields((fs) => fs.map((f, j) => (j === i ? { ...f, ...p } : f)));
  return (
    <section aria-labelledby="prechat-h">
      <h2 id="prechat-h">{t.prechat}</h2>
      <label class="check field">
        <input
          type="checkbox"
          checked={w.requireName}
          onChange={(e) => update((d) => ({ ...d, widget: { ...d.widget, requireName: e.currentTarget.checked } }))}
        />
        {t.requireName}
      </label>
      <label class="check field">
        <input
          type="checkbox"
          checked={w.requireEmail}
          onChange={(e) => update((d) => ({ ...d, widget: { ...d.widget, requireEmail: e.currentTarget.checked } }))}
        />
        {t.requireEmail}
      </label>
      <h3>{t.customFields}</h3>
      {w.prechatFields.map((f, i) => (
        <div class="field-row" key={f.id}>
          <Field id={`pf-${i}-label`} label={t.fieldLabel} error={errors[`prechat.${i}.label`]}>
            <input
              id={`pf-${i}-label`}
              class="input"
              value={f.label}
              maxLength={MAX_FIELD_LABEL_CHARS}
              {...describedBy(`pf-${i}-label`, errors[`prechat.${i}.label`])}
              onInput={(e) => patch(i, { label: e.currentTarget.value })}
            />
          </Field>
          <Field id={`pf-${i}-type`} label={t.fieldType}>
            <select id={`pf-${i}-type`} class="input" value={f.type} onChange={(e) => patch(i, { type: e.currentTarget.value as PrechatField['type'] })}>
              {Object.entries(t.fieldTypes).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          {f.type === 'select' ? (
            <Field id={`pf-${i}-options`} label={t.fieldOptions} error={errors[`prechat.${i}.options`]}>
              <input
                id={`pf-${i}-options`}
                class="input"
                value={(f.options ?? []).join(', ')}
                {...describedBy(`pf-${i}-options`, errors[`prechat.${i}.options`])}
                onChange={(e) =>
                  patch(i, {
                    options: e.currentTarget.value
                      .split(',')
                      .map((s) => s.trim())
                      .filter(Boolean)
                      .slice(0, 50),
                  })
                }
              />
            </Field>
          ) : null}
          <label class="check">
            <input type="checkbox" checked={f.required} onChange={(e) => patch(i, { required: e.currentTarget.checked })} />
            {t.fieldRequired}
          </label>
          <Button compact appearance="subtle" aria-label={t.removeField(f.label)} onClick={() => setFields((fs) => fs.filter((_, j) => j !== i))}>
            {t.remove}
          </Button>
        </div>
      ))}
      <Button
        compact
        disabled={w.prechatFields.length >= MAX_FIELDS}
        onClick={() => setFields((fs) => [...fs, { id: fieldId(`question ${fs.length + 1}`, fs), label: '', type: 'text', required: false }])}
      >
        {t.addField}
      </Button>
    </section>
  );
}
