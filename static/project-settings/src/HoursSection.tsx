import { useEffect, useState } from 'preact/hooks';
import type { HoursZone, WidgetShows } from '../../../src/protocol/schedule.js';
import { Field } from '../../ui-kit/components/Field.js';
import { defaultSchedule, type Load } from './draft.js';
import { preview } from './preview.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';

/** The preview's clock: a minute is the schedule's resolution. */
const PREVIEW_TICK_MS = 30_000;

/**
 * The one place that says when chats are answered and when the widget shows (issue 11:
 * two overlapping controls, hours silently ignored). The rule is written out, and the
 * live sentence applies it to the draft as it is edited.
 */
export function HoursSection({ draft, update, errors, agents }: SectionProps & { agents: Load['agents'] }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), PREVIEW_TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const p = preview({ widgetShows: draft.widgetShows, schedule: draft.schedule, hoursZone: draft.hoursZone, agents, now });
  return (
    <section aria-labelledby="hours-h">
      <h2 id="hours-h">{t.hours}</h2>
      <p class="muted">{t.availabilityRule}</p>
      <p class={`availability-preview ${p.state}`} role="status" data-testid="availability-preview">
        {p.sentence}
      </p>
      <label class="check field">
        <input
          type="checkbox"
          checked={draft.schedule !== null}
          onChange={(e) => update((d) => ({ ...d, schedule: e.currentTarget.checked ? defaultSchedule() : null }))}
        />
        {t.useSchedule}
      </label>
      {draft.schedule ? (
        <>
          <Field id="hours-zone" label={t.hoursZone}>
            <select
              id="hours-zone"
              class="input narrow"
              value={draft.hoursZone}
              onChange={(e) => update((d) => ({ ...d, hoursZone: e.currentTarget.value as HoursZone }))}
            >
              {Object.entries(t.hoursZones).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <ScheduleEditor
            idPrefix="project"
            schedule={draft.schedule}
            onChange={(s) => update((d) => ({ ...d, schedule: s }))}
            errors={errors}
            errorPrefix="schedule"
          />
        </>
      ) : null}
      <Field id="widget-shows" label={t.widgetShows}>
        <select
          id="widget-shows"
          class="input"
          value={draft.widgetShows}
          onChange={(e) => update((d) => ({ ...d, widgetShows: e.currentTarget.value as WidgetShows }))}
        >
          {Object.entries(t.widgetShowsOptions).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </Field>
    </section>
  );
}
