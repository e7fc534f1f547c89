/**
 * Dashboard data: dashboard.load on open and after a reconnect (a missed frame costs
 * nothing); a `conversation.activity` frame names one conversation, and only that row is
 * fetched again (`dashboard.row`, read by key), so one customer message does not make
 * every open dashboard re-read every chat's comments.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentServerFrame, ConversationActivity } from '../../../src/protocol/agent-ws.js';
import type { ResolverResponse } from '../../../src/protocol/resolvers.js';
import { AgentSocket, type SocketState } from '../../ui-kit/agent-socket.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';

type Load = ResolverResponse<'dashboard.load'>;
type Chat = Load['chats'][number];

/** Bursts of activity (a customer typing several messages) become one fetch per row. */
const RELOAD_COALESCE_MS = 300;

/** The list with `id`'s row replaced, added, or (null) removed. */
export function mergeRow(chats: Chat[], id: string, row: Chat | null): Chat[] {
  const rest = chats.filter((c) => c.conversationId !== id);
  return row && row.status === 'open' ? [...rest, row] : rest;
}

export function useDashboard(projectKey: string, onNewChat: (a: ConversationActivity) => void) {
  const [data, setData] = useState<Load | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<SocketState>('connecting');
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  const rowTimer = useRef<ReturnType<typeof setTimeout>>();
  const dirty = useRef(new Set<string>());
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

  const refreshRows = useCallback(async () => {
    const ids = [...dirty.current];
    dirty.current.clear();
    await Promise.all(
      ids.map(async (conversationId) => {
        try {
          const { chat } = await call('dashboard.row', { projectKey, conversationId });
          setData((d) => (d ? { ...d, chats: mergeRow(d.chats, conversationId, chat) } : d));
        } catch (e) {
          setError(errorMessage(e));
        }
      }),
    );
  }, [projectKey]);

  const scheduleRow = useCallback(
    (conversationId: string) => {
      dirty.current.add(conversationId);
      clearTimeout(rowTimer.current);
      rowTimer.current = setTimeout(() => void refreshRows(), RELOAD_COALESCE_MS);
    },
    [refreshRows],
  );

  const onFrame = useCallback(
    (f: AgentServerFrame) => {
      if (f.type === 'conversation.activity' && f.activity.projectKey === projectKey) {
        if (f.activity.kind === 'new') onNew.current(f.activity);
        scheduleRow(f.activity.conversationId);
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
    [projectKey, scheduleReload, scheduleRow],
  );

  useEffect(() => {
    void reload();
    const s = new AgentSocket({
      projectKey,
      subscriptions: () => [{ type: 'watch.project', projectKey }],
      onFrame,
      onState: setLive,
      // Also the first time: a chat that started between the first load and the watch is in neither.
      onListening: () => void reload(),
    });
    s.start();
    return () => {
      s.stop();
      clearTimeout(reloadTimer.current);
      clearTimeout(rowTimer.current);
    };
  }, [projectKey, reload, onFrame]);

  return { data, error, live, reload, setData };
}
