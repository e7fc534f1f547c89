import { DEFAULT_REOPEN_WINDOW_MINUTES } from '../../../src/protocol/limits.js';
import { describedBy, Field } from '../../ui-kit/components/Field.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';

/** Choices for how long a closed chat may be reopened by the customer's next message (minutes; 0 = never). */
const REOPEN_CHOICES = [0, 60, 24 * 60, 3 * 24 * 60, 7 * 24 * 60, 30 * 24 * 60] as const;

export function GeneralSection({ draft, update, errors, requestTypes }: SectionProps & { requestTypes: { id: string; name: string }[] }) {
  const err = errors.requestTypeId;
  return (
    <section aria-labelledby="general-h">
      <h2 id="general-h">{t.general}</h2>
      <label class="check field">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => update((d) => ({ ...d, enabled: e.currentTarget.checked }))} />
        {t.enabled}
      </label>
      <Field id="request-type" label={t.requestType} help={t.requestTypeHelp} error={err}>
        <select
          id="request-type"
          class="input"
          value={draft.requestTypeId}
          {...describedBy('request-type', err, t.requestTypeHelp)}
          onChange={(e) => update((d) => ({ ...d, requestTypeId: e.currentTarget.value }))}
        >
          {!draft.requestTypeId ? <option value="">{t.chooseRequestType}</option> : null}
          {requestTypes.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="reopen-window" label={t.reopenWindow} help={t.reopenWindowHelp}>
        <select
          id="reopen-window"
          class="input"
          value={String(draft.reopenWindowMinutes ?? DEFAULT_REOPEN_WINDOW_MINUTES)}
          {...describedBy('reopen-window', undefined, t.reopenWindowHelp)}
          onChange={(e) => update((d) => ({ ...d, reopenWindowMinutes: Number(e.currentTarget.value) }))}
        >
          {REOPEN_CHOICES.map((m) => (
            <option key={m} value={String(m)}>
              {t.reopenChoice(m)}
            </option>
          ))}
        </select>
      </Field>
    </section>
  );
}
