import type { ResolverResponse } from '../../../src/protocol/resolvers.js';
import { Avatar } from '../../ui-kit/components/Avatar.js';
import { PresenceDot } from '../../ui-kit/components/PresenceDot.js';
import { t } from './strings.js';

type Agent = ResolverResponse<'dashboard.load'>['agents'][number];

const ORDER = { online: 0, away: 1, offline: 2 } as const;

export function AgentsList({ agents, stale = false }: { agents: Agent[]; stale?: boolean }) {
  const shown = agents.filter((a) => a.status !== 'offline').sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.name.localeCompare(b.name));
  return (
    <aside class="agents card" aria-labelledby="agents-h">
      <h3 id="agents-h">{stale ? t.agentsStaleHeading : t.agentsHeading}</h3>
      {stale ? <p class="muted agents-stale">{t.agentsStaleNote}</p> : null}
      {shown.length === 0 ? <p class="muted">{t.noAgents}</p> : null}
      <ul>
        {shown.map((a) => (
          <li key={a.accountId} class={`row${stale ? ' stale' : ''}`}>
            <Avatar name={a.name} />
            <span class="name">{a.name}</span>
            <span class="spacer" />
            <PresenceDot state={stale ? 'offline' : a.status} label={stale ? t.lastKnown(t.status[a.status] ?? a.status) : t.status[a.status]} />
          </li>
        ))}
      </ul>
    </aside>
  );
}
