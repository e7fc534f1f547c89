export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}

export function Avatar({ name, url }: { name: string; url?: string | undefined }) {
  return <span class="avatar" aria-hidden="true">{url ? <img src={url} alt="" /> : initials(name)}</span>;
}
