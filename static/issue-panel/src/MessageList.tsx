import { useLayoutEffect, useState } from 'preact/hooks';
import { Button } from '../../ui-kit/components/Button.js';
import { useNow } from '../../ui-kit/hooks.js';
import { useStickToBottom } from '../../ui-kit/stick.js';
import { listItems, seenIndex } from './messages.js';
import { MessageItem } from './MessageItem.js';
import { PendingItem } from './PendingItem.js';
import { t } from './strings.js';
import { TypingIndicator } from './TypingIndicator.js';
import type { ChatModel } from './use-chat.js';

export function MessageList({ chat, meId, customerName, issueKey }: { chat: ChatModel; meId: string; customerName: string; issueKey: string }) {
  const list = useStickToBottom<HTMLDivElement>();
  const now = useNow(60_000);
  const [older, setOlder] = useState(false);
  const seenAt = seenIndex(chat.messages, chat.seenId);
  const count = chat.messages.length + chat.pending.length;

  // New messages and typing are followed only while the agent is at the end (ui-kit/stick.ts).
  useLayoutEffect(() => void list.follow(), [count, chat.customerTyping, chat.colleagueTyping]);

  const loadOlder = async () => {
    list.release();
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
      ref={list.ref}
      role="log"
      aria-live="polite"
      aria-label={t.messagesLabel}
      tabIndex={0}
      // A new image grows the list once it loads: keep it in view while following the end (issue 11). Load does not bubble: capture.
      onScroll={list.onScroll}
      onLoadCapture={list.follow}
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
          <MessageItem
            key={item.message.id}
            message={item.message}
            own={item.message.author.kind === 'agent' && item.message.author.accountId === meId}
            seen={item.index === seenAt}
            now={now}
            issueKey={issueKey}
          />
        ) : (
          <PendingItem key={item.pending.clientMsgId} pending={item.pending} />
        ),
      )}
      {chat.customerTyping ? <TypingIndicator name={customerName} /> : null}
      {chat.colleagueTyping ? <TypingIndicator name={chat.colleagueTyping} /> : null}
    </div>
  );
}
