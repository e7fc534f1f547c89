/**
 * JSON shapes of Jira Cloud (platform REST v3 and servicedeskapi) built from records.
 * Field names and nesting follow Atlassian's OpenAPI description and jira.js models.
 */
import { adfToText } from '../../protocol/adf.js';
import type { Site } from './site.js';
import type { CommentRecord, IssueRecord, ProjectRecord, RequestTypeRecord, UserRecord } from './types.js';
import { ISSUE_TYPES, resolutionById, STATUS_CATEGORIES, sdCategory, statusById } from './workflow.js';

const AVATAR_SIZES = ['48x48', '24x24', '16x16', '32x32'] as const;

function avatarUrls(site: Site, kind: string, id: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of AVATAR_SIZES) out[s] = `${site.baseUrl}/secure/viewavatar?size=${s.split('x')[0]}&avatarType=${kind}&id=${encodeURIComponent(id)}`;
  return out;
}

export function userDetails(site: Site, u: UserRecord): Record<string, unknown> {
  return {
    self: `${site.baseUrl}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
    accountId: u.accountId,
    accountType: u.accountType,
    ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
    avatarUrls: avatarUrls(site, 'user', u.accountId),
    displayName: u.displayName,
    active: u.active,
    timeZone: u.timeZone,
  };
}

/** GET /user and /myself add locale and the expandable collections. */
export function fullUser(site: Site, u: UserRecord): Record<string, unknown> {
  return {
    ...userDetails(site, u),
    locale: 'en_US',
    groups: { size: 0, items: [] },
    applicationRoles: { size: 0, items: [] },
    expand: 'groups,applicationRoles',
  };
}

export function sdUser(site: Site, u: UserRecord): Record<string, unknown> {
  return {
    accountId: u.accountId,
    ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
    displayName: u.displayName,
    active: u.active,
    timeZone: u.timeZone,
    _links: {
      jiraRest: `${site.baseUrl}/rest/api/2/user?accountId=${encodeURIComponent(u.accountId)}`,
      avatarUrls: avatarUrls(site, 'user', u.accountId),
      self: `${site.baseUrl}/rest/api/2/user?accountId=${encodeURIComponent(u.accountId)}`,
    },
  };
}

function userOrUnknown(site: Site, accountId: string | null): Record<string, unknown> | null {
  if (!accountId) return null;
  const u = site.store.user(accountId);
  return u ? userDetails(site, u) : { accountId, displayName: 'Former user', active: false };
}

export function projectRef(site: Site, p: ProjectRecord): Record<string, unknown> {
  return {
    self: `${site.baseUrl}/rest/api/3/project/${p.id}`,
    id: p.id,
    key: p.key,
    name: p.name,
    projectTypeKey: p.projectTypeKey,
    simplified: false,
    avatarUrls: avatarUrls(site, 'project', p.id),
  };
}

export function projectFull(site: Site, p: ProjectRecord): Record<string, unknown> {
  const lead = site.store.user(p.leadAccountId);
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    ...projectRef(site, p),
    description: '',
    ...(lead ? { lead: userDetails(site, lead) } : {}),
    components: [],
    issueTypes: [issueType(site, p.issueTypeId)],
    assigneeType: 'UNASSIGNED',
    versions: [],
    roles: {},
    style: 'classic',
    isPrivate: false,
    properties: {},
  };
}

export function issueType(site: Site, id: string): Record<string, unknown> {
  const t = ISSUE_TYPES[id] ?? { id, name: 'Task', description: '' };
  return {
    self: `${site.baseUrl}/rest/api/3/issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${site.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10553?size=medium`,
    name: t.name,
    subtask: false,
    avatarId: 10553,
    hierarchyLevel: 0,
  };
}

export function status(site: Site, statusId: string): Record<string, unknown> {
  const s = statusById(statusId);
  const c = STATUS_CATEGORIES[s.category];
  return {
    self: `${site.baseUrl}/rest/api/3/status/${s.id}`,
    description: s.description,
    iconUrl: `${site.baseUrl}/images/icons/statuses/generic.png`,
    name: s.name,
    id: s.id,
    statusCategory: { self: `${site.baseUrl}/rest/api/3/statuscategory/${c.id}`, id: c.id, key: c.key, colorName: c.colorName, name: c.name },
  };
}

export interface IssueView {
  /** Field ids to include, or null for all. */
  fields: Set<string> | null;
  expandRendered: boolean;
  expandNames: boolean;
  properties: string[];
}

/** Every navigable field the stand-in knows, by id. */
export function allFields(site: Site, i: IssueRecord): Record<string, unknown> {
  const p = site.store.projectOf(i);
  const done = statusById(i.statusId).category === 'done';
  const comments = site.store.commentsOf(i.id);
  return {
    summary: i.summary,
    description: i.description,
    status: status(site, i.statusId),
    assignee: userOrUnknown(site, i.assigneeId),
    reporter: userOrUnknown(site, i.reporterId),
    creator: userOrUnknown(site, i.creatorId),
    project: projectRef(site, p),
    issuetype: issueType(site, p.issueTypeId),
    created: i.created,
    updated: i.updated,
    statuscategorychangedate: i.statusChanged,
    resolution: done ? { self: `${site.baseUrl}/rest/api/3/resolution/${resolutionById(i.resolutionId).id}`, ...resolutionById(i.resolutionId) } : null,
    resolutiondate: i.resolutionDate,
    labels: [],
    priority: { self: `${site.baseUrl}/rest/api/3/priority/3`, iconUrl: `${site.baseUrl}/images/icons/priorities/medium.svg`, name: 'Medium', id: '3' },
    // The platform's issue field `attachment` (Attachment objects), e.g. added through the servicedeskapi request attachment flow.
    attachment: site.store.attachmentsOf(i.id).map((a) => {
      const author = site.store.user(a.authorId);
      return {
        self: `${site.baseUrl}/rest/api/3/attachment/${a.id}`,
        id: a.id,
        filename: a.filename,
        ...(author ? { author: { accountId: author.accountId, displayName: author.displayName, active: true } } : {}),
        created: a.created,
        size: a.size,
        mimeType: a.mimeType,
        content: `${site.baseUrl}/rest/api/3/attachment/content/${a.id}`,
      };
    }),
    comment: {
      comments: comments.map((c) => comment(site, c, false)),
      self: `${site.baseUrl}/rest/api/3/issue/${i.id}/comment`,
      maxResults: comments.length,
      total: comments.length,
      startAt: 0,
    },
  };
}

const FIELD_NAMES: Record<string, string> = {
  summary: 'Summary',
  description: 'Description',
  status: 'Status',
  assignee: 'Assignee',
  reporter: 'Reporter',
  creator: 'Creator',
  project: 'Project',
  issuetype: 'Issue Type',
  created: 'Created',
  updated: 'Updated',
  statuscategorychangedate: 'Status Category Changed',
  resolution: 'Resolution',
  resolutiondate: 'Resolved',
  labels: 'Labels',
  priority: 'Priority',
  comment: 'Comment',
  attachment: 'Attachment',
};
export const KNOWN_FIELDS = new Set(Object.keys(FIELD_NAMES));

export function issue(site: Site, i: IssueRecord, view: IssueView): Record<string, unknown> {
  const all = allFields(site, i);
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (!view.fields || view.fields.has(k)) fields[k] = v;
  const out: Record<string, unknown> = {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: i.id,
    self: `${site.baseUrl}/rest/api/3/issue/${i.id}`,
    key: i.key,
    fields,
  };
  if (view.expandRendered) {
    const rendered: Record<string, unknown> = {};
    for (const k of Object.keys(fields)) rendered[k] = k === 'description' ? (i.description ? `<p>${escapeHtml(adfToText(i.description))}</p>` : null) : null;
    out.renderedFields = rendered;
  }
  if (view.expandNames) {
    const names: Record<string, string> = {};
    for (const k of Object.keys(fields)) names[k] = FIELD_NAMES[k] ?? k;
    out.names = names;
  }
  if (view.properties.length) {
    const props: Record<string, unknown> = {};
    const wantAll = view.properties.includes('*all');
    for (const [k, v] of Object.entries(i.properties)) if (wantAll || view.properties.includes(k)) props[k] = v;
    out.properties = props;
  }
  return out;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function comment(site: Site, c: CommentRecord, withProperties: boolean, withRendered = false): Record<string, unknown> {
  const author = site.store.user(c.authorId);
  const updater = site.store.user(c.updateAuthorId);
  const out: Record<string, unknown> = {
    self: `${site.baseUrl}/rest/api/3/issue/${c.issueId}/comment/${c.id}`,
    id: c.id,
    author: author ? userDetails(site, author) : { accountId: c.authorId },
    body: c.body,
    updateAuthor: updater ? userDetails(site, updater) : { accountId: c.updateAuthorId },
    created: c.created,
    updated: c.updated,
    jsdPublic: c.jsdPublic,
    jsdAuthorCanSeeRequest: author?.accountType === 'customer',
    // Jira leaves `visibility` out of unrestricted comments (comment-visibility.ts).
    ...(c.visibility ? { visibility: { ...c.visibility } } : {}),
  };
  if (withRendered) out.renderedBody = `<p>${escapeHtml(adfToText(c.body))}</p>`;
  if (withProperties) out.properties = Object.entries(c.properties).map(([key, value]) => ({ key, value }));
  return out;
}

/** servicedeskapi's date object. */
export function sdDate(jira: string): Record<string, unknown> {
  const d = new Date(jira);
  return {
    iso8601: jira,
    jira: jira,
    friendly: d.toUTCString(),
    epochMillis: d.getTime(),
  };
}

export function sdComment(site: Site, c: CommentRecord): Record<string, unknown> {
  const issue = site.store.issue(c.issueId);
  const author = site.store.user(c.authorId);
  return {
    id: c.id,
    body: adfToText(c.body),
    public: c.jsdPublic,
    author: author ? sdUser(site, author) : { accountId: c.authorId },
    created: sdDate(c.created),
    _links: { self: `${site.baseUrl}/rest/servicedeskapi/request/${issue?.id ?? c.issueId}/comment/${c.id}` },
  };
}

export function sdServiceDesk(site: Site, p: ProjectRecord): Record<string, unknown> {
  return {
    id: p.serviceDeskId,
    projectId: p.id,
    projectName: p.name,
    projectKey: p.key,
    _links: { self: `${site.baseUrl}/rest/servicedeskapi/servicedesk/${p.serviceDeskId}` },
  };
}

export function sdRequestType(site: Site, rt: RequestTypeRecord): Record<string, unknown> {
  return {
    id: rt.id,
    _links: { self: `${site.baseUrl}/rest/servicedeskapi/servicedesk/${rt.serviceDeskId}/requesttype/${rt.id}` },
    name: rt.name,
    description: rt.description,
    helpText: '',
    issueTypeId: rt.issueTypeId,
    serviceDeskId: rt.serviceDeskId,
    portalId: rt.serviceDeskId,
    groupIds: [],
    icon: { id: '10500', _links: { iconUrls: avatarUrls(site, 'SD_REQTYPE', rt.id) } },
  };
}

export function sdStatus(i: IssueRecord): Record<string, unknown> {
  const s = statusById(i.statusId);
  return { status: s.name, statusCategory: sdCategory(s.category), statusDate: sdDate(i.statusChanged) };
}

export function sdRequest(site: Site, i: IssueRecord): Record<string, unknown> {
  const p = site.store.projectOf(i);
  const reporter = site.store.user(i.reporterId);
  return {
    _expands: ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'],
    issueId: i.id,
    issueKey: i.key,
    summary: i.summary,
    requestTypeId: i.requestTypeId ?? '',
    serviceDeskId: p.serviceDeskId,
    createdDate: sdDate(i.created),
    reporter: reporter ? sdUser(site, reporter) : { accountId: i.reporterId },
    requestFieldValues: [
      { fieldId: 'summary', label: 'Summary', value: i.summary },
      {
        fieldId: 'description',
        label: 'Description',
        value: i.description ? adfToText(i.description) : '',
        renderedValue: { html: i.description ? `<p>${escapeHtml(adfToText(i.description))}</p>` : '' },
      },
    ],
    currentStatus: sdStatus(i),
    _links: {
      jiraRest: `${site.baseUrl}/rest/api/2/issue/${i.id}`,
      web: `${site.baseUrl}/servicedesk/customer/portal/${p.serviceDeskId}/${i.key}`,
      self: `${site.baseUrl}/rest/servicedeskapi/request/${i.id}`,
      agent: `${site.baseUrl}/browse/${i.key}`,
    },
  };
}
