/**
 * Dashboard data: dashboard.load is the truth; socket activity only says "something
 * changed" and triggers a (coalesced) reload, so a missed frame costs nothing.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentServerFrame, ConversationActivity } from '../../../src/protocol/agent-ws.js';
import type { ResolverResponse } from '../../../src/protocol/resolvers.js';
import { AgentSocket, type SocketState } from '../../ui-kit/agent-socket.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';

type Load = ResolverResponse<'dashboard.load'>;

/** Bursts of activity (a customer typing several messages) become one reload. */
const RELOAD_COALESCE_MS = 300;

export function useDashboard(projectKey: string, onNewChat: (a: ConversationActivity) => void) {
  const [data, setData] = useState<Load | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<SocketState>('connecting');
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  const onNew = useRef(onNewChat);
  onNew.current = onNewChat;

  const reload = useCallback(async () => {
    try {
      setData(await call('dashboard.load', { projectKey }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [projectKey]);

  const scheduleReload = useCallback(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => void reload(), RELOAD_COALESCE_MS);
  }, [reload]);

  const onFrame = useCallback(
    (f: AgentServerFrame) => {
      if (f.type === 'conversation.activity' && f.activity.projectKey === projectKey) {
        if (f.activity.kind === 'new') onNew.current(f.activity);
        scheduleReload();
      } else if (f.type === 'agents.presence' && f.projectKey === projectKey) {
        const byId = new Map(f.agents.map((a) => [a.accountId, a]));
        setData((d) => {
          if (!d) return d;
          const known = new Set(d.agents.map((a) => a.accountId));
          // agents we have no name for yet come with the next reload
          if (f.agents.some((a) => !known.has(a.accountId))) scheduleReload();
          const mine = byId.get(d.me.accountId);
          return { ...d, me: mine ? { ...d.me, status: mine.status } : d.me, agents: d.agents.map((a) => ({ ...a, ...byId.get(a.accountId) })) };
        });
      }
    },
    [projectKey, scheduleReload],
  );

  useEffect(() => {
    void reload();
    const s = new AgentSocket({
      projectKey,
      subscriptions: () => [{ type: 'watch.project', projectKey }],
      onFrame,
      onState: setLive,
      onReconnected: () => void reload(),
    });
    s.start();
    return () => {
      s.stop();
      clearTimeout(reloadTimer.current);
    };
  }, [projectKey, reload, onFrame]);

  return { data, error, live, reload, setData };
}
