import { useCallback, useState } from 'preact/hooks';
import type { ConversationActivity } from '../../../src/protocol/agent-ws.js';
import { openIssue } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Loading, LoadError } from '../../ui-kit/components/Loading.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { StatusSelect } from '../../ui-kit/components/StatusSelect.js';
import { AgentsList } from './AgentsList.js';
import { beep, notify } from './alerts.js';
import { AlertsToggle } from './AlertsToggle.js';
import { ChatTable } from './ChatTable.js';
import { sortChats } from './sort.js';
import { t } from './strings.js';
import { useDashboard } from './use-dashboard.js';

export function Dashboard({ projectKey }: { projectKey: string }) {
  const [announce, setAnnounce] = useState('');
  // The in-page alternative when no desktop notification could be shown.
  const [banner, setBanner] = useState<{ key: string; name: string } | null>(null);
  const onNewChat = useCallback((a: ConversationActivity) => {
    const name = a.customerName ?? t.someone;
    beep();
    const shown = notify(t.newChatTitle, t.newChatBody(name), () => void openIssue(a.conversationId));
    setBanner(shown ? null : { key: a.conversationId, name });
    setAnnounce(t.announceNew(name));
  }, []);
  const { data, error, live, reload, setData } = useDashboard(projectKey, onNewChat);

  if (!data)
    return error ? <LoadError title={t.loadFailed} message={error} retryLabel={t.retry} onRetry={() => void reload()} /> : <Loading label={t.loading} />;
  const sorted = sortChats(data.chats);
  // Offline-form requests are not live chats: their own section, below.
  const chats = sorted.filter((c) => !c.offline);
  const offline = sorted.filter((c) => c.offline);
  const onTaken = (key: string, assignee: NonNullable<(typeof sorted)[number]['assignee']>) =>
    setData((d) => d && { ...d, chats: d.chats.map((c) => (c.conversationId === key ? { ...c, assignee } : c)) });
  return (
    <main class="page dashboard">
      <div class="row">
        {/* Jira shows the page title ("Chats") above the frame: the heading is for screen readers only. */}
        <h1 class="sr-only">{t.title}</h1>
        <span class={`live ${live}`}>{t.live[live]}</span>
        <span class="spacer" />
        <StatusSelect projectKey={projectKey} initial={data.me.status} t={t} connected={live === 'open'} onChange={() => void reload()} />
        <AlertsToggle />
      </div>
      <p class="sr-only" aria-live="assertive">
        {announce}
      </p>
      {banner ? (
        <Notice
          action={
            <span class="row">
              <Button compact onClick={() => void openIssue(banner.key).catch(() => undefined)}>
                {t.open}
              </Button>
              <Button compact appearance="subtle" onClick={() => setBanner(null)}>
                {t.dismiss}
              </Button>
            </span>
          }
        >
          <span class="new-chat-banner">{t.newChatBanner(banner.name)}</span>
        </Notice>
      ) : null}
      {error ? <Notice kind="warning">{error}</Notice> : null}
      <div class="layout">
        <section class="chats" aria-labelledby="chats-h">
          <h2 id="chats-h">{t.chatsHeading}</h2>
          {chats.length ? <ChatTable chats={chats} meId={data.me.accountId} onTaken={onTaken} /> : <p class="muted empty">{t.noChats}</p>}
          {offline.length ? (
            <section class="offline-messages" aria-labelledby="offline-h">
              <h2 id="offline-h">{t.offlineHeading}</h2>
              <p class="muted hint">{t.offlineHint}</p>
              <ChatTable chats={offline} meId={data.me.accountId} onTaken={onTaken} />
            </section>
          ) : null}
        </section>
        <AgentsList agents={data.agents} stale={live !== 'open'} />
      </div>
    </main>
  );
}
