import { useState } from 'preact/hooks';
import { AgentRow } from './AgentRow.js';
import type { Load } from './draft.js';
import { t } from './strings.js';

export function AgentsSection({ projectKey, agents: initial, readOnly }: { projectKey: string; agents: Load['agents']; readOnly: boolean }) {
  const [agents, setAgents] = useState(initial);
  return (
    <section aria-labelledby="agents-h">
      <h2 id="agents-h">{t.agents}</h2>
      {agents.length === 0 ? <p class="muted">{t.noAgents}</p> : null}
      <ul class="agent-list">
        {agents.map((a) => (
          <AgentRow key={a.accountId} projectKey={projectKey} agent={a} readOnly={readOnly} onChange={(next) => setAgents((list) => list.map((x) => (x.accountId === next.accountId ? next : x)))} />
        ))}
      </ul>
    </section>
  );
}
