/**
 * The project page has two tabs: the live chats (the dashboard) and the chat reports.
 * Jira allows one jira:projectPage per app, so the reports live here rather than in a page
 * of their own. The dashboard stays mounted while the reports show, so its live connection
 * (and the agent's presence) is not dropped by a look at the numbers.
 */
import { useState } from 'preact/hooks';
import { call } from '../../ui-kit/bridge.js';
import { ReportPage } from '../../ui-kit/reports/ReportPage.js';
import { rt } from '../../ui-kit/reports/strings.js';
import { Dashboard } from './Dashboard.js';

type Tab = 'chats' | 'reports';

export function ChatTabs({ projectKey }: { projectKey: string }) {
  const [tab, setTab] = useState<Tab>('chats');
  const [reportsOpened, setReportsOpened] = useState(false);
  const pick = (next: Tab) => {
    setTab(next);
    if (next === 'reports') setReportsOpened(true);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') pick(tab === 'chats' ? 'reports' : 'chats');
  };
  return (
    <>
      <div class="tabs" role="tablist" aria-label={rt.tabsLabel} onKeyDown={onKey}>
        {(['chats', 'reports'] as const).map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-controls={`panel-${id}`}
            aria-selected={tab === id}
            tabIndex={tab === id ? 0 : -1}
            class={`tab${tab === id ? ' selected' : ''}`}
            onClick={() => pick(id)}
          >
            {id === 'chats' ? rt.tabChats : rt.tabReports}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="panel-chats" aria-labelledby="tab-chats" hidden={tab !== 'chats'}>
        <Dashboard projectKey={projectKey} />
      </div>
      {reportsOpened ? (
        <div role="tabpanel" id="panel-reports" aria-labelledby="tab-reports" hidden={tab !== 'reports'} class="page">
          <ReportPage fileName={`chat-report-${projectKey}`} load={(p) => call('reports.project', { projectKey, ...p })} />
        </div>
      ) : null}
    </>
  );
}
