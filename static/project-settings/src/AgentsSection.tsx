import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_AGENT_QUERY_CHARS } from '../../../src/protocol/limits.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { describedBy, Field } from '../../ui-kit/components/Field.js';
import { AgentRow } from './AgentRow.js';
import type { Load } from './draft.js';
import { t } from './strings.js';

type Agent = Load['agents'][number];
type Found = { accountId: string; name: string; avatarUrl?: string };

/** Waits this long after the last keystroke before asking Jira (one search per pause, not per key). */
const SEARCH_DEBOUNCE_MS = 250;

/** An agent Jira knows but the presence service has not seen yet: offline, no hours of their own. */
function newcomer(f: Found): Agent {
  return { accountId: f.accountId, name: f.name, status: 'offline', available: false, lastSeen: null, forcedOffline: false, schedule: null };
}

export function AgentsSection({ projectKey, agents: initial, readOnly }: { projectKey: string; agents: Load['agents']; readOnly: boolean }) {
  const [agents, setAgents] = useState(initial);
  return (
    <section aria-labelledby="agents-h">
      <h2 id="agents-h">{t.agents}</h2>
      {agents.length === 0 ? <p class="muted">{t.noAgents}</p> : null}
      <ul class="agent-list">
        {agents.map((a) => (
          <AgentRow
            key={a.accountId}
            projectKey={projectKey}
            agent={a}
            readOnly={readOnly}
            onChange={(next) => setAgents((list) => list.map((x) => (x.accountId === next.accountId ? next : x)))}
          />
        ))}
      </ul>
      {readOnly ? null : (
        <FindAgent
          projectKey={projectKey}
          known={agents}
          onPick={(f) => setAgents((list) => (list.some((x) => x.accountId === f.accountId) ? list : [...list, newcomer(f)]))}
        />
      )}
    </section>
  );
}

/** Search the project's agents in Jira (any agent, online or not) and add one to the list above. */
function FindAgent({ projectKey, known, onPick }: { projectKey: string; known: Agent[]; onPick: (f: Found) => void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setFound(null);
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      call('projectSettings.findAgents', { projectKey, query: q })
        .then((r) => {
          if (mine !== seq.current) return; // an older answer arriving late
          setFound(r.agents);
          setError(null);
        })
        .catch((e: unknown) => mine === seq.current && setError(errorMessage(e)));
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, projectKey]);
  const fresh = (found ?? []).filter((f) => !known.some((k) => k.accountId === f.accountId));
  return (
    <div class="find-agent">
      <Field id="find-agent" label={t.findAgent} error={error ?? undefined} help={t.findAgentPlaceholder}>
        <input
          id="find-agent"
          class="input"
          type="search"
          value={query}
          maxLength={MAX_AGENT_QUERY_CHARS}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          {...describedBy('find-agent', error ?? undefined, t.findAgentPlaceholder)}
        />
      </Field>
      {found && fresh.length === 0 && !error ? <p class="muted">{found.length ? t.findAgentAllListed : t.findAgentNone}</p> : null}
      {fresh.length ? (
        <ul class="found-agents">
          {fresh.map((f) => (
            <li key={f.accountId}>
              <span>{f.name}</span>
              <Button appearance="subtle" compact onClick={() => onPick(f)}>
                {t.addAgent(f.name)}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
