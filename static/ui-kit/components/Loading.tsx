import { Button } from './Button.js';
import { Notice } from './Notice.js';

export function Loading({ label }: { label: string }) {
  return (
    <div class="row" role="status" style={{ padding: '16px' }}>
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function LoadError({ title, message, retryLabel, onRetry }: { title: string; message: string; retryLabel: string; onRetry: () => void }) {
  return (
    <Notice kind="error" title={title} action={<Button onClick={onRetry}>{retryLabel}</Button>}>
      <p>{message}</p>
    </Notice>
  );
}
