import { useEffect, useState } from 'preact/hooks';
import type { AttachmentRef } from '../../../src/protocol/model.js';
import { call, openUrl } from '../../ui-kit/bridge.js';
import { bytes } from '../../ui-kit/format.js';
import { t } from './strings.js';

type Link = { url: string; expiresAt: string };

const fetchUrl = (issueKey: string, attachmentId: string): Promise<Link> => call('attachment.url', { issueKey, attachmentId });

/** Images get a preview; every file is a link. Links expire (≤ 5 min), so a stale one is refreshed on click. */
export function AttachmentView({ issueKey, attachment: a }: { issueKey: string; attachment: AttachmentRef }) {
  const [link, setLink] = useState<Link | null>(null);
  const isImage = a.mime.startsWith('image/');
  useEffect(() => {
    if (!isImage) return;
    let live = true;
    fetchUrl(issueKey, a.id).then(
      (l) => live && setLink(l),
      () => undefined,
    );
    return () => void (live = false);
  }, [issueKey, a.id, isImage]);

  // A Custom UI iframe may not open popups (no allow-popups in its sandbox): the file opens
  // through the bridge's router.open, in a new tab Jira opens after asking the user.
  const open = async (e: MouseEvent) => {
    e.preventDefault();
    const fresh = link && Date.parse(link.expiresAt) > Date.now() + 5_000 ? link : await fetchUrl(issueKey, a.id).catch(() => null);
    if (!fresh) return;
    setLink(fresh);
    await openUrl(fresh.url).catch(() => undefined); // the user declined to leave Jira
  };

  return (
    <div class="attachment">
      {isImage && link ? (
        <a href={link.url} rel="noreferrer" onClick={(e) => void open(e)} aria-label={t.openAttachment(a.name)}>
          <img class="preview" src={link.url} alt={a.name} loading="lazy" />
        </a>
      ) : null}
      <a href={link?.url ?? '#'} rel="noreferrer" onClick={(e) => void open(e)} class="file">
        {a.name}
      </a>{' '}
      <span class="muted">{bytes(a.size)}</span>
    </div>
  );
}
