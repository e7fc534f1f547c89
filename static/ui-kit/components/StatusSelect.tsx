import { useEffect, useState } from 'preact/hooks';
import type { AgentStatus } from '../../../src/protocol/model.js';
import { errorMessage, flag } from '../bridge.js';
import { setMyStatus } from '../presence-remote.js';
import { PresenceDot } from './PresenceDot.js';

export interface StatusLabels {
  myStatus: string;
  status: Record<string, string>;
  statusFailed: string;
  /** Shown instead of the choice while the page has no live connection, e.g. "Offline (not connected)". */
  notConnected: string;
}

const STATUSES: AgentStatus[] = ['online', 'away', 'offline'];

/** The agent's own availability (issue panel and dashboard); reverts if the app refuses the change. */
export function StatusSelect({
  projectKey,
  initial,
  t,
  onChange,
  connected = true,
}: {
  projectKey: string;
  initial: AgentStatus;
  t: StatusLabels;
  onChange?: (s: AgentStatus) => void;
  connected?: boolean;
}) {
  const [status, setStatus] = useState<AgentStatus>(initial);
  const [busy, setBusy] = useState(false);
  // The page learns the status anew (reload, presence frames): show that.
  useEffect(() => setStatus(initial), [initial]);
  const change = async (next: AgentStatus) => {
    const before = status;
    setStatus(next);
    setBusy(true);
    try {
      const res = await setMyStatus(projectKey, next);
      setStatus(res.agent.status);
      onChange?.(res.agent.status);
    } catch (e) {
      setStatus(before);
      flag('status', t.statusFailed, 'error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  // Without a live socket the service counts this agent as gone, whatever they chose:
  // "Online" here would be a claim nobody can check. The choice comes back with the socket.
  if (!connected) {
    return (
      <span class="row status-select stale" role="status">
        <PresenceDot state="offline" />
        <span class="label">{t.myStatus}</span>
        <span class="muted status-not-connected">{t.notConnected}</span>
      </span>
    );
  }
  return (
    <label class="row status-select">
      <PresenceDot state={status} />
      <span class="label">{t.myStatus}</span>
      <select class="input compact" value={status} disabled={busy} onChange={(e) => void change((e.currentTarget as HTMLSelectElement).value as AgentStatus)}>
        {STATUSES.map((s) => (
          <option value={s} key={s}>
            {t.status[s]}
          </option>
        ))}
      </select>
    </label>
  );
}
