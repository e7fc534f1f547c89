import { useEffect, useRef } from 'preact/hooks';
import { Button } from '../../ui-kit/components/Button.js';
import { CopyButton } from '../../ui-kit/components/Copy.js';
import { t } from './strings.js';

/** The new secret, shown this once: it lives only in this component's props and is gone on dismiss. */
export function SecretBox({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div class="notice warning secret-box" role="alert" tabIndex={-1} ref={ref}>
      <div class="notice-body">
        <strong>{t.secretOnce}</strong>
        <div class="row nowrap">
          <code class="secret">{secret}</code>
          <CopyButton text={secret} label={t.copy} copiedLabel={t.copied} />
        </div>
      </div>
      <Button compact onClick={onDismiss}>
        {t.dismiss}
      </Button>
    </div>
  );
}
