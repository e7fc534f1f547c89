import { useMemo } from 'preact/hooks';
import type { Interval, Schedule, ScheduleException } from '../../../src/protocol/schedule.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Field } from '../../ui-kit/components/Field.js';
import { IntervalInputs } from './IntervalInputs.js';
import { WEEKDAYS } from './draft.js';
import { t } from './strings.js';
import type { Errors } from './validate.js';
import { MAX_EXCEPTION_LABEL_CHARS } from '../../../src/protocol/limits.js';

const MAX_INTERVALS = 8;
const NEW_INTERVAL: Interval = { start: '09:00', end: '17:00' };

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  return all.includes(current) ? all : [current, ...all];
}

interface Props {
  idPrefix: string;
  schedule: Schedule;
  onChange: (s: Schedule) => void;
  errors: Errors;
  errorPrefix: string;
}

/** Weekly hours in a zone plus exception dates (closed, or special hours). Used for the project and for each agent. */
export function ScheduleEditor({ idPrefix, schedule: s, onChange, errors, errorPrefix }: Props) {
  const zoneList = useMemo(() => zones(s.timeZone), [s.timeZone]);
  const setDay = (day: keyof Schedule['weekly'], list: Interval[]) => onChange({ ...s, weekly: { ...s.weekly, [day]: list } });
  const setEx = (i: number, x: ScheduleException | null) =>
    onChange({ ...s, exceptions: x ? s.exceptions.map((e, j) => (j === i ? x : e)) : s.exceptions.filter((_, j) => j !== i) });

  return (
    <div class="schedule">
      <Field id={`${idPrefix}-zone`} label={t.timeZone} error={errors[`${errorPrefix}.timeZone`]}>
        <select id={`${idPrefix}-zone`} class="input narrow" value={s.timeZone} onChange={(e) => onChange({ ...s, timeZone: e.currentTarget.value })}>
          {zoneList.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </Field>
      <table class="table week">
        <tbody>
          {WEEKDAYS.map((day) => {
            const list = s.weekly[day] ?? [];
            const dayName = t.weekdays[day]!;
            return (
              <tr key={day}>
                <th scope="row">{dayName}</th>
                <td>
                  {list.length === 0 ? <span class="muted">{t.closedDay}</span> : null}
                  {list.map((iv, i) => (
                    <IntervalInputs
                      key={i}
                      id={`${idPrefix}-${day}-${i}`}
                      interval={iv}
                      label={dayName}
                      error={errors[`${errorPrefix}.${day}.${i}`]}
                      onChange={(next) =>
                        setDay(
                          day,
                          list.map((x, j) => (j === i ? next : x)),
                        )
                      }
                      onRemove={() =>
                        setDay(
                          day,
                          list.filter((_, j) => j !== i),
                        )
                      }
                      removeLabel={t.removeInterval(dayName, i)}
                    />
                  ))}
                </td>
                <td class="add-cell">
                  <Button
                    compact
                    appearance="subtle"
                    disabled={list.length >= MAX_INTERVALS}
                    aria-label={t.addInterval(dayName)}
                    onClick={() => setDay(day, [...list, list.length ? { start: '13:00', end: '17:00' } : NEW_INTERVAL])}
                  >
                    +
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t.exceptions}</h3>
      {s.exceptions.map((x, i) => {
        const key = `${errorPrefix}.ex.${i}`;
        return (
          <div class="exception row" key={i}>
            <label class="inline-field">
              <span class="label">{t.exceptionDate}</span>
              <input
                type="date"
                class="input"
                value={x.date}
                aria-invalid={errors[key] ? 'true' : undefined}
                onInput={(e) => setEx(i, { ...x, date: e.currentTarget.value })}
              />
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={x.intervals.length === 0}
                onChange={(e) => setEx(i, { ...x, intervals: e.currentTarget.checked ? [] : [NEW_INTERVAL] })}
              />
              {t.exceptionClosed}
            </label>
            {x.intervals.map((iv, j) => (
              <IntervalInputs
                key={j}
                id={`${idPrefix}-ex-${i}-${j}`}
                interval={iv}
                label={x.date}
                error={errors[`${key}.${j}`]}
                onChange={(next) => setEx(i, { ...x, intervals: x.intervals.map((y, k) => (k === j ? next : y)) })}
                onRemove={() => setEx(i, { ...x, intervals: x.intervals.filter((_, k) => k !== j) })}
                removeLabel={t.removeInterval(x.date, j)}
              />
            ))}
            <label class="inline-field">
              <span class="label">{t.exceptionLabel}</span>
              <input
                class="input"
                value={x.label ?? ''}
                maxLength={MAX_EXCEPTION_LABEL_CHARS}
                onInput={(e) => setEx(i, { ...x, label: e.currentTarget.value || undefined })}
              />
            </label>
            <Button compact appearance="subtle" aria-label={t.removeException(x.date)} onClick={() => setEx(i, null)}>
              {t.remove}
            </Button>
            {errors[key] ? (
              <span class="error-text" role="alert">
                {errors[key]}
              </span>
            ) : null}
          </div>
        );
      })}
      <Button compact onClick={() => onChange({ ...s, exceptions: [...s.exceptions, { date: '', intervals: [] }] })}>
        {t.addException}
      </Button>
    </div>
  );
}
