import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ResolverResponse } from '../../../src/protocol/resolvers.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Loading, LoadError } from '../../ui-kit/components/Loading.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { AnalyticsSection } from './AnalyticsSection.js';
import { AnalyticsSinksSection } from './AnalyticsSinksSection.js';
import { SiteReportSection } from './SiteReportSection.js';
import { ConnectionSection } from './ConnectionSection.js';
import { ProjectsTable } from './ProjectsTable.js';
import { t } from './strings.js';
import { WhatsAppSection } from './WhatsAppSection.js';

export type AdminLoad = ResolverResponse<'admin.load'>;

export function App() {
  const [data, setData] = useState<AdminLoad | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = useCallback(async () => {
    setError(null);
    try {
      setData(await call('admin.load', {}));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => void read(), [read]);

  if (error) return <LoadError title={t.loadFailed} message={error} retryLabel={t.retry} onRetry={() => void read()} />;
  if (!data) return <Loading label={t.loading} />;
  const readOnly = !data.isAdmin;
  return (
    <main class="page admin">
      <h1>{t.title}</h1>
      {readOnly ? <Notice>{t.notAdmin}</Notice> : null}
      <ConnectionSection data={data} readOnly={readOnly} onRelinked={() => void read()} />
      <AnalyticsSection initial={data.analytics} readOnly={readOnly} />
      {readOnly ? null : <AnalyticsSinksSection readOnly={readOnly} />}
      <WhatsAppSection whatsapp={data.whatsapp} projects={data.projects} readOnly={readOnly} />
      <ProjectsTable projects={data.projects} />
      {readOnly ? null : <SiteReportSection />}
    </main>
  );
}
