import type { WidgetConfig } from '../../../src/protocol/model.js';
import { describedBy, Field } from '../../ui-kit/components/Field.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';
import { MAX_TEAM_NAME_CHARS } from '../../../src/protocol/limits.js';

export function LookSection({ draft, update, errors }: SectionProps) {
  const w = draft.widget;
  const set = <K extends keyof WidgetConfig>(k: K, v: WidgetConfig[K]) => update((d) => ({ ...d, widget: { ...d.widget, [k]: v } }));
  const colorOk = /^#[0-9a-fA-F]{6}$/.test(w.color);
  return (
    <section aria-labelledby="look-h">
      <h2 id="look-h">{t.look}</h2>
      <div class="grid2">
        <Field id="color" label={t.colorHex} error={errors['widget.color']}>
          <div class="row nowrap">
            <input
              type="color"
              class="swatch"
              aria-label={t.color}
              value={colorOk ? w.color : '#000000'}
              onInput={(e) => set('color', e.currentTarget.value.toUpperCase())}
            />
            <input
              id="color"
              class="input"
              value={w.color}
              maxLength={7}
              {...describedBy('color', errors['widget.color'])}
              onInput={(e) => set('color', e.currentTarget.value.trim())}
            />
          </div>
        </Field>
        <Field id="position" label={t.position}>
          <select id="position" class="input" value={w.position} onChange={(e) => set('position', e.currentTarget.value as WidgetConfig['position'])}>
            {Object.entries(t.positions).map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="team-name" label={t.teamName} error={errors['widget.teamName']}>
          <input
            id="team-name"
            class="input"
            value={w.teamName}
            maxLength={MAX_TEAM_NAME_CHARS}
            {...describedBy('team-name', errors['widget.teamName'])}
            onInput={(e) => set('teamName', e.currentTarget.value)}
          />
        </Field>
        <Field id="locale" label={t.locale}>
          <select id="locale" class="input" value={w.locale} onChange={(e) => set('locale', e.currentTarget.value as WidgetConfig['locale'])}>
            {Object.entries(t.locales).map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id="greeting" label={t.greeting} error={errors['widget.greeting']}>
        <textarea
          id="greeting"
          class="input"
          rows={2}
          value={w.greeting}
          {...describedBy('greeting', errors['widget.greeting'])}
          onInput={(e) => set('greeting', e.currentTarget.value)}
        />
      </Field>
      <Field id="offline-text" label={t.offlineText} error={errors['widget.offlineText']}>
        <textarea
          id="offline-text"
          class="input"
          rows={2}
          value={w.offlineText}
          {...describedBy('offline-text', errors['widget.offlineText'])}
          onInput={(e) => set('offlineText', e.currentTarget.value)}
        />
      </Field>
      <label class="check field">
        <input type="checkbox" checked={w.attachments} onChange={(e) => set('attachments', e.currentTarget.checked)} />
        {t.attachments}
      </label>
      <div
        class="preview-chip"
        style={{ background: colorOk ? w.color : undefined, [w.position === 'left' ? 'marginRight' : 'marginLeft']: 'auto' }}
        aria-hidden="true"
      >
        {w.teamName}
      </div>
    </section>
  );
}
