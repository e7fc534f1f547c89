/**
 * The one way the app writes a chat comment: ADF body, the app's `chat.message` property
 * (so the comment trigger knows where it came from and never relays it back twice), and
 * JSM's public/internal mark set explicitly rather than left to the project default.
 */
import { route } from '@forge/api';
import { JSM_PUBLIC_PROPERTY, MESSAGE_PROPERTY } from '../../protocol/jira-properties.js';
import { jira, type Actor } from './jira.js';
import { commentBody, type JiraComment, type StoredMessageProperty } from './messages.js';

export function postComment(as: Actor, issueKey: string, text: string, prop: StoredMessageProperty, visibility: 'public' | 'internal'): Promise<JiraComment> {
  return jira<JiraComment>(as, route`/rest/api/3/issue/${issueKey}/comment`, {
    method: 'POST',
    body: {
      body: commentBody(text),
      properties: [
        { key: MESSAGE_PROPERTY, value: prop },
        { key: JSM_PUBLIC_PROPERTY, value: { internal: visibility === 'internal' } },
      ],
    },
  });
}
