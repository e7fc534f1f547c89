/** The project page "Chat reports": the project's chats over a chosen period, from Jira. */
import { useEffect, useState } from 'preact/hooks';
import { call, errorMessage, pageContext } from '../../ui-kit/bridge.js';
import { Loading, LoadError } from '../../ui-kit/components/Loading.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { ReportPage } from '../../ui-kit/reports/ReportPage.js';
import { rt } from '../../ui-kit/reports/strings.js';

export function App() {
  const [projectKey, setProjectKey] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const read = () => {
    setError(null);
    pageContext().then((c) => setProjectKey(c.projectKey ?? null), (e) => setError(errorMessage(e)));
  };
  useEffect(read, []);
  if (error) return <LoadError title={rt.loadFailed} message={error} retryLabel={rt.retry} onRetry={read} />;
  if (projectKey === undefined) return <Loading label={rt.loading} />;
  if (!projectKey) return <Notice>{rt.noProject}</Notice>;
  return (
    <main class="page">
      <ReportPage fileName={`chat-report-${projectKey}`} load={(p) => call('reports.project', { projectKey, ...p })} />
    </main>
  );
}
