import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Button } from '../../ui-kit/components/Button.js';
import { useNow } from '../../ui-kit/hooks.js';
import { listItems, seenIndex } from './messages.js';
import { MessageItem } from './MessageItem.js';
import { PendingItem } from './PendingItem.js';
import { t } from './strings.js';
import { TypingIndicator } from './TypingIndicator.js';
import type { ChatModel } from './use-chat.js';

/** Pixels from the bottom within which the list follows new messages. */
const STICK_PX = 48;

export function MessageList({ chat, meId, customerName, issueKey }: { chat: ChatModel; meId: string; customerName: string; issueKey: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const now = useNow(60_000);
  const [older, setOlder] = useState(false);
  const seenAt = seenIndex(chat.messages, chat.seenId);
  const count = chat.messages.length + chat.pending.length;

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [count, chat.customerTyping, chat.colleagueTyping]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = () => (stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX);
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  const loadOlder = async () => {
    stick.current = false;
    setOlder(true);
    try {
      await chat.loadOlder();
    } finally {
      setOlder(false);
    }
  };

  return (
    <div
      class="messages"
      ref={ref}
      role="log"
      aria-live="polite"
      aria-label={t.messagesLabel}
      tabIndex={0}
      // A new image grows the list once it loads: keep it in view while following the end (issue 11). Load does not bubble: capture.
      onLoadCapture={() => {
        const el = ref.current;
        if (el && stick.current) el.scrollTop = el.scrollHeight;
      }}
    >
      {chat.hasMore ? (
        <div class="older">
          <Button compact appearance="subtle" busy={older} onClick={() => void loadOlder()}>
            {t.loadOlder}
          </Button>
        </div>
      ) : null}
      {count === 0 ? <p class="muted empty">{t.noMessages}</p> : null}
      {listItems(chat.messages, chat.pending).map((item) =>
        item.kind === 'message' ? (
          <MessageItem key={item.message.id} message={item.message} own={item.message.author.kind === 'agent' && item.message.author.accountId === meId} seen={item.index === seenAt} now={now} issueKey={issueKey} />
        ) : (
          <PendingItem key={item.pending.clientMsgId} pending={item.pending} />
        ),
      )}
      {chat.customerTyping ? <TypingIndicator name={customerName} /> : null}
      {chat.colleagueTyping ? <TypingIndicator name={chat.colleagueTyping} /> : null}
    </div>
  );
}
