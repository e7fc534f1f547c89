import type { VisibilityMode } from '../../../src/protocol/schedule.js';
import { Field } from '../../ui-kit/components/Field.js';
import { defaultSchedule } from './draft.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';

export function HoursSection({ draft, update, errors }: SectionProps) {
  return (
    <section aria-labelledby="hours-h">
      <h2 id="hours-h">{t.hours}</h2>
      <Field id="visibility" label={t.visibility}>
        <select id="visibility" class="input narrow" value={draft.visibility} onChange={(e) => update((d) => ({ ...d, visibility: e.currentTarget.value as VisibilityMode }))}>
          {Object.entries(t.visibilities).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <label class="check field">
        <input type="checkbox" checked={draft.schedule !== null} onChange={(e) => update((d) => ({ ...d, schedule: e.currentTarget.checked ? defaultSchedule() : null }))} />
        {t.useSchedule}
      </label>
      {draft.schedule ? <ScheduleEditor idPrefix="project" schedule={draft.schedule} onChange={(s) => update((d) => ({ ...d, schedule: s }))} errors={errors} errorPrefix="schedule" /> : null}
    </section>
  );
}
