/**
 * Jira serves avatars at /secure/viewavatar without authentication for default avatars;
 * the stand-in draws an initials avatar so the URLs it hands out in `avatarUrls` load.
 */
import { createHash } from 'node:crypto';

const PALETTE = ['#0052CC', '#00875A', '#5243AA', '#DE350B', '#FF8B00', '#00A3BF', '#403294', '#172B4D'];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase().replace(/[^\p{L}\p{N}?]/gu, '');
}

export function avatarSvg(name: string, seed: string, size: number): string {
  const colour = PALETTE[createHash('sha256').update(seed).digest()[0]! % PALETTE.length];
  const s = Math.min(Math.max(Math.round(size) || 48, 16), 128);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 48 48"><circle cx="24" cy="24" r="24" fill="${colour}"/><text x="24" y="30" font-family="sans-serif" font-size="18" font-weight="600" text-anchor="middle" fill="#FFFFFF">${initials(name)}</text></svg>`;
}
