import { useState } from 'preact/hooks';
import type { Schedule } from '../../../src/protocol/schedule.js';
import { call, errorMessage, flag } from '../../ui-kit/bridge.js';
import { Avatar } from '../../ui-kit/components/Avatar.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Lozenge } from '../../ui-kit/components/Lozenge.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { PresenceDot } from '../../ui-kit/components/PresenceDot.js';
import { defaultSchedule, type Load } from './draft.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import { t } from './strings.js';
import { validateSchedule, type Errors } from './validate.js';

type Agent = Load['agents'][number];

export function AgentRow({ projectKey, agent: a, readOnly, onChange }: { projectKey: string; agent: Agent; readOnly: boolean; onChange: (a: Agent) => void }) {
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<Schedule | null | undefined>(undefined);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);

  const forceOffline = async () => {
    setBusy(true);
    try {
      const res = await call('projectSettings.forceOffline', { projectKey, accountId: a.accountId });
      onChange({ ...a, ...res.agent });
    } catch (e) {
      flag(`offline-${a.accountId}`, t.forceOfflineFailed, 'error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const saveHours = async () => {
    const found = editing ? validateSchedule(editing, 'agent') : {};
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    setError(null);
    try {
      const res = await call('projectSettings.saveAgentSchedule', { projectKey, accountId: a.accountId, schedule: editing ?? null });
      onChange({ ...a, schedule: res.schedule });
      setEditing(undefined);
      flag(`hours-${a.accountId}`, t.agentScheduleSaved, 'success');
    } catch (e) {
      setError(`${t.agentScheduleFailed}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="agent">
      <div class="row">
        <Avatar name={a.name} />
        <strong>{a.name}</strong>
        <PresenceDot state={a.status} label={t.status[a.status]} />
        {a.forcedOffline ? <Lozenge kind="warning">{t.forcedOffline}</Lozenge> : null}
        <span class="spacer" />
        {!readOnly ? (
          <>
            <Button
              compact
              appearance="subtle"
              aria-expanded={editing !== undefined}
              onClick={() => setEditing(editing === undefined ? a.schedule : undefined)}
            >
              {t.editSchedule}
            </Button>
            <Button compact busy={busy && editing === undefined} disabled={a.status === 'offline'} onClick={() => void forceOffline()}>
              {t.forceOffline}
            </Button>
          </>
        ) : null}
      </div>
      {editing !== undefined ? (
        <div class="agent-hours card">
          <label class="check field">
            <input
              type="checkbox"
              checked={editing !== null}
              onChange={(e) => setEditing(e.currentTarget.checked ? (a.schedule ?? defaultSchedule()) : null)}
            />
            {t.useSchedule}
          </label>
          {editing ? <ScheduleEditor idPrefix={`agent-${a.accountId}`} schedule={editing} onChange={setEditing} errors={errors} errorPrefix="agent" /> : null}
          {error ? <Notice kind="error">{error}</Notice> : null}
          <div class="row">
            <Button compact appearance="primary" busy={busy} onClick={() => void saveHours()}>
              {t.saveHours}
            </Button>
            <Button compact appearance="subtle" onClick={() => setEditing(undefined)}>
              {t.cancel}
            </Button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
