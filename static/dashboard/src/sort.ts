import type { ResolverResponse } from '../../../src/protocol/resolvers.js';

export type DashboardChat = ResolverResponse<'dashboard.load'>['chats'][number];

/** Open chats only; waiting ones first (longest wait on top), then most recent activity. */
export function sortChats(chats: readonly DashboardChat[]): DashboardChat[] {
  return chats
    .filter((c) => c.status === 'open')
    .sort((a, b) => {
      if (a.waitingSince && b.waitingSince) return Date.parse(a.waitingSince) - Date.parse(b.waitingSince);
      if (a.waitingSince) return -1;
      if (b.waitingSince) return 1;
      return Date.parse(b.lastActivity) - Date.parse(a.lastActivity);
    });
}
