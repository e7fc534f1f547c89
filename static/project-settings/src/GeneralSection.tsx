import { describedBy, Field } from '../../ui-kit/components/Field.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';

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
    </section>
  );
}
