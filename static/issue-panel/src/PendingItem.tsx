import { Button } from '../../ui-kit/components/Button.js';
import type { Pending } from './messages.js';
import { t } from './strings.js';

export function PendingItem({ pending: p }: { pending: Pending }) {
  return (
    <article class={`msg us own pending ${p.state}`} aria-busy={p.state === 'sending' ? 'true' : undefined}>
      <div class="bubble">{p.fileName ? (p.state === 'failed' ? t.uploadFailedFile(p.fileName) : t.uploading(p.fileName)) : p.text}</div>
      {p.state === 'sending' ? (
        <div class="muted">{t.sending}</div>
      ) : (
        <div class="failed-row" role="alert">
          <span>{t.notSent}</span> {p.error ? <span class="muted">{p.error}</span> : null}{' '}
          <Button compact appearance="subtle" onClick={p.retry}>
            {t.retry}
          </Button>
        </div>
      )}
    </article>
  );
}
