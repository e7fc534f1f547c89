/**
 * The script injected into every Custom UI page before the app's own scripts: it defines
 * `window.__bridge.callBridge(name, args)`, the one entry point the unmodified @forge/bridge
 * uses (it grabs it when its modules load). Calls that need the backend go to the host over
 * `POST /bridge/<frameId>/<op>`.
 */
import { scriptJson } from './http.js';
import type { ColorMode } from './theme.js';

export interface FrameBoot {
  frameId: string;
  context: Record<string, unknown>;
  colorMode: ColorMode;
  /** Jira-like page URL of an issue, with `{key}` for the issue key (router targets). */
  issueUrlTemplate: string;
  asAccountId: string;
}

// Plain ES2017 (no build step); the host fills BOOT.
const CLIENT = String.raw`
(function () {
  'use strict';
  var BOOT = __BOOT__;
  function post(op, body) {
    return fetch('/bridge/' + encodeURIComponent(BOOT.frameId) + '/' + op, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.text().then(function (t) {
        var j = null; try { j = t ? JSON.parse(t) : null; } catch (e) { j = null; }
        if (!r.ok) throw new Error((j && j.message) || ('The local Forge host answered ' + r.status));
        return j;
      });
    });
  }
  function applyTheme() {
    var html = document.documentElement;
    html.setAttribute('data-color-mode', BOOT.colorMode);
    html.setAttribute('data-theme', 'light:light dark:dark spacing:spacing typography:typography');
    if (!document.getElementById('forge-host-tokens')) {
      var link = document.createElement('link');
      link.id = 'forge-host-tokens'; link.rel = 'stylesheet'; link.href = '/ui-theme.css';
      document.head.appendChild(link);
    }
  }
  // Jira-relative links (router.open('/browse/KEY')) go to the matching Jira-like page.
  function mapJiraUrl(u) {
    var m = /^(?:https?:\/\/[^/]+)?\/browse\/([A-Z][A-Z0-9_]*-[0-9]+)/.exec(u);
    if (m) return BOOT.issueUrlTemplate.replace('{key}', m[1]);
    m = /^(?:https?:\/\/[^/]+)?\/jira\/servicedesk\/projects\/([A-Z][A-Z0-9_]*)/.exec(u);
    if (m) return '/jira/projects/' + m[1] + '/queue?as=' + encodeURIComponent(BOOT.asAccountId);
    return u;
  }
  function urlOf(loc) {
    if (!loc) return null;
    if (loc.url) return mapJiraUrl(loc.url);
    if (loc.target === 'issue' && loc.issueKey) return BOOT.issueUrlTemplate.replace('{key}', encodeURIComponent(loc.issueKey));
    if (loc.target === 'projectSettingsDetails' && loc.projectKey) return '/jira/projects/' + encodeURIComponent(loc.projectKey) + '/settings/chat?as=' + encodeURIComponent(BOOT.asAccountId);
    return null;
  }
  // Jira shows flags in its own chrome; the sandbox shows them in the frame's corner.
  function showFlag(a) {
    if (!a || !document.body) return;
    var box = document.createElement('div');
    box.id = 'forge-host-flag-' + a.id;
    box.setAttribute('role', 'status');
    box.style.cssText = 'position:fixed;right:12px;bottom:12px;max-width:320px;padding:12px 16px;border-radius:6px;z-index:2147483647;font:14px system-ui;box-shadow:0 8px 12px rgba(9,30,66,.25);background:' + (a.type === 'error' ? '#C9372C' : a.type === 'success' ? '#1F845A' : '#0C66E4') + ';color:#fff';
    var t = document.createElement('strong'); t.textContent = String(a.title || ''); box.appendChild(t);
    if (a.description) { var d = document.createElement('div'); d.textContent = String(a.description); box.appendChild(d); }
    document.body.appendChild(box);
    if (a.isAutoDismiss) setTimeout(function () { box.remove(); }, 5000);
  }
  // The frame is sandboxed without allow-popups / allow-top-navigation (as in Jira): the page
  // around it opens or navigates, and answers whether it did.
  var pending = {}, nextId = 1;
  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || !e.data || e.data.type !== 'forge-host:navigate-result' || !pending[e.data.id]) return;
    var p = pending[e.data.id]; delete pending[e.data.id];
    if (e.data.ok) p.resolve(); else p.reject(new Error('The user declined to open the link'));
  });
  function askPage(u, newTab) {
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ type: 'forge-host:navigate', id: id, url: new URL(u, location.href).href, newTab: newTab }, location.origin);
    });
  }
  function clone(v) { return JSON.parse(JSON.stringify(v)); }
  var handlers = {
    invoke: function (a) {
      // invokeRemote: {path, method, headers, body, invokeType} -> {success, payload|error}
      if (a && a.invokeType) return post('invoke', a);
      return post('invoke', { functionKey: a.functionKey, payload: a.payload }).then(function (j) {
        return a.metadata ? { body: j.body, metadata: {} } : j.body;
      });
    },
    getContext: function () { var c = clone(BOOT.context); c.theme = { colorMode: BOOT.colorMode }; return Promise.resolve(c); },
    enableTheming: function () { applyTheme(); return Promise.resolve(); },
    navigate: function (a) {
      var u = urlOf(a);
      if (!u) return Promise.reject(new Error('navigation target not supported by the local Forge host'));
      if (window.parent !== window) return askPage(u, a.type === 'new-tab');
      // A frame opened on its own (no Jira-like page around it) navigates itself.
      location.assign(u);
      return Promise.resolve();
    },
    getUrl: function (a) { var u = urlOf(a); return Promise.resolve(u ? new URL(u, location.href).href : null); },
    reload: function () { (window.top || window).location.reload(); return Promise.resolve(); },
    fetchProduct: function (a) { return post('fetchProduct', a); },
    fetchRemote: function (a) { return post('fetchRemote', a); },
    emitReadyEvent: function () { return Promise.resolve(); },
    on: function () { return Promise.resolve({ unsubscribe: function () {} }); },
    onPublic: function () { return Promise.resolve({ unsubscribe: function () {} }); },
    emit: function () { return Promise.resolve(); },
    emitPublic: function () { return Promise.resolve(); },
    showFlag: function (a) { showFlag(a); return Promise.resolve(); },
    closeFlag: function (a) { var el = document.getElementById('forge-host-flag-' + (a && a.id)); if (el) el.remove(); return Promise.resolve(); },
    changeWindowTitle: function () { return Promise.resolve(); },
    getFrameId: function () { return Promise.resolve(BOOT.frameId); }
  };
  // Jira sizes an app's iframe to its content; the host page listens for this message.
  if (window.parent !== window && typeof ResizeObserver === 'function') {
    var lastHeight = 0;
    var report = function () {
      var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (h !== lastHeight) { lastHeight = h; window.parent.postMessage({ type: 'forge-host:resize', height: h }, location.origin); }
    };
    document.addEventListener('DOMContentLoaded', function () { new ResizeObserver(report).observe(document.documentElement); report(); });
  }
  window.__bridge = {
    callBridge: function (name, args) {
      var h = handlers[name];
      if (!h) return Promise.reject(new Error('"' + name + '" is not supported by the local Forge host'));
      try { return h(args); } catch (e) { return Promise.reject(e); }
    }
  };
})();
`;

export function bridgeScript(boot: FrameBoot): string {
  return CLIENT.replace('__BOOT__', scriptJson(boot));
}
