/**
 * Every chat file also becomes a real attachment of the JSM request, so Jira keeps it
 * after the presence service deletes its copy (7 days). JSM's documented two steps:
 *  1. POST /rest/servicedeskapi/servicedesk/{serviceDeskId}/attachTemporaryFile
 *     (multipart, part "file", header X-Atlassian-Token: no-check)
 *  2. POST /rest/servicedeskapi/request/{issueKey}/attachment {temporaryAttachmentIds, public}
 * https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-servicedeskid-attachtemporaryfile-post
 * https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-attachment-post
 * Both need write:servicedesk-request (declared in manifest.yml). The app acts as itself:
 * the customer is no Atlassian user of the app, and the agent's own upload right is not
 * what decides whether a chat file is kept.
 *
 * The bytes come from the presence service over Forge Remote (attachment-content): see
 * src/protocol/remote-attachments.ts for why the app pulls them (5 MB invocation payloads).
 */
import { invokeRemote, route } from '@forge/api';
import type { AttachmentRef } from '../../protocol/model.js';
import { REMOTE_KEY, REMOTE_PREFIX } from '../../protocol/remote.js';
import { ATTACHMENT_CONTENT_CALL, ATTACHMENT_NAME_HEADER } from '../../protocol/remote-attachments.js';
import { AppError } from './errors.js';
import { jira } from './jira.js';

/** The Jira attachment a chat file became. */
export interface JiraAttachment {
  id: string;
  /** Where Jira serves it to signed-in users (the REST content link; Jira redirects to the file). */
  contentUrl: string;
}

interface TemporaryAttachments {
  temporaryAttachments: { temporaryAttachmentId: string; fileName: string }[];
}
interface AttachmentCreateResult {
  attachments: { values: { filename: string; _links: { jiraRest?: string; content?: string } }[] };
}

async function fetchBytes(conversationId: string, attachmentId: string): Promise<{ bytes: ArrayBuffer; name: string; mime: string }> {
  const res = await invokeRemote(REMOTE_KEY, {
    path: `${REMOTE_PREFIX}/${ATTACHMENT_CONTENT_CALL}`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ conversationId, attachmentId }),
  });
  if (!res.ok) throw new AppError(res.status === 410 ? 'not_found' : 'remote_error', `presence service ${ATTACHMENT_CONTENT_CALL}: answered ${res.status}`);
  const raw = res.headers.get(ATTACHMENT_NAME_HEADER) ?? '';
  let name = 'file';
  try {
    name = decodeURIComponent(raw) || name;
  } catch {
    // a malformed header keeps the neutral name
  }
  return { bytes: await res.arrayBuffer(), name, mime: res.headers.get('content-type') ?? 'application/octet-stream' };
}

/** Copies one chat file into the request as a public attachment (customers see it on the portal too). */
export async function attachToRequest(issueKey: string, a: AttachmentRef): Promise<JiraAttachment> {
  const file = await fetchBytes(issueKey, a.id);
  const request = await jira<{ serviceDeskId: string }>('app', route`/rest/servicedeskapi/request/${issueKey}`);
  const form = multipartFile(file.name, file.mime, file.bytes);
  const tmp = await jira<TemporaryAttachments>('app', route`/rest/servicedeskapi/servicedesk/${request.serviceDeskId}/attachTemporaryFile`, {
    method: 'POST',
    raw: form.body,
    headers: { 'Content-Type': form.contentType, 'X-Atlassian-Token': 'no-check' },
  });
  const temporaryAttachmentIds = tmp.temporaryAttachments.map((t) => t.temporaryAttachmentId);
  const created = await jira<AttachmentCreateResult>('app', route`/rest/servicedeskapi/request/${issueKey}/attachment`, {
    method: 'POST',
    body: { temporaryAttachmentIds, public: true },
  });
  const links = created.attachments.values[0]?._links;
  const id = links?.jiraRest?.split('/').pop();
  if (!id || !links?.content) throw new AppError('jira_error', 'Jira created no attachment');
  return { id, contentUrl: links.content };
}

/**
 * The chat message must not fail because Jira would not take the copy (attachments
 * switched off on the desk, a size limit, an outage): the file stays openable from the
 * chat for 7 days. Answers the link for the comment, or nothing. Logs the code only.
 */
export async function attachToRequestQuietly(issueKey: string, a: AttachmentRef): Promise<{ url: string } | Record<string, never>> {
  try {
    return { url: (await attachToRequest(issueKey, a)).contentUrl };
  } catch (e) {
    console.warn('attachment: not copied to Jira', { code: e instanceof AppError ? e.code : 'error' });
    return {};
  }
}

/**
 * One "file" part of multipart/form-data (RFC 7578), built by hand: @forge/api's
 * requestJira takes a string, ArrayBuffer or URLSearchParams body, not FormData.
 * The name is sent as UTF-8 with `"`, CR and LF percent-escaped, as browsers do
 * (RFC 7578 4.2: filename*= must not be used in form data).
 */
export function multipartFile(name: string, mime: string, bytes: ArrayBuffer): { body: ArrayBuffer; contentType: string } {
  const boundary = `----jsmchat${crypto.randomUUID().replace(/-/g, '')}`;
  const filename = name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const safeMime = /^[\w.+-]+\/[\w.+-]+$/.test(mime) ? mime : 'application/octet-stream';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${safeMime}\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const all = Buffer.concat([head, Buffer.from(bytes), tail]);
  return { body: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer, contentType: `multipart/form-data; boundary=${boundary}` };
}
