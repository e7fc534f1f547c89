/**
 * Jira-like pages where a person acts as an agent: an index, an issue view with comments and
 * the app's issue-context module, a request queue, and the app's project / settings / admin
 * pages in iframes. Everything is read and written through the stand-in's REST API as the
 * chosen user, so Jira's own permission checks apply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { adfToText, textToAdf } from '../../protocol/adf.js';
import { BodyTooLarge, esc, readBody, redirect, sendHtml, sendJiraError } from './http.js';
import { MAX_FORM_BODY_BYTES } from './limits.js';
import type { AppManifest, UiModuleDef } from './manifest.js';
import { colorModeOf, layout } from './page-layout.js';
import type { ColorMode } from './theme.js';
import type { JsmLike, JsmPrincipal } from './types.js';
import { isDisplayed } from './display-conditions.js';
import { buildExtension } from './ui-context.js';

const IssueKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}-[0-9]{1,10}$/);
const ProjectKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}$/);
const CommentForm = z.object({ body: z.string().trim().min(1, 'comment is empty').max(32_000), kind: z.enum(['public', 'internal']) });
const COMMENT_REFRESH_MS = 3000;

interface Ctx {
  jira: JsmLike;
  manifest: AppManifest;
}
type J = Record<string, any>; // Jira JSON, read defensively

async function jiraJson(jira: JsmLike, principal: JsmPrincipal, path: string, init: RequestInit = {}): Promise<{ ok: boolean; status: number; body: J }> {
  try {
    const r = await fetch(new URL(path, jira.url), {
      ...init,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...jira.hostAuthHeaders(principal) },
    });
    const text = await r.text();
    let body: J = {};
    try {
      body = text ? (JSON.parse(text) as J) : {};
    } catch {
      body = {};
    }
    return { ok: r.ok, status: r.status, body };
  } catch {
    return { ok: false, status: 502, body: { errorMessages: ['the JSM stand-in is not reachable'] } };
  }
}

function jiraErrorText(body: J): string {
  const msgs = [...(Array.isArray(body['errorMessages']) ? body['errorMessages'] : []), ...Object.values((body['errors'] ?? {}) as Record<string, unknown>)];
  return msgs.map(String).join('; ') || String(body['message'] ?? 'request failed');
}

function moduleOfType(m: AppManifest, type: string): UiModuleDef | undefined {
  return [...m.uiModules.values()].find((u) => u.type === type);
}

/**
 * The Custom UI iframe's sandbox, as Atlassian documents it: no allow-popups (window.open and
 * target=_blank links fail) and no allow-top-navigation (the frame cannot move the page; the
 * bridge's router asks the page to). https://developer.atlassian.com/platform/forge/custom-ui/iframe/
 */
export const CUSTOM_UI_SANDBOX = 'allow-downloads allow-forms allow-modals allow-pointer-lock allow-same-origin allow-scripts';
/** The iframe's feature policies from the same page. */
const CUSTOM_UI_ALLOW = 'camera; clipboard-write; display-capture; fullscreen; microphone';

async function frame(
  jira: JsmLike,
  mod: UiModuleDef | undefined,
  as: string,
  theme: ColorMode,
  params: Record<string, string>,
  height: number,
): Promise<string> {
  if (!mod) return '<p class="muted">The app declares no module for this page.</p>';
  if (mod.displayConditions) {
    const ext = await buildExtension(jira, mod, { accountId: as, issueKey: params['issueKey'], projectKey: params['projectKey'] });
    // Jira leaves the module out; say so here, since this page is for developers.
    if (!isDisplayed(mod.type, mod.displayConditions, ext))
      return `<p class="muted" data-hidden-module="${esc(mod.key)}">The app's ${esc(mod.key)} is not shown here (its display conditions are false).</p>`;
  }
  const q = new URLSearchParams({ as, theme, ...params });
  return `<div class="panel"><iframe title="${esc(mod.key)}" src="/ui/${encodeURIComponent(mod.key)}/?${esc(q.toString())}" sandbox="${CUSTOM_UI_SANDBOX}" allow="${CUSTOM_UI_ALLOW}" style="height:${height}px"></iframe></div>`;
}

export class Pages {
  constructor(private readonly c: Ctx) {}

  private userOr400(res: ServerResponse, url: URL): string | undefined {
    const as = url.searchParams.get('as') ?? '';
    if (!this.c.jira.users.some((u) => u.accountId === as)) {
      sendJiraError(res, 400, 'Choose a user to act as: add ?as=<accountId> of a seeded user (see /).');
      return undefined;
    }
    return as;
  }

  private page(res: ServerResponse, req: IncomingMessage, title: string, as: string | undefined, body: string, scripts?: string): void {
    sendHtml(res, 200, layout({ title, colorMode: colorModeOf(req.headers.cookie), users: this.c.jira.users, as, siteName: this.c.jira.url, body, scripts }));
  }

  async index(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const as = url.searchParams.get('as') ?? undefined;
    const projects = await jiraJson(this.c.jira, { type: 'app' }, '/rest/api/3/project/search?maxResults=50');
    const q = as ? `?as=${encodeURIComponent(as)}` : '';
    const rows =
      projects.ok && Array.isArray(projects.body['values'])
        ? (projects.body['values'] as J[])
            .map(
              (p) => `<tr><td>${esc(p['key'])}</td><td>${esc(p['name'])}</td><td>
<a href="/jira/projects/${encodeURIComponent(p['key'])}/queue${q}">Queue</a> · <a href="/jira/projects/${encodeURIComponent(p['key'])}/chats${q}">Chats</a> ·
<a href="/jira/projects/${encodeURIComponent(p['key'])}/settings/chat${q}">Chat settings</a></td></tr>`,
            )
            .join('')
        : `<tr><td colspan="3" class="error">${esc(jiraErrorText(projects.body))}</td></tr>`;
    const users = this.c.jira.users
      .map(
        (u) =>
          `<li><a href="/?as=${encodeURIComponent(u.accountId)}">${esc(u.displayName)}</a> <span class="muted">${esc(u.emailAddress ?? '')} · ${esc(u.accountId)}</span></li>`,
      )
      .join('');
    this.page(
      res,
      req,
      'Home',
      as,
      `<h1>Local Jira site</h1>
<p class="muted">Site ${esc(this.c.jira.url)} · cloudId ${esc(this.c.jira.cloudId)}</p>
<h3>Act as</h3><ul>${users}</ul>
<h3>Projects</h3><table><tr><th>Key</th><th>Name</th><th></th></tr>${rows}</table>
<p><a href="/jira/admin/chat${q}">Chat administration (app admin page)</a></p>`,
    );
  }

  private async commentsHtml(as: string, key: string): Promise<string> {
    const r = await jiraJson(
      this.c.jira,
      { type: 'user', accountId: as },
      `/rest/api/3/issue/${encodeURIComponent(key)}/comment?orderBy=created&maxResults=100`,
    );
    if (!r.ok) return `<p class="error">${esc(jiraErrorText(r.body))}</p>`;
    const list = Array.isArray(r.body['comments']) ? (r.body['comments'] as J[]) : [];
    if (list.length === 0) return '<p class="muted">No comments yet.</p>';
    return list
      .map((c) => {
        const internal = c['jsdPublic'] === false;
        return `<div class="comment"><div class="meta"><strong>${esc(c['author']?.['displayName'] ?? 'Unknown')}</strong> · ${esc(c['created'])}
<span class="lozenge ${internal ? 'internal' : 'public'}">${internal ? 'Internal note' : 'Reply to customer'}</span></div><div class="body">${esc(adfToText(c['body']))}</div></div>`;
      })
      .join('');
  }

  async browse(req: IncomingMessage, res: ServerResponse, url: URL, rawKey: string): Promise<void> {
    const key = IssueKey.safeParse(rawKey);
    if (!key.success) return sendJiraError(res, 400, 'The issue key is not valid.');
    const as = this.userOr400(res, url);
    if (!as) return;
    const issue = await jiraJson(
      this.c.jira,
      { type: 'user', accountId: as },
      `/rest/api/3/issue/${encodeURIComponent(key.data)}?fields=summary,status,reporter,project,created`,
    );
    if (!issue.ok)
      return sendHtml(
        res,
        issue.status === 404 ? 404 : 502,
        layout({
          title: key.data,
          colorMode: colorModeOf(req.headers.cookie),
          users: this.c.jira.users,
          as,
          siteName: this.c.jira.url,
          body: `<h1>${esc(key.data)}</h1><p class="error">${esc(jiraErrorText(issue.body))}</p>`,
        }),
      );
    const f = (issue.body['fields'] ?? {}) as J;
    const projectKey = String(f['project']?.['key'] ?? key.data.split('-')[0]);
    const q = `?as=${encodeURIComponent(as)}`;
    const err = url.searchParams.get('error');
    const body = `<p class="muted"><a href="/jira/projects/${encodeURIComponent(projectKey)}/queue${q}">${esc(projectKey)} queue</a> / ${esc(key.data)}</p>
<div class="layout"><section>
<h1>${esc(f['summary'])}</h1>
<p><span class="lozenge">${esc(f['status']?.['name'] ?? '')}</span> · Reporter: ${esc(f['reporter']?.['displayName'] ?? 'unknown')}</p>
<h3>Activity</h3><div id="comments">${await this.commentsHtml(as, key.data)}</div>
<form method="post" action="/jira/browse/${encodeURIComponent(key.data)}/comment${q}" style="margin-top:16px">
${err ? `<p class="error">${esc(err)}</p>` : ''}
<textarea name="body" placeholder="Write a reply or an internal note" required></textarea>
<p><label><input type="radio" name="kind" value="public" checked> Reply to customer</label>
<label><input type="radio" name="kind" value="internal"> Add internal note</label> <button type="submit">Save</button></p></form>
</section><aside>${await frame(this.c.jira, moduleOfType(this.c.manifest, 'jira:issueContext'), as, colorModeOf(req.headers.cookie), { issueKey: key.data, projectKey }, 640)}</aside></div>`;
    const refresh = `<script>setInterval(function () {
  fetch('/jira/browse/${encodeURIComponent(key.data)}/comments${q}').then(function (r) { return r.ok ? r.text() : null; })
    .then(function (h) { if (h !== null) document.getElementById('comments').innerHTML = h; }).catch(function () {});
}, ${COMMENT_REFRESH_MS});</script>`;
    this.page(res, req, key.data, as, body, refresh);
  }

  async commentsFragment(res: ServerResponse, url: URL, rawKey: string): Promise<void> {
    const key = IssueKey.safeParse(rawKey);
    if (!key.success) return sendJiraError(res, 400, 'The issue key is not valid.');
    const as = this.userOr400(res, url);
    if (!as) return;
    sendHtml(res, 200, await this.commentsHtml(as, key.data));
  }

  async addComment(req: IncomingMessage, res: ServerResponse, url: URL, rawKey: string): Promise<void> {
    const key = IssueKey.safeParse(rawKey);
    if (!key.success) return sendJiraError(res, 400, 'The issue key is not valid.');
    const as = this.userOr400(res, url);
    if (!as) return;
    let form: URLSearchParams;
    try {
      form = new URLSearchParams((await readBody(req, MAX_FORM_BODY_BYTES)).toString('utf8'));
    } catch (err) {
      return sendJiraError(res, err instanceof BodyTooLarge ? 413 : 400, 'The comment could not be read.');
    }
    const back = (error?: string) =>
      `/jira/browse/${encodeURIComponent(key.data)}?as=${encodeURIComponent(as)}${error ? `&error=${encodeURIComponent(error)}` : ''}`;
    const parsed = CommentForm.safeParse({ body: form.get('body') ?? '', kind: form.get('kind') ?? 'public' });
    if (!parsed.success) return redirect(res, back(parsed.error.issues[0]?.message ?? 'invalid comment'));
    const payload = {
      body: textToAdf(parsed.data.body),
      ...(parsed.data.kind === 'internal' ? { properties: [{ key: 'sd.public.comment', value: { internal: true } }] } : {}),
    };
    const r = await jiraJson(this.c.jira, { type: 'user', accountId: as }, `/rest/api/3/issue/${encodeURIComponent(key.data)}/comment`, {
      method: 'POST',
      body: JSON.stringify(payload),
    });
    redirect(res, back(r.ok ? undefined : jiraErrorText(r.body)));
  }

  async queue(req: IncomingMessage, res: ServerResponse, url: URL, rawKey: string): Promise<void> {
    const key = ProjectKey.safeParse(rawKey);
    if (!key.success) return sendJiraError(res, 400, 'The project key is not valid.');
    const as = this.userOr400(res, url);
    if (!as) return;
    const jql = `project = ${key.data} ORDER BY created DESC`;
    const r = await jiraJson(
      this.c.jira,
      { type: 'user', accountId: as },
      `/rest/api/3/search/jql?${new URLSearchParams({ jql, fields: 'summary,status,reporter,created', maxResults: '100' })}`,
    );
    const q = `?as=${encodeURIComponent(as)}`;
    const rows =
      r.ok && Array.isArray(r.body['issues'])
        ? (r.body['issues'] as J[])
            .map(
              (i) => `<tr><td><a href="/jira/browse/${encodeURIComponent(i['key'])}${q}">${esc(i['key'])}</a></td><td>${esc(i['fields']?.['summary'])}</td>
<td><span class="lozenge">${esc(i['fields']?.['status']?.['name'] ?? '')}</span></td><td>${esc(i['fields']?.['reporter']?.['displayName'] ?? '')}</td><td class="muted">${esc(i['fields']?.['created'] ?? '')}</td></tr>`,
            )
            .join('') || '<tr><td colspan="5" class="muted">No requests.</td></tr>'
        : `<tr><td colspan="5" class="error">${esc(jiraErrorText(r.body))}</td></tr>`;
    this.page(
      res,
      req,
      `${key.data} queue`,
      as,
      `<h1>${esc(key.data)}: all requests</h1>
<p><a href="/jira/projects/${encodeURIComponent(key.data)}/chats${q}">Chats</a> · <a href="/jira/projects/${encodeURIComponent(key.data)}/settings/chat${q}">Chat settings</a></p>
<table><tr><th>Key</th><th>Summary</th><th>Status</th><th>Reporter</th><th>Created</th></tr>${rows}</table>`,
    );
  }

  async modulePage(req: IncomingMessage, res: ServerResponse, url: URL, type: string, title: string, projectKeyRaw?: string): Promise<void> {
    let params: Record<string, string> = {};
    if (projectKeyRaw !== undefined) {
      const key = ProjectKey.safeParse(projectKeyRaw);
      if (!key.success) return sendJiraError(res, 400, 'The project key is not valid.');
      params = { projectKey: key.data };
    }
    const as = this.userOr400(res, url);
    if (!as) return;
    const q = `?as=${encodeURIComponent(as)}`;
    const crumbs = params['projectKey']
      ? `<p class="muted"><a href="/jira/projects/${encodeURIComponent(params['projectKey'])}/queue${q}">${esc(params['projectKey'])}</a> / ${esc(title)}</p>`
      : '';
    this.page(
      res,
      req,
      title,
      as,
      `${crumbs}<h1>${esc(title)}</h1>${await frame(this.c.jira, moduleOfType(this.c.manifest, type), as, colorModeOf(req.headers.cookie), params, 900)}`,
    );
  }
}
