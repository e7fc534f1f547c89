import { useState } from 'preact/hooks';
import type { VerificationMode } from '../../../src/protocol/model.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Field } from '../../ui-kit/components/Field.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { SecretBox } from './SecretBox.js';
import type { SectionProps } from './SettingsForm.js';
import { t } from './strings.js';

interface Props extends SectionProps {
  projectKey: string;
  hasSecret: boolean;
  onRotated: () => void;
}

export function VerificationSection({ draft, update, projectKey, hasSecret, onRotated }: Props) {
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const rotate = async () => {
    // replacing a secret breaks verification on the website until it uses the new one
    if (hasSecret && !confirming) return setConfirming(true);
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      setSecret((await call('projectSettings.rotateSecret', { projectKey })).secret);
      onRotated();
    } catch (e) {
      setError(`${t.rotateFailed}: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="verify-h">
      <h2 id="verify-h">{t.verification}</h2>
      <Field id="verification" label={t.verificationMode} help={t.verificationHelp}>
        <select
          id="verification"
          class="input narrow"
          value={draft.verification}
          aria-describedby="verification-help"
          onChange={(e) => update((d) => ({ ...d, verification: e.currentTarget.value as VerificationMode }))}
        >
          {Object.entries(t.verificationModes).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <div class="row">
        <span class="muted">{hasSecret ? t.secretSet : t.secretNotSet}</span>
        <Button compact busy={busy} onClick={() => void rotate()}>
          {t.rotate}
        </Button>
      </div>
      {confirming ? (
        <Notice
          kind="warning"
          action={
            <div class="row">
              <Button compact appearance="danger" onClick={() => void rotate()}>
                {t.rotateConfirm}
              </Button>
              <Button compact onClick={() => setConfirming(false)}>
                {t.cancel}
              </Button>
            </div>
          }
        >
          {t.rotateWarning}
        </Notice>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {secret ? <SecretBox secret={secret} onDismiss={() => setSecret(null)} /> : null}
    </section>
  );
}
