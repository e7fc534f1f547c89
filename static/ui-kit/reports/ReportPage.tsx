/**
 * A period picker (presets and dates) and the report it loads. `load` is the resolver call
 * (project or site); the page keeps the last answer while a new one loads.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ChatReport } from '../../../src/protocol/chat-report.js';
import { errorMessage } from '../bridge.js';
import { Button } from '../components/Button.js';
import { Loading, LoadError } from '../components/Loading.js';
import { ReportView } from './ReportView.js';
import { rt } from './strings.js';

const PRESETS = [7, 14, 30, 90];
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const lastDays = (n: number, nowMs = Date.now()) => ({ from: iso(nowMs - (n - 1) * 86_400_000), to: iso(nowMs) });

export function ReportPage<R extends ChatReport>({
  load,
  fileName,
  extra,
}: {
  load: (p: { from: string; to: string }) => Promise<R>;
  fileName: string;
  extra?: (r: R) => preact.ComponentChildren;
}) {
  const [period, setPeriod] = useState(lastDays(30));
  const [draft, setDraft] = useState(period);
  const [report, setReport] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fetchReport = () => {
    setBusy(true);
    setError(null);
    load(period)
      .then(setReport, (e) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  useEffect(fetchReport, [period.from, period.to]);
  return (
    <div class="report">
      <form
        class="period"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod(draft);
        }}
      >
        {PRESETS.map((n) => (
          <Button
            key={n}
            compact
            appearance={period.from === lastDays(n).from && period.to === lastDays(n).to ? 'primary' : 'default'}
            onClick={() => {
              const p = lastDays(n);
              setDraft(p);
              setPeriod(p);
            }}
          >
            {rt.last(n)}
          </Button>
        ))}
        <div class="field">
          <label for="r-from">{rt.from}</label>
          <input id="r-from" class="input" type="date" value={draft.from} max={draft.to} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="r-to">{rt.to}</label>
          <input id="r-to" class="input" type="date" value={draft.to} min={draft.from} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </div>
        <Button type="submit" busy={busy}>
          {rt.apply}
        </Button>
      </form>
      {error ? <LoadError title={rt.loadFailed} message={error} retryLabel={rt.retry} onRetry={fetchReport} /> : null}
      {!report && !error ? <Loading label={rt.loading} /> : null}
      {report ? (
        <>
          <ReportView report={report} fileName={`${fileName}-${report.from}-${report.to}.csv`} />
          {extra?.(report)}
        </>
      ) : null}
    </div>
  );
}
