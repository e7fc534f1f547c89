/** Issue reads shared by the webtrigger, resolvers and triggers. */
import { route } from '@forge/api';
import { CONVERSATION_PROPERTY, WHATSAPP_PROPERTY } from '../../protocol/jira-properties.js';
import { jira, jiraOptional, type Actor } from './jira.js';
import { avatarOf, type JiraUser, type Party } from './messages.js';

export interface ChatIssue {
  id: string;
  key: string;
  properties?: Record<string, unknown>;
  fields: {
    summary?: string;
    created?: string;
    updated?: string;
    status?: { name?: string; statusCategory?: { key?: string } };
    assignee?: JiraUser | null;
    reporter?: JiraUser | null;
    project?: { key?: string; id?: string };
  };
}

export const ISSUE_FIELDS = 'summary,created,updated,status,assignee,reporter,project';

export async function getChatIssue(as: Actor, issueKey: string): Promise<ChatIssue | undefined> {
  return jiraOptional<ChatIssue>(as, route`/rest/api/3/issue/${issueKey}?fields=${ISSUE_FIELDS}&properties=${`${CONVERSATION_PROPERTY},${WHATSAPP_PROPERTY}`}`);
}

export function partyOf(u: JiraUser | null | undefined, fallbackName = 'Customer'): Party | undefined {
  if (!u?.accountId) return undefined;
  const avatarUrl = avatarOf(u);
  return { accountId: u.accountId, name: u.displayName ?? fallbackName, ...(avatarUrl ? { avatarUrl } : {}) };
}

type SearchAnswer = { issues: ChatIssue[]; nextPageToken?: string; isLast?: boolean };

/**
 * Chat issues found by JQL (with the conversation and WhatsApp properties), following
 * nextPageToken until `limit` issues or the last page
 * (POST, so `reconcileIssues` can name issues whose latest state search must reflect).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
export async function searchChatIssuePages(as: Actor, jql: string, limit: number, reconcileIssues: number[] = []): Promise<ChatIssue[]> {
  const out: ChatIssue[] = [];
  let token: string | undefined;
  while (out.length < limit) {
    const body = {
      jql,
      fields: ISSUE_FIELDS.split(','),
      properties: [CONVERSATION_PROPERTY, WHATSAPP_PROPERTY],
      maxResults: Math.min(SEARCH_PAGE, limit - out.length),
      ...(token ? { nextPageToken: token } : {}),
      ...(reconcileIssues.length ? { reconcileIssues } : {}),
    };
    const res = await jira<SearchAnswer>(as, route`/rest/api/3/search/jql`, { method: 'POST', body });
    out.push(...(res.issues ?? []));
    if (res.isLast !== false || !res.nextPageToken) break;
    token = res.nextPageToken;
  }
  return out.slice(0, limit);
}

/** search/jql returns at most 100 issues with fields per page. */
const SEARCH_PAGE = 100;

/** Quotes a value for JQL (project keys and accountIds are already restricted by their schemas). */
export function jqlString(v: string): string {
  return `"${v.replace(/["\\]/g, '\\$&')}"`;
}
