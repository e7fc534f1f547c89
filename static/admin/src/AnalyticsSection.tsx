import { useState } from 'preact/hooks';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { t } from './strings.js';

/** Saved on change: one switch needs no separate Save button. */
export function AnalyticsSection({ initial, readOnly }: { initial: boolean; readOnly: boolean }) {
  const [on, setOn] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const change = async (next: boolean) => {
    setBusy(true);
    setOn(next);
    try {
      setOn((await call('admin.saveSettings', { analytics: next })).analytics);
      setMsg({ ok: true, text: t.analyticsSaved });
    } catch (e) {
      setOn(!next);
      setMsg({ ok: false, text: `${t.saveFailed}: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="privacy-h">
      <h2 id="privacy-h">{t.privacy}</h2>
      <label class="check field">
        <input
          type="checkbox"
          checked={on}
          disabled={readOnly || busy}
          aria-describedby="analytics-help"
          onChange={(e) => void change(e.currentTarget.checked)}
        />
        {t.analytics}
      </label>
      <p class="muted" id="analytics-help">
        {t.analyticsHelp}
      </p>
      {msg ? <Notice kind={msg.ok ? 'success' : 'error'}>{msg.text}</Notice> : null}
    </section>
  );
}
