import { useEffect, useState } from 'preact/hooks';
import { errorMessage, pageContext } from '../../ui-kit/bridge.js';
import { Loading, LoadError } from '../../ui-kit/components/Loading.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { ChatTabs } from './ChatTabs.js';
import { t } from './strings.js';

export function App() {
  const [projectKey, setProjectKey] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const read = () => {
    setError(null);
    pageContext().then(
      (c) => setProjectKey(c.projectKey ?? null),
      (e) => setError(errorMessage(e)),
    );
  };
  useEffect(read, []);
  if (error) return <LoadError title={t.loadFailed} message={error} retryLabel={t.retry} onRetry={read} />;
  if (projectKey === undefined) return <Loading label={t.loading} />;
  if (!projectKey) return <Notice>{t.noProject}</Notice>;
  return <ChatTabs projectKey={projectKey} />;
}
