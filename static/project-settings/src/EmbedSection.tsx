import { CopyButton } from '../../ui-kit/components/Copy.js';
import { t } from './strings.js';

export function EmbedSection({ snippet }: { snippet: string | null }) {
  return (
    <section aria-labelledby="embed-h">
      <h2 id="embed-h">{t.embed}</h2>
      {snippet ? (
        <>
          <p class="muted">{t.embedHelp}</p>
          <pre class="snippet" tabIndex={0}>
            <code>{snippet}</code>
          </pre>
          <CopyButton text={snippet} label={t.copy} copiedLabel={t.copied} />
        </>
      ) : (
        <p class="muted">{t.embedAfterSave}</p>
      )}
    </section>
  );
}
