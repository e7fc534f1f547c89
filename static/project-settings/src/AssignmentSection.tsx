import { DEFAULT_AGENT_CAPACITY, MAX_AGENT_CAPACITY } from '../../../src/protocol/limits.js';
import type { AssignmentConfig } from '../../../src/protocol/model.js';
import { describedBy, Field } from '../../ui-kit/components/Field.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';

const clamp = (n: number) => Math.max(0, Math.min(MAX_AGENT_CAPACITY, Math.round(n)));

/**
 * Automatic assignment (issue 15): off, round robin or least busy, with a capacity per agent.
 * Saved with the rest of the chat settings; the presence service does the assigning and
 * Jira holds the result (the request's assignee).
 */
export function AssignmentSection({ draft, update, agents }: SectionProps & { agents: { accountId: string; name: string }[] }) {
  const a: AssignmentConfig = draft.assignment ?? { mode: 'off', capacity: DEFAULT_AGENT_CAPACITY, capacities: {} };
  const set = (patch: Partial<AssignmentConfig>) => update((d) => ({ ...d, assignment: { ...a, ...patch } }));
  return (
    <section aria-labelledby="assignment-h">
      <h2 id="assignment-h">{t.assignment}</h2>
      <Field id="assign-mode" label={t.assignMode} help={t.assignModeHelp}>
        <select
          id="assign-mode"
          class="input"
          value={a.mode}
          {...describedBy('assign-mode', undefined, t.assignModeHelp)}
          onChange={(e) => set({ mode: e.currentTarget.value as AssignmentConfig['mode'] })}
        >
          <option value="off">{t.assignOff}</option>
          <option value="round_robin">{t.assignRoundRobin}</option>
          <option value="least_busy">{t.assignLeastBusy}</option>
        </select>
      </Field>
      {a.mode !== 'off' ? (
        <>
          <Field id="assign-capacity" label={t.assignCapacity} help={t.assignCapacityHelp}>
            <input
              id="assign-capacity"
              class="input narrow"
              type="number"
              min={1}
              max={MAX_AGENT_CAPACITY}
              value={a.capacity}
              {...describedBy('assign-capacity', undefined, t.assignCapacityHelp)}
              onInput={(e) => set({ capacity: Math.max(1, clamp(Number(e.currentTarget.value) || 1)) })}
            />
          </Field>
          {agents.map((agent) => (
            <Field key={agent.accountId} id={`cap-${agent.accountId}`} label={t.assignAgentCapacity(agent.name)}>
              <input
                id={`cap-${agent.accountId}`}
                class="input narrow"
                type="number"
                min={0}
                max={MAX_AGENT_CAPACITY}
                placeholder={String(a.capacity)}
                value={a.capacities[agent.accountId] ?? ''}
                onInput={(e) => {
                  const raw = e.currentTarget.value;
                  const { [agent.accountId]: _old, ...rest } = a.capacities;
                  set({ capacities: raw === '' ? rest : { ...rest, [agent.accountId]: clamp(Number(raw)) } });
                }}
              />
            </Field>
          ))}
        </>
      ) : null}
    </section>
  );
}
