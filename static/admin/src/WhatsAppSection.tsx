import { useState } from 'preact/hooks';
import { call } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { CopyButton } from '../../ui-kit/components/Copy.js';
import { describedBy, Field } from '../../ui-kit/components/Field.js';
import { Lozenge } from '../../ui-kit/components/Lozenge.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import type { AdminLoad } from './App.js';
import { t } from './strings.js';
import { checkWabaId, checkWaField, waSaveError } from './wa-errors.js';

type Secrets = { phoneNumberId: string; accessToken: string; appSecret: string; verifyToken: string };
const EMPTY: Secrets = { phoneNumberId: '', accessToken: '', appSecret: '', verifyToken: '' };
const FIELDS: { key: keyof Secrets; label: string; secret: boolean }[] = [
  { key: 'phoneNumberId', label: t.waPhoneNumberId, secret: false },
  { key: 'accessToken', label: t.waAccessToken, secret: true },
  { key: 'appSecret', label: t.waAppSecret, secret: true },
  { key: 'verifyToken', label: t.waVerifyToken, secret: true },
];

/**
 * Credentials are write-only: the inputs start empty every time and are cleared after
 * saving; the page only ever learns "configured" and the webhook URL.
 */
export function WhatsAppSection({ whatsapp, projects, readOnly }: { whatsapp: AdminLoad['whatsapp']; projects: AdminLoad['projects']; readOnly: boolean }) {
  const [state, setState] = useState(whatsapp);
  const [projectKey, setProjectKey] = useState(whatsapp.projectKey ?? '');
  const [values, setValues] = useState<Secrets>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Secrets | 'projectKey', string>>>({});
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  // Issue 15: where the approved message templates live; optional, not a secret.
  const [wabaId, setWabaId] = useState('');
  const [wabaError, setWabaError] = useState<string | undefined>();

  const save = async (e: Event) => {
    e.preventDefault();
    const found: typeof errors = {};
    if (!projectKey) found.projectKey = t.waRequired;
    for (const f of FIELDS) {
      const problem = checkWaField(f.key, values[f.key]);
      if (problem) found[f.key] = problem;
    }
    setErrors(found);
    const waba = wabaId.trim();
    const wabaProblem = checkWabaId(waba);
    setWabaError(wabaProblem);
    if (Object.keys(found).length || wabaProblem) return;
    setBusy(true);
    setMsg(null);
    try {
      const trimmed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()])) as Secrets;
      const res = await call('admin.saveWhatsApp', { projectKey, ...trimmed, ...(waba ? { wabaId: waba } : {}) });
      setState({ configured: true, projectKey, phoneNumberId: values.phoneNumberId, webhookUrl: res.webhookUrl });
      setValues(EMPTY);
      setMsg({ ok: true, text: t.waSaved });
    } catch (err) {
      setMsg({ ok: false, text: waSaveError(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="wa-h">
      <div class="row">
        <h2 id="wa-h">{t.whatsapp}</h2>
        <span class="wa-status">
          <Lozenge kind={state.configured ? 'success' : 'default'}>{state.configured ? t.waConfigured : t.waNotConfigured}</Lozenge>
        </span>
      </div>
      {state.webhookUrl ? (
        <div class="field">
          <span class="label">{t.waWebhook}</span>
          <div class="row nowrap">
            <code class="webhook">{state.webhookUrl}</code>
            <CopyButton text={state.webhookUrl} label={t.copy} copiedLabel={t.copied} />
          </div>
        </div>
      ) : null}
      {state.phoneNumberId ? <p class="muted">{t.waCurrentPhone(state.phoneNumberId)}</p> : null}
      <form onSubmit={(e) => void save(e)} noValidate autoComplete="off">
        <fieldset class="plain" disabled={readOnly}>
          <Field id="wa-project" label={t.waProject} error={errors.projectKey}>
            <select
              id="wa-project"
              class="input narrow"
              value={projectKey}
              {...describedBy('wa-project', errors.projectKey)}
              onChange={(e) => setProjectKey(e.currentTarget.value)}
            >
              <option value="">{t.chooseProject}</option>
              {projects.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name} ({p.key})
                </option>
              ))}
            </select>
          </Field>
          <p class="muted" id="wa-secret-help">
            {t.waSecretHelp}
          </p>
          {FIELDS.map((f) => (
            <Field key={f.key} id={`wa-${f.key}`} label={f.label} error={errors[f.key]}>
              <input
                id={`wa-${f.key}`}
                class="input narrow"
                type={f.secret ? 'password' : 'text'}
                autoComplete={f.secret ? 'new-password' : 'off'}
                spellcheck={false}
                value={values[f.key]}
                {...describedBy(`wa-${f.key}`, errors[f.key])}
                onInput={(e) => setValues((v) => ({ ...v, [f.key]: e.currentTarget.value }))}
              />
            </Field>
          ))}
          <Field id="wa-wabaId" label={t.waWabaId} help={t.waWabaIdHelp} error={wabaError}>
            <input
              id="wa-wabaId"
              class="input narrow"
              type="text"
              spellcheck={false}
              value={wabaId}
              {...describedBy('wa-wabaId', wabaError, t.waWabaIdHelp)}
              onInput={(e) => setWabaId(e.currentTarget.value)}
            />
          </Field>
          {!readOnly ? (
            <Button type="submit" appearance="primary" busy={busy}>
              {t.waSave}
            </Button>
          ) : null}
        </fieldset>
      </form>
      {msg ? <Notice kind={msg.ok ? 'success' : 'error'}>{msg.text}</Notice> : null}
    </section>
  );
}
