import { useEffect, useState } from 'preact/hooks';
import { pageContext, errorMessage, type PageContext } from '../../ui-kit/bridge.js';
import { Loading, LoadError } from '../../ui-kit/components/Loading.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { Chat } from './Chat.js';
import { t } from './strings.js';

export function App() {
  const [ctx, setCtx] = useState<PageContext | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = () => {
    setError(null);
    pageContext().then(setCtx, (e) => setError(errorMessage(e)));
  };
  useEffect(read, []);
  if (error) return <LoadError title={t.loadFailed} message={error} retryLabel={t.retry} onRetry={read} />;
  if (!ctx) return <Loading label={t.loading} />;
  if (!ctx.issueKey || !ctx.projectKey) return <Notice>{t.noIssue}</Notice>;
  return <Chat issueKey={ctx.issueKey} projectKey={ctx.projectKey} />;
}
