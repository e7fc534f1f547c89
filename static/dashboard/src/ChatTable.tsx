import { useNow } from '../../ui-kit/hooks.js';
import { ChatRow } from './ChatRow.js';
import type { DashboardChat } from './sort.js';
import { t } from './strings.js';

type Person = NonNullable<DashboardChat['assignee']>;

export function ChatTable({ chats, meId, onTaken }: { chats: DashboardChat[]; meId: string; onTaken: (key: string, assignee: Person) => void }) {
  const now = useNow(1_000);
  return (
    <table class="table chat-table">
      {/* Fixed column widths, so the live and the offline sections line up as one list. */}
      <colgroup>
        <col class="col-customer" />
        <col class="col-channel" />
        <col class="col-waiting" />
        <col class="col-activity" />
        <col class="col-assignee" />
        <col class="col-actions" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t.col.customer}</th>
          <th scope="col">{t.col.channel}</th>
          <th scope="col">{t.col.waiting}</th>
          <th scope="col">{t.col.activity}</th>
          <th scope="col">{t.col.assignee}</th>
          <th scope="col">
            <span class="sr-only">{t.col.actions}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {chats.map((c) => (
          <ChatRow key={c.conversationId} chat={c} now={now} meId={meId} onTaken={onTaken} />
        ))}
      </tbody>
    </table>
  );
}
