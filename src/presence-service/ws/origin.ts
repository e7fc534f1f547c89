/** Origin allowlist: exact scheme://host[:port] match against the project's allowedOrigins. */
export function normalizeOrigin(value: string): string | null {
  try {
    const u = new URL(value);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  const o = origin ? normalizeOrigin(origin) : null;
  if (!o) return false;
  return allowed.some((a) => normalizeOrigin(a) === o);
}
