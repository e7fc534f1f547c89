/**
 * Where analytics go: Google Analytics 4 and BigQuery, and the "missed chat" threshold.
 * Secrets (GA4 API secret, BigQuery service account key) are write-only like WhatsApp's:
 * the inputs start empty, an empty input keeps the stored secret, and the page only ever
 * learns "configured". Delivery counters show what was sent, dropped or is waiting.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ResolverResponse } from '../../../src/protocol/resolvers.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Field } from '../../ui-kit/components/Field.js';
import { Lozenge } from '../../ui-kit/components/Lozenge.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { t } from './strings.js';

type View = ResolverResponse<'analytics.load'>;
type Counters = View['ga4']['counters'];

function Delivery({ c }: { c: Counters }) {
  return (
    <p class="muted" data-counters>
      {t.anDelivery(c.sent, c.dropped, c.parked)}
      {c.lastError ? ` ${t.anLastError(c.lastError, c.lastErrorAt ?? '')}` : ''}
    </p>
  );
}

export function AnalyticsSinksSection({ readOnly }: { readOnly: boolean }) {
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [f, setF] = useState({
    missed: '5',
    ga4On: false,
    measurementId: '',
    ga4Endpoint: '',
    apiSecret: '',
    bqOn: false,
    projectId: '',
    datasetId: '',
    tableId: '',
    bqEndpoint: '',
    key: '',
  });
  const fill = (v: View) => {
    setView(v);
    setF({
      missed: String(v.missedAfterMinutes),
      ga4On: v.ga4.measurementId !== null,
      measurementId: v.ga4.measurementId ?? '',
      ga4Endpoint: v.ga4.endpoint ?? '',
      apiSecret: '',
      bqOn: v.bigquery.projectId !== null,
      projectId: v.bigquery.projectId ?? '',
      datasetId: v.bigquery.datasetId ?? 'chat_analytics',
      tableId: v.bigquery.tableId ?? 'events',
      bqEndpoint: v.bigquery.endpoint ?? '',
      key: '',
    });
  };
  useEffect(() => {
    call('analytics.load', {}).then(fill, (e) => setError(errorMessage(e)));
  }, []);
  const set = (k: keyof typeof f) => (e: Event) =>
    setF({
      ...f,
      [k]:
        (e.currentTarget as HTMLInputElement).type === 'checkbox' ? (e.currentTarget as HTMLInputElement).checked : (e.currentTarget as HTMLInputElement).value,
    });

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      const v = await call('analytics.save', {
        missedAfterMinutes: Math.round(Number(f.missed)) || 5,
        ga4: f.ga4On
          ? {
              measurementId: f.measurementId,
              ...(f.ga4Endpoint.trim() ? { endpoint: f.ga4Endpoint } : {}),
              ...(f.apiSecret.trim() ? { apiSecret: f.apiSecret } : {}),
            }
          : null,
        bigquery: f.bqOn
          ? {
              projectId: f.projectId,
              datasetId: f.datasetId,
              tableId: f.tableId,
              ...(f.bqEndpoint.trim() ? { endpoint: f.bqEndpoint } : {}),
              ...(f.key.trim() ? { serviceAccountKey: f.key } : {}),
            }
          : null,
      });
      fill(v);
      setMsg({ ok: true, text: t.anSaved });
    } catch (err) {
      setMsg({ ok: false, text: `${t.saveFailed}: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <section class="card">
        <Notice kind="error">{error}</Notice>
      </section>
    );
  if (!view) return null;
  return (
    <section class="card" aria-labelledby="sinks-h">
      <h2 id="sinks-h">{t.anSinks}</h2>
      <p class="muted">{t.anSinksHelp}</p>
      <form onSubmit={(e) => void save(e)} noValidate autoComplete="off">
        <fieldset class="plain" disabled={readOnly}>
          <Field id="an-missed" label={t.anMissed} help={t.anMissedHelp}>
            <input
              id="an-missed"
              class="input narrow"
              type="number"
              min={1}
              max={1440}
              value={f.missed}
              onInput={set('missed')}
              aria-describedby="an-missed-help"
            />
          </Field>
          <h3 class="row">
            <label class="check">
              <input type="checkbox" checked={f.ga4On} onChange={set('ga4On')} /> {t.anGa4}
            </label>
            <Lozenge kind={view.ga4.configured ? 'success' : 'default'}>{view.ga4.configured ? t.waConfigured : t.waNotConfigured}</Lozenge>
          </h3>
          {f.ga4On ? (
            <>
              <Field id="an-mid" label={t.anMeasurementId}>
                <input id="an-mid" class="input narrow" value={f.measurementId} placeholder="G-XXXXXXX" onInput={set('measurementId')} />
              </Field>
              <Field id="an-secret" label={t.anApiSecret} help={view.ga4.configured ? t.anKeepSecret : undefined}>
                <input
                  id="an-secret"
                  class="input narrow"
                  type="password"
                  value={f.apiSecret}
                  onInput={set('apiSecret')}
                  aria-describedby={view.ga4.configured ? 'an-secret-help' : undefined}
                />
              </Field>
              <Field id="an-gep" label={t.anEndpoint} help={t.anGa4EndpointHelp}>
                <input
                  id="an-gep"
                  class="input"
                  value={f.ga4Endpoint}
                  placeholder="https://www.google-analytics.com"
                  onInput={set('ga4Endpoint')}
                  aria-describedby="an-gep-help"
                />
              </Field>
              <Delivery c={view.ga4.counters} />
            </>
          ) : null}
          <h3 class="row">
            <label class="check">
              <input type="checkbox" checked={f.bqOn} onChange={set('bqOn')} /> {t.anBigQuery}
            </label>
            <Lozenge kind={view.bigquery.configured ? 'success' : 'default'}>{view.bigquery.configured ? t.waConfigured : t.waNotConfigured}</Lozenge>
          </h3>
          {f.bqOn ? (
            <>
              <div class="row">
                <Field id="an-proj" label={t.anProject}>
                  <input id="an-proj" class="input" value={f.projectId} onInput={set('projectId')} />
                </Field>
                <Field id="an-ds" label={t.anDataset}>
                  <input id="an-ds" class="input" value={f.datasetId} onInput={set('datasetId')} />
                </Field>
                <Field id="an-tbl" label={t.anTable}>
                  <input id="an-tbl" class="input" value={f.tableId} onInput={set('tableId')} />
                </Field>
              </div>
              <Field
                id="an-key"
                label={t.anKey}
                help={view.bigquery.configured ? `${t.anKeyStored(view.bigquery.clientEmail ?? '')} ${t.anKeepSecret}` : t.anKeyHelp}
              >
                <textarea id="an-key" class="input" rows={3} value={f.key} onInput={set('key')} spellcheck={false} aria-describedby="an-key-help" />
              </Field>
              <Field id="an-bep" label={t.anEndpoint} help={t.anBqEndpointHelp}>
                <input
                  id="an-bep"
                  class="input"
                  value={f.bqEndpoint}
                  placeholder="https://bigquery.googleapis.com"
                  onInput={set('bqEndpoint')}
                  aria-describedby="an-bep-help"
                />
              </Field>
              <Delivery c={view.bigquery.counters} />
            </>
          ) : null}
          <Button type="submit" appearance="primary" busy={busy}>
            {t.anSave}
          </Button>
        </fieldset>
      </form>
      {msg ? <Notice kind={msg.ok ? 'success' : 'error'}>{msg.text}</Notice> : null}
    </section>
  );
}
