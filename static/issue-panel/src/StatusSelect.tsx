import { useState } from 'preact/hooks';
import type { AgentStatus } from '../../../src/protocol/model.js';
import { call, errorMessage, flag } from '../../ui-kit/bridge.js';
import { PresenceDot } from '../../ui-kit/components/PresenceDot.js';
import { t } from './strings.js';

const STATUSES: AgentStatus[] = ['online', 'away', 'offline'];

/** The agent's own availability; reverts if the app refuses the change. */
export function StatusSelect({ projectKey, initial }: { projectKey: string; initial: AgentStatus }) {
  const [status, setStatus] = useState<AgentStatus>(initial);
  const [busy, setBusy] = useState(false);
  const change = async (next: AgentStatus) => {
    const before = status;
    setStatus(next);
    setBusy(true);
    try {
      const res = await call('presence.setStatus', { projectKey, status: next });
      setStatus(res.agent.status);
    } catch (e) {
      setStatus(before);
      flag('status', t.statusFailed, 'error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <label class="row status-select">
      <PresenceDot state={status} />
      <span class="label">{t.myStatus}</span>
      <select class="input compact" value={status} disabled={busy} onChange={(e) => change((e.currentTarget as HTMLSelectElement).value as AgentStatus)}>
        {STATUSES.map((s) => (
          <option value={s} key={s}>
            {t.status[s]}
          </option>
        ))}
      </select>
    </label>
  );
}
