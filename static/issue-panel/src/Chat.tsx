import { Loading, LoadError } from '../../ui-kit/components/Loading.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { Composer } from './Composer.js';
import { Header } from './Header.js';
import { MessageList } from './MessageList.js';
import { t } from './strings.js';
import { useChat } from './use-chat.js';
import { call } from '../../ui-kit/bridge.js';
import { TemplateSender } from './TemplateSender.js';

export function Chat({ issueKey, projectKey }: { issueKey: string; projectKey: string }) {
  const chat = useChat(issueKey, projectKey);
  const { load } = chat;
  if (!load) {
    return chat.error ? (
      <LoadError title={t.loadFailed} message={chat.error} retryLabel={t.retry} onRetry={() => void chat.reload()} />
    ) : (
      <Loading label={t.loading} />
    );
  }
  if (!load.isChat || !load.conversation) return <p class="muted not-chat">{t.notChat}</p>;
  const closed = load.conversation.status === 'closed';
  return (
    <div class="panel">
      <Header chat={chat} issueKey={issueKey} projectKey={projectKey} />
      {chat.error ? <Notice kind="warning">{chat.error}</Notice> : null}
      <MessageList chat={chat} meId={load.me.accountId} customerName={load.conversation.customer.name} issueKey={issueKey} />
      {closed ? (
        <p class="muted closed-note">
          {t.closed} {t.closedHint}
        </p>
      ) : null}
      {load.conversation.channel === 'whatsapp' && !closed ? <TemplateSender issueKey={issueKey} onSent={() => void chat.reload()} /> : null}
      <Composer
        disabled={closed}
        onSend={chat.send}
        onFile={chat.sendFile}
        onTyping={chat.typed}
        canned={{
          load: async () => (await call('cannedReplies.list', { projectKey })).replies,
          values: { customerName: load.conversation.whatsapp?.name ?? load.conversation.customer.name, agentName: load.me.name, requestKey: issueKey },
        }}
      />
    </div>
  );
}
