import { useState } from 'preact/hooks';
import { call, errorMessage, flag } from '../../ui-kit/bridge.js';
import { Avatar } from '../../ui-kit/components/Avatar.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Lozenge } from '../../ui-kit/components/Lozenge.js';
import { PresenceDot } from '../../ui-kit/components/PresenceDot.js';
import { ago } from '../../ui-kit/format.js';
import { useNow } from '../../ui-kit/hooks.js';
import { StatusSelect } from '../../ui-kit/components/StatusSelect.js';
import { t } from './strings.js';
import type { ChatModel } from './use-chat.js';

export function Header({ chat, issueKey, projectKey }: { chat: ChatModel; issueKey: string; projectKey: string }) {
  const load = chat.load!;
  const conv = load.conversation!;
  const now = useNow(30_000);
  const [busy, setBusy] = useState<'take' | 'close' | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const presence = chat.presence;
  const known = presence?.online ? t.customerOnline : presence?.lastSeen ? t.customerLastSeen(ago(presence.lastSeen, now)) : t.customerNeverSeen;
  // Not connected: the customer may have come or gone since; say it is the last thing we knew.
  const connected = chat.live === 'open';
  const presenceText = connected ? known : t.lastKnown(known);
  const mine = conv.assignee?.accountId === load.me.accountId;
  const closed = conv.status === 'closed';

  const take = async () => {
    setBusy('take');
    try {
      const res = await call('chat.take', { issueKey });
      chat.patchLoad((l) => ({ ...l, conversation: l.conversation && { ...l.conversation, assignee: res.assignee } }));
    } catch (e) {
      flag('take', t.takeFailed, 'error', errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const close = async () => {
    setConfirmClose(false);
    setBusy('close');
    try {
      await call('chat.close', { issueKey });
      chat.patchLoad((l) => ({ ...l, conversation: l.conversation && { ...l.conversation, status: 'closed' } }));
    } catch (e) {
      flag('close', t.closeFailed, 'error', errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const name = conv.whatsapp?.name ?? conv.customer.name;
  const contact = conv.whatsapp?.phone ?? conv.customer.email;
  return (
    <header class="panel-header">
      <div class="row customer">
        <Avatar name={name} url={conv.customer.avatarUrl} />
        <div class="who">
          <strong class="customer-name">{name}</strong>
          {contact ? <span class="muted customer-contact">{contact}</span> : null}
        </div>
        <span class="spacer" />
        <Lozenge kind={conv.channel === 'whatsapp' ? 'success' : 'info'}>{t.channel[conv.channel] ?? conv.channel}</Lozenge>
      </div>
      <div class="row muted">
        <span class="customer-presence" data-online={connected && presence?.online ? 'true' : 'false'}>
          <PresenceDot state={connected && presence?.online ? 'online' : 'offline'} label={presenceText} />
        </span>
        <span aria-hidden="true">·</span>
        <span>{conv.assignee ? t.assignedTo(mine ? t.you : conv.assignee.name) : t.unassigned}</span>
        <span class="spacer" />
        <span class={`live ${chat.live}`}>{t.live[chat.live]}</span>
      </div>
      <div class="row">
        <StatusSelect projectKey={projectKey} initial={load.me.status} t={t} connected={chat.live === 'open'} />
        <span class="spacer" />
        {!mine && !closed ? (
          <Button compact appearance="primary" busy={busy === 'take'} onClick={() => void take()}>
            {busy === 'take' ? t.taking : t.take}
          </Button>
        ) : null}
        {!closed && !confirmClose ? (
          <Button compact busy={busy === 'close'} onClick={() => setConfirmClose(true)}>
            {t.closeChat}
          </Button>
        ) : null}
      </div>
      {confirmClose ? (
        <div class="row confirm" role="group" aria-label={t.closeChat}>
          <span>{t.closeConfirm}</span>
          <span class="spacer" />
          <Button compact appearance="danger" onClick={() => void close()}>
            {t.closeChat}
          </Button>
          <Button compact appearance="subtle" onClick={() => setConfirmClose(false)}>
            {t.cancel}
          </Button>
        </div>
      ) : null}
    </header>
  );
}
