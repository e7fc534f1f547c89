import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, errorMessage, pageContext } from '../../ui-kit/bridge.js';
import { Loading, LoadError } from '../../ui-kit/components/Loading.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import type { Load } from './draft.js';
import { SettingsForm } from './SettingsForm.js';
import { t } from './strings.js';

export function App() {
  const [projectKey, setProjectKey] = useState<string | null>(null);
  const [load, setLoad] = useState<Load | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [noProject, setNoProject] = useState(false);

  const read = useCallback(async () => {
    setError(null);
    try {
      const key = (await pageContext()).projectKey;
      if (!key) return setNoProject(true);
      setProjectKey(key);
      setLoad(await call('projectSettings.load', { projectKey: key }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => void read(), [read]);

  if (noProject) return <Notice>{t.noProject}</Notice>;
  if (error) return <LoadError title={t.loadFailed} message={error} retryLabel={t.retry} onRetry={() => void read()} />;
  if (!load || !projectKey) return <Loading label={t.loading} />;
  return <SettingsForm projectKey={projectKey} load={load} />;
}
