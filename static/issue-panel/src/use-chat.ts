/**
 * All live state of one chat: history from the app, live frames from the agent socket,
 * the agent's own unsent messages. Components only render what this returns.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AgentServerFrame } from '../../../src/protocol/agent-ws.js';
import type { ChatMessage, CustomerPresence } from '../../../src/protocol/model.js';
import type { ResolverResponse } from '../../../src/protocol/resolvers.js';
import { AgentSocket, type SocketState } from '../../ui-kit/agent-socket.js';
import { call, errorMessage, flag } from '../../ui-kit/bridge.js';
import { usePageVisible } from '../../ui-kit/hooks.js';
import { newClientMsgId } from '../../ui-kit/ids.js';
import { lastCustomerMessageId, mergeMessages, withoutConfirmed, type Pending } from './messages.js';
import { t } from './strings.js';
import { uploadAttachment } from './upload.js';

type Load = ResolverResponse<'panel.load'>;

/** Customer typing shows at most this long without a fresh frame (a lost "off" must not stick). */
const TYPING_SHOW_MS = 6_000;
/** Our own typing: re-announce at most this often, and say "off" after this much quiet. */
const TYPING_RESEND_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

/** How long an upload waits for the live connection (it carries the upload token) before it gives up. */
export const UPLOAD_SOCKET_WAIT_MS = 8_000;
const UPLOAD_SOCKET_POLL_MS = 100;

async function httpWhenReady<T>(get: () => T | null): Promise<T | null> {
  const until = Date.now() + UPLOAD_SOCKET_WAIT_MS;
  for (let v = get(); ; v = get()) {
    if (v || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, UPLOAD_SOCKET_POLL_MS));
  }
}

export function useChat(issueKey: string, projectKey: string) {
  const [load, setLoad] = useState<Load | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [pending, setPending] = useState<Pending[]>([]);
  const [presence, setPresence] = useState<CustomerPresence | null>(null);
  const [customerTyping, setCustomerTyping] = useState(false);
  /** Another agent of the team typing in this chat (so two people do not answer at once). */
  const [colleagueTyping, setColleagueTyping] = useState<string | null>(null);
  const colleagueTimer = useRef<ReturnType<typeof setTimeout>>();
  const [seenId, setSeenId] = useState<string | null>(null);
  const [live, setLive] = useState<SocketState>('connecting');
  const socket = useRef<AgentSocket | null>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout>>();
  const myTyping = useRef({ on: false, last: 0, idle: undefined as ReturnType<typeof setTimeout> | undefined });
  const lastSeenSent = useRef<string | null>(null);

  const addMessages = useCallback((incoming: ChatMessage[]) => {
    setMessages((cur) => mergeMessages(cur, incoming));
  }, []);

  /**
   * Local changes (Take, Close) made while a panel.load is in flight: that answer may have been read
   * from Jira before the change was written, so they are applied again on top of it.
   */
  const localPatches = useRef<{ inFlight: number; log: ((l: Load) => Load)[] }>({ inFlight: 0, log: [] });

  const reload = useCallback(async () => {
    const patches = localPatches.current;
    const from = patches.log.length;
    patches.inFlight++;
    try {
      const res = await call('panel.load', { issueKey });
      setLoad(patches.log.slice(from).reduce((l, patch) => patch(l), res));
      setPresence(res.customerPresence);
      addMessages(res.messages);
      setHasMore((h) => h || res.hasMore);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      if (--patches.inFlight === 0) patches.log = [];
    }
  }, [issueKey, addMessages]);

  const onFrame = useCallback(
    (f: AgentServerFrame) => {
      if (f.type === 'message' && f.message.conversationId === issueKey) {
        addMessages([f.message]);
        if (f.message.author.kind === 'customer') setCustomerTyping(false);
      } else if (f.type === 'typing' && f.conversationId === issueKey && f.who === 'customer') {
        clearTimeout(typingTimer.current);
        setCustomerTyping(f.on);
        if (f.on) typingTimer.current = setTimeout(() => setCustomerTyping(false), TYPING_SHOW_MS);
      } else if (f.type === 'typing' && f.conversationId === issueKey && f.who === 'agent') {
        clearTimeout(colleagueTimer.current);
        setColleagueTyping(f.on ? (f.name ?? t.colleague) : null);
        if (f.on) colleagueTimer.current = setTimeout(() => setColleagueTyping(null), TYPING_SHOW_MS);
      } else if (f.type === 'seen' && f.conversationId === issueKey && f.by === 'customer') {
        setSeenId(f.messageId);
      } else if (f.type === 'customer.presence' && f.conversationId === issueKey) {
        setPresence(f.presence);
      } else if (f.type === 'conversation.activity' && f.activity.conversationId === issueKey) {
        // Closed elsewhere (another agent, Jira's own workflow) or reopened by the customer: follow it here.
        const status = f.activity.kind === 'closed' ? 'closed' : f.activity.kind === 'reopened' ? 'open' : null;
        if (status) setLoad((l) => (l && l.conversation ? { ...l, conversation: { ...l.conversation, status } } : l));
      }
    },
    [issueKey, addMessages],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  const isChat = load?.isChat === true;
  useEffect(() => {
    if (!isChat) return;
    const s = new AgentSocket({
      projectKey,
      subscriptions: () => [{ type: 'watch', conversationId: issueKey }],
      onFrame,
      onState: setLive,
      // Also the first time: the agent's status counts from the moment their socket is up, and a
      // message published between the first load and the watch is in neither.
      onListening: () => void reload(),
    });
    socket.current = s;
    s.start();
    return () => {
      s.stop();
      socket.current = null;
      clearTimeout(typingTimer.current);
      clearTimeout(colleagueTimer.current);
      clearTimeout(myTyping.current.idle);
    };
  }, [isChat, issueKey, projectKey, onFrame, reload]);

  /** Tell the customer we read their newest message (once per message, only while the page is visible). */
  const visible = usePageVisible();
  const lastCustomerId = lastCustomerMessageId(messages);
  useEffect(() => {
    if (!lastCustomerId || live !== 'open' || !visible || lastSeenSent.current === lastCustomerId) return;
    if (socket.current?.send({ type: 'seen', conversationId: issueKey, messageId: lastCustomerId })) lastSeenSent.current = lastCustomerId;
  }, [lastCustomerId, live, visible, issueKey]);

  const stopTyping = useCallback(() => {
    const m = myTyping.current;
    clearTimeout(m.idle);
    if (m.on) socket.current?.send({ type: 'typing', conversationId: issueKey, on: false });
    m.on = false;
  }, [issueKey]);

  const myName = load?.me.name;
  const typed = useCallback(() => {
    const m = myTyping.current;
    const now = Date.now();
    if (!m.on || now - m.last > TYPING_RESEND_MS) {
      if (socket.current?.send({ type: 'typing', conversationId: issueKey, on: true, ...(myName ? { name: myName } : {}) })) {
        m.on = true;
        m.last = now;
      }
    }
    clearTimeout(m.idle);
    m.idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  }, [issueKey, stopTyping, myName]);

  const patchLoad = useCallback((patch: (l: Load) => Load) => {
    if (localPatches.current.inFlight > 0) localPatches.current.log.push(patch);
    setLoad((l) => (l ? patch(l) : l));
  }, []);

  /** The app assigns an unassigned chat to the agent who replies (chat.send): show that at once. */
  const assignedByReply = useCallback(() => {
    patchLoad((l) =>
      l.conversation && !l.conversation.assignee ? { ...l, conversation: { ...l.conversation, assignee: { accountId: l.me.accountId, name: l.me.name } } } : l,
    );
  }, [patchLoad]);

  const track = useCallback(
    (p: Omit<Pending, 'state' | 'retry'>, run: () => Promise<ChatMessage>) => {
      const at = new Date().toISOString();
      const attempt = async () => {
        setPending((cur) => [...cur.filter((x) => x.clientMsgId !== p.clientMsgId), { ...p, at, state: 'sending', retry: () => void attempt() }]);
        try {
          const msg = await run();
          addMessages([msg]);
          assignedByReply();
          setPending((cur) => cur.filter((x) => x.clientMsgId !== p.clientMsgId));
        } catch (e) {
          const message = errorMessage(e);
          setPending((cur) => cur.map((x) => (x.clientMsgId === p.clientMsgId ? { ...x, state: 'failed', error: message } : x)));
          // The failed bubble (role=alert, with Retry) says it in place; an error flag would
          // stay until dismissed and cover the composer.
          flag(`send-${p.clientMsgId}`, p.fileName ? t.attachmentFailed : t.sendFailed, 'warning', message);
        }
      };
      void attempt();
    },
    [addMessages, assignedByReply],
  );

  const send = useCallback(
    (text: string) => {
      stopTyping();
      // the same clientMsgId on every retry: the app posts the comment at most once
      const clientMsgId = newClientMsgId();
      track({ clientMsgId, text }, async () => (await call('chat.send', { issueKey, clientMsgId, text })).message);
    },
    [issueKey, track, stopTyping],
  );

  const sendFile = useCallback(
    (file: File) => {
      const clientMsgId = newClientMsgId();
      let uploaded: Awaited<ReturnType<typeof uploadAttachment>> | null = null;
      track({ clientMsgId, text: '', fileName: file.name }, async () => {
        if (!uploaded) {
          // A file picked right after the panel opened (or during a reconnect) waits a moment for the live connection.
          const http = await httpWhenReady(() => socket.current?.http ?? null);
          if (!http) throw new Error(t.uploadUnavailable);
          uploaded = await uploadAttachment(http.origin, http.token, issueKey, file);
        }
        return (await call('chat.sendAttachment', { issueKey, clientMsgId, attachment: uploaded })).message;
      });
    },
    [issueKey, track],
  );

  const loadOlder = useCallback(async () => {
    const oldest = messages[0];
    if (!oldest) return;
    try {
      const res = await call('panel.history', { issueKey, before: oldest.id });
      addMessages(res.messages);
      setHasMore(res.hasMore);
    } catch (e) {
      flag('history', t.loadOlderFailed, 'error', errorMessage(e));
    }
  }, [issueKey, messages, addMessages]);

  return {
    load,
    error,
    messages,
    hasMore,
    pending: withoutConfirmed(pending, messages),
    presence,
    customerTyping,
    colleagueTyping,
    seenId,
    live,
    reload,
    send,
    sendFile,
    typed,
    loadOlder,
    patchLoad,
  };
}

export type ChatModel = ReturnType<typeof useChat>;
