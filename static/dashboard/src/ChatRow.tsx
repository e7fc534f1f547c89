import { useState } from 'preact/hooks';
import { call, errorMessage, flag, goToIssue, openIssue } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Lozenge } from '../../ui-kit/components/Lozenge.js';
import { ago, duration } from '../../ui-kit/format.js';
import type { DashboardChat } from './sort.js';
import { t } from './strings.js';

type Person = NonNullable<DashboardChat['assignee']>;

export function ChatRow({ chat: c, now, meId, onTaken }: { chat: DashboardChat; now: number; meId: string; onTaken: (key: string, assignee: Person) => void }) {
  const [busy, setBusy] = useState(false);
  const mine = c.assignee?.accountId === meId;
  const take = async () => {
    setBusy(true);
    try {
      const res = await call('chat.take', { issueKey: c.conversationId });
      onTaken(c.conversationId, res.assignee);
      // Taking a chat means answering it: open it here (the issue view has the chat panel).
      await goToIssue(c.conversationId).catch(() => undefined);
    } catch (e) {
      flag(`take-${c.conversationId}`, t.takeFailed, 'error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr class={c.waitingSince ? 'waiting' : ''} data-key={c.conversationId}>
      <td>
        <div class="customer-cell">
          <strong>{c.customerName}</strong>
          <span class="muted">
            {c.conversationId} · {c.summary}
          </span>
          {c.preview?.text ? (
            <span class="preview" title={c.preview.text}>
              {c.preview.author === 'agent' ? t.previewAgent(c.preview.text) : c.preview.text}
            </span>
          ) : null}
        </div>
      </td>
      <td>
        <Lozenge kind={c.channel === 'whatsapp' ? 'success' : 'info'}>{t.channel[c.channel] ?? c.channel}</Lozenge>
      </td>
      <td class="waiting-cell">
        {c.waitingSince ? <span class="wait-time">{duration(now - Date.parse(c.waitingSince))}</span> : <span class="muted">{t.notWaiting}</span>}
      </td>
      <td>
        <time dateTime={c.lastActivity}>{ago(c.lastActivity, now)}</time>
      </td>
      <td>{c.assignee ? c.assignee.name : <span class="muted">{t.unassigned}</span>}</td>
      <td>
        <div class="row actions">
          <Button compact onClick={() => void openIssue(c.conversationId)} aria-label={t.openLabel(c.conversationId)}>
            {t.open}
          </Button>
          {mine ? (
            <Lozenge kind="success">{t.taken}</Lozenge>
          ) : (
            <Button compact appearance="primary" busy={busy} onClick={() => void take()} aria-label={t.takeLabel(c.conversationId)}>
              {t.take}
            </Button>
          )}
        </div>
      </td>
    </tr>
  );
}
