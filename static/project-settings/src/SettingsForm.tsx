import { useState } from 'preact/hooks';
import { call, errorMessage, flag } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { AgentsSection } from './AgentsSection.js';
import { AssignmentSection } from './AssignmentSection.js';
import { CannedRepliesSection } from './CannedRepliesSection.js';
import { toDraft, type Draft, type Load } from './draft.js';
import { EmbedSection } from './EmbedSection.js';
import { GeneralSection } from './GeneralSection.js';
import { HoursSection } from './HoursSection.js';
import { LookSection } from './LookSection.js';
import { OriginsSection } from './OriginsSection.js';
import { PrechatSection } from './PrechatSection.js';
import { t } from './strings.js';
import { FORM_ERRORS, validateDraft, type Errors } from './validate.js';
import { VerificationSection } from './VerificationSection.js';

/** What every section gets: the draft, a way to change it, the messages for its fields. */
export interface SectionProps {
  draft: Draft;
  update: (fn: (d: Draft) => Draft) => void;
  errors: Errors;
}

export function SettingsForm({ projectKey, load }: { projectKey: string; load: Load }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(load, projectKey));
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [snippet, setSnippet] = useState(load.embedSnippet);
  const [hasSecret, setHasSecret] = useState(load.config?.hasIdentitySecret ?? false);
  const readOnly = !load.canEdit;
  const update = (fn: (d: Draft) => Draft) => {
    setDraft(fn);
    setStatus(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (readOnly) return;
    const found = validateDraft(draft);
    setErrors(found);
    const count = Object.keys(found).length;
    // Issues without a field of their own are named in the status line (path: reason).
    if (count) return setStatus({ kind: 'error', text: [t.fixErrors(count), found[FORM_ERRORS]].filter(Boolean).join(' ') });
    setSaving(true);
    try {
      const res = await call('projectSettings.save', { projectKey, config: draft });
      setDraft(toDraft({ ...load, config: res.config }, projectKey));
      setHasSecret(res.config.hasIdentitySecret);
      setSnippet(res.embedSnippet);
      setStatus({ kind: 'success', text: t.saved });
      flag('saved', t.saved, 'success');
    } catch (err) {
      setStatus({ kind: 'error', text: `${t.saveFailed}: ${errorMessage(err)}` });
    } finally {
      setSaving(false);
    }
  };

  const props: SectionProps = { draft, update, errors };
  return (
    <main class="page settings">
      <h1>{t.title}</h1>
      {readOnly ? <Notice kind="info">{t.readOnly}</Notice> : null}
      {!load.serviceDeskId ? <Notice kind="warning">{t.notServiceDesk}</Notice> : null}
      <form onSubmit={(e) => void save(e)} noValidate>
        <fieldset disabled={readOnly} class="plain">
          <GeneralSection {...props} requestTypes={load.requestTypes} />
          <LookSection {...props} />
          <PrechatSection {...props} />
          <OriginsSection {...props} />
          <VerificationSection {...props} projectKey={projectKey} hasSecret={hasSecret} onRotated={() => setHasSecret(true)} />
          <HoursSection {...props} agents={load.agents} />
          <AssignmentSection {...props} agents={load.agents} />
        </fieldset>
        {status ? (
          <Notice kind={status.kind} title={status.kind === 'error' ? undefined : status.text}>
            {status.kind === 'error' ? status.text : null}
          </Notice>
        ) : null}
        {!readOnly ? (
          <div class="row save-bar">
            <Button type="submit" appearance="primary" busy={saving}>
              {t.save}
            </Button>
          </div>
        ) : null}
      </form>
      <AgentsSection projectKey={projectKey} agents={load.agents} readOnly={readOnly} />
      <CannedRepliesSection projectKey={projectKey} readOnly={readOnly} />
      <EmbedSection snippet={snippet} />
    </main>
  );
}
