export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

import { useState } from 'preact/hooks';

/** The picture when it loads; the initials when there is none or it fails (avatars can 404). */
export function Avatar({ name, url }: { name: string; url?: string | undefined }) {
  const [failed, setFailed] = useState(false);
  return (
    <span class="avatar" aria-hidden="true">
      {url && !failed ? <img src={url} alt="" onError={() => setFailed(true)} /> : initials(name)}
    </span>
  );
}
