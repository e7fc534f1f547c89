/** The Jira-ish frame of the server-rendered pages (top bar, user picker, theme switch). */
import { esc } from './http.js';
import type { ColorMode } from './theme.js';
import type { JsmUser } from './types.js';

export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.43 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:var(--ds-surface);color:var(--ds-text)}
a{color:var(--ds-link);text-decoration:none}a:hover{text-decoration:underline}
header.top{display:flex;gap:16px;align-items:center;height:56px;padding:0 16px;border-bottom:1px solid var(--ds-border);background:var(--ds-elevation-surface-raised)}
header.top .brand{font-weight:600;color:var(--ds-text-brand)}
header.top .spacer{flex:1}
main{padding:16px 24px;max-width:1400px}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:24px}
.panel{border:1px solid var(--ds-border);border-radius:6px;background:var(--ds-elevation-surface-raised);box-shadow:var(--ds-shadow-raised)}
.panel iframe{width:100%;border:0;display:block;background:transparent}
h1{font-size:24px;font-weight:500;margin:8px 0 16px}
.lozenge{display:inline-block;padding:0 4px;border-radius:3px;font-size:11px;font-weight:700;text-transform:uppercase;background:var(--ds-background-neutral);color:var(--ds-text-subtle)}
.lozenge.internal{background:var(--ds-background-warning);color:var(--ds-text-warning)}
.lozenge.public{background:var(--ds-background-information);color:var(--ds-text-information)}
.comment{padding:12px 0;border-bottom:1px solid var(--ds-border)}
.comment .meta{color:var(--ds-text-subtle);font-size:12px;margin-bottom:4px}
.comment .body{white-space:pre-wrap}
textarea,select,input{font:inherit;color:var(--ds-text);background:var(--ds-background-input);border:2px solid var(--ds-border-input);border-radius:3px;padding:6px 8px}
textarea{width:100%;min-height:80px}
button{font:inherit;font-weight:500;border:0;border-radius:3px;padding:6px 12px;cursor:pointer;background:var(--ds-background-brand-bold);color:var(--ds-text-inverse)}
button.subtle{background:var(--ds-background-neutral);color:var(--ds-text)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:8px;border-bottom:1px solid var(--ds-border)}
th{color:var(--ds-text-subtle);font-size:12px}
.muted{color:var(--ds-text-subtlest)}
.error{color:var(--ds-text-danger)}
`;

export interface LayoutOpts {
  title: string;
  colorMode: ColorMode;
  users: readonly JsmUser[];
  as?: string;
  siteName: string;
  body: string;
  scripts?: string;
}

export function layout(o: LayoutOpts): string {
  const options = o.users.map((u) => `<option value="${esc(u.accountId)}"${u.accountId === o.as ? ' selected' : ''}>${esc(u.displayName)}</option>`).join('');
  const next = o.colorMode === 'dark' ? 'light' : 'dark';
  return `<!doctype html>
<html lang="en" data-color-mode="${o.colorMode}">
<head><meta charset="utf-8"><title>${esc(o.title)} - ${esc(o.siteName)}</title>
<link rel="stylesheet" href="/ui-theme.css"><style>${PAGE_CSS}</style></head>
<body>
<header class="top"><a class="brand" href="/${o.as ? `?as=${encodeURIComponent(o.as)}` : ''}">Jira (local)</a><span class="muted">${esc(o.siteName)}</span><span class="spacer"></span>
<label class="muted">Acting as <select id="as-picker">${o.as ? '' : '<option value="">choose a user</option>'}${options}</select></label>
<button class="subtle" id="theme-switch" type="button">${next === 'dark' ? 'Dark' : 'Light'} theme</button></header>
<main>${o.body}</main>
<script>
document.getElementById('as-picker').addEventListener('change', function (e) {
  var u = new URL(location.href); u.searchParams.set('as', e.target.value); location.assign(u.href);
});
window.addEventListener('message', function (e) {
  if (e.origin !== location.origin || !e.data || e.data.type !== 'forge-host:resize') return;
  var frames = document.querySelectorAll('iframe');
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].contentWindow === e.source) frames[i].style.height = Math.max(120, Math.min(4000, Number(e.data.height) || 0)) + 'px';
  }
});
// router.navigate / router.open from a frame: the sandboxed frame may neither open popups nor
// move this page, so the page does it, like Jira. An external URL asks the user first and a
// "no" rejects the router's promise. https://developer.atlassian.com/platform/forge/custom-ui-bridge/router/
window.addEventListener('message', function (e) {
  if (e.origin !== location.origin || !e.data || e.data.type !== 'forge-host:navigate') return;
  var from = null, frames = document.querySelectorAll('iframe');
  for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === e.source) from = e.source;
  if (!from) return;
  var ok = false;
  try {
    var u = new URL(String(e.data.url), location.href);
    if (u.protocol === 'http:' || u.protocol === 'https:') {
      ok = u.origin === location.origin || window.confirm('This link leaves the site and opens ' + u.origin + '. Continue?');
      if (ok && e.data.newTab) window.open(u.href, '_blank', 'noopener');
      else if (ok) setTimeout(function () { location.assign(u.href); }, 0);
    }
  } catch (err) { ok = false; }
  from.postMessage({ type: 'forge-host:navigate-result', id: e.data.id, ok: ok }, location.origin);
});
document.getElementById('theme-switch').addEventListener('click', function () {
  document.cookie = 'forge-host-theme=${next}; path=/; SameSite=Lax'; location.reload();
});
</script>${o.scripts ?? ''}
</body></html>`;
}

export function colorModeOf(cookieHeader: string | undefined): ColorMode {
  return /(?:^|;\s*)forge-host-theme=dark(?:;|$)/.test(cookieHeader ?? '') ? 'dark' : 'light';
}
