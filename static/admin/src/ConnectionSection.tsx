import { useState } from 'preact/hooks';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Lozenge } from '../../ui-kit/components/Lozenge.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import type { AdminLoad } from './App.js';
import { t } from './strings.js';

export function ConnectionSection({ data, readOnly, onRelinked }: { data: AdminLoad; readOnly: boolean; onRelinked: () => void }) {
  const c = data.connection;
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const relink = async () => {
    setBusy(true);
    try {
      const res = await call('admin.relink', {});
      setResult(res);
      if (res.ok) onRelinked();
    } catch (e) {
      setResult({ ok: false, message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="conn-h">
      <h2 id="conn-h">{t.connection}</h2>
      <dl class="facts">
        <dt>{t.url}</dt>
        <dd>
          <code>{data.presenceUrl}</code>
        </dd>
        <dt>{t.status}</dt>
        <dd class="row connection-status">
          <Lozenge kind={c.ok ? 'success' : 'danger'}>{c.ok ? t.connected : t.notConnected}</Lozenge>
          <Lozenge kind={c.linked ? 'success' : 'warning'}>{c.linked ? t.linked : t.notLinked}</Lozenge>
          {c.version ? <span class="muted">{t.version(c.version)}</span> : null}
        </dd>
      </dl>
      <p class="muted connection-message">{c.message}</p>
      {(data.warnings ?? []).map((w) => (
        <Notice kind="warning" title={t.actionNeeded}>
          {w}
        </Notice>
      ))}
      {!readOnly ? (
        <Button busy={busy} onClick={() => void relink()}>
          {t.reconnect}
        </Button>
      ) : null}
      {result ? (
        <Notice kind={result.ok ? 'success' : 'error'} title={result.ok ? t.reconnected : t.reconnectFailed}>
          {result.message}
        </Notice>
      ) : null}
    </section>
  );
}
