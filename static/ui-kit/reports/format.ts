/** Durations for people: 45 s, 3 min 20 s, 1 h 5 min. */
export function duration(sec: number | null): string {
  if (sec === null) return '–';
  if (sec < 60) return `${sec} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min${sec % 60 ? ` ${sec % 60} s` : ''}`;
  return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min`;
}

/** Reads a CSS custom property of the page (design tokens, light or dark). */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}
