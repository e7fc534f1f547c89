import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Controller } from '../controller.js';
import type { WidgetState } from '../state.js';
import { contrastRatio, textOn } from '../contrast.js';
import { formatWhen, pickLang, STRINGS, type Strings } from '../i18n.js';
import { Composer } from './Composer.js';
import { offerFiles } from './file-offer.js';
import { ChatIcon, CloseIcon } from './icons.js';
import { MessageList } from './MessageList.js';
import { StartForm, type FieldSpec } from './StartForm.js';

/** The same breakpoint as widget.css's full-screen panel. */
const MOBILE_QUERY = '(max-width: 479.98px)';

function useWidgetState(ctl: Controller): WidgetState {
  const [state, setState] = useState(ctl.state);
  useEffect(() => {
    const unsubscribe = ctl.subscribe(() => setState(ctl.state));
    // Effects run after paint: whatever changed since the first render (auth.ok on a fast
    // socket, a slow machine) would otherwise wait for the next change, which may never come.
    setState(ctl.state);
    return unsubscribe;
  }, [ctl]);
  return state;
}

function statusLine(s: WidgetState, t: Strings, lang: 'en' | 'de'): string {
  const a = s.availability!;
  // The last availability we heard may be stale: never claim "We're online" without a connection.
  if (!s.connected) return t.notConnected;
  if (a.state === 'online') return t.online;
  return a.nextOpenAt ? t.backAt(formatWhen(a.nextOpenAt, lang)) : t.away;
}

export function App({ ctl, settingsLocale }: { ctl: Controller; settingsLocale?: string }) {
  const s = useWidgetState(ctl);
  const launcher = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const [dragging, setDragging] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const wasOpen = useRef(false);

  // Focus follows the panel: into it on open, back to the launcher on close (layout effect: before anyone can observe the gap).
  useLayoutEffect(() => {
    if (s.open) (panel.current?.querySelector('textarea, input, select, .primary') as HTMLElement | null)?.focus();
    else if (wasOpen.current) {
      // Back to the launcher, unless a host API call closed us while the visitor works elsewhere on the page.
      const active = document.activeElement;
      const host = (launcher.current?.getRootNode() as ShadowRoot | undefined)?.host;
      if (!active || active === document.body || active === host) launcher.current?.focus();
    }
    wasOpen.current = s.open;
  }, [s.open]);

  // On a phone the panel covers the page: the page behind must not scroll under the visitor's finger.
  useEffect(() => {
    if (!s.open || !matchMedia(MOBILE_QUERY).matches) return;
    const root = document.documentElement;
    const before = [root.style.overflow, document.body.style.overflow];
    root.style.overflow = 'hidden';
    document.body.style.overflow = 'hidden';
    return () => {
      root.style.overflow = before[0]!;
      document.body.style.overflow = before[1]!;
    };
  }, [s.open]);

  // When the form gives way to the chat, the focused button disappears: hand focus to the composer.
  const inChat = !!s.conversationId || s.messages.length > 0;
  useLayoutEffect(() => {
    if (s.open && inChat) (panel.current?.querySelector('textarea') as HTMLElement | null)?.focus();
  }, [inChat]);

  const c = s.config;
  const a = s.availability;
  if (s.phase !== 'ready' || !c || !a) return null;
  const hasConversation = !!s.conversationId || s.messages.length > 0;
  if (!a.visible && !hasConversation) return null;

  const lang = pickLang(c.locale, settingsLocale, navigator.language);
  const t = STRINGS[lang];
  const online = a.state === 'online';
  const brandInk = contrastRatio(c.color, '#ffffff') >= 3 ? c.color : '#172b4d';
  const style = `--brand:${c.color};--on-brand:${textOn(c.color)};--brand-ink:${brandInk}`;

  const customer = s.customer;
  const nameField: FieldSpec = { id: 'name', label: t.name, type: 'text', required: true, builtin: 'name', value: customer?.name ?? '' };
  const emailField: FieldSpec = { id: 'email', label: t.email, type: 'email', required: true, builtin: 'email', value: customer?.email ?? '' };

  let body;
  if (!online && (!hasConversation || s.offline === 'sent')) {
    body =
      s.offline === 'sent' ? (
        <div class="thanks" role="status">
          {t.thanks}
        </div>
      ) : (
        <StartForm
          t={t}
          idPrefix="off"
          intro={c.offlineText}
          fields={[nameField, emailField]}
          submitLabel={t.sendOffline}
          onSubmit={(p, text) => ctl.sendText(text, p, true)}
        />
      );
  } else {
    const fields: FieldSpec[] = [
      ...(c.requireName && !customer?.name ? [nameField] : []),
      ...(c.requireEmail && !customer?.email ? [emailField] : []),
      ...c.prechatFields.map((f) => ({ id: f.id, label: f.label, type: f.type, required: f.required, options: f.options })),
    ];
    body =
      !hasConversation && fields.length ? (
        <StartForm
          t={t}
          idPrefix="pre"
          intro={c.greeting || t.prechatIntro}
          fields={fields}
          submitLabel={t.startChat}
          onSubmit={(p, text) => ctl.sendText(text, p)}
        />
      ) : (
        <>
          {!online && <div class="notice">{c.offlineText}</div>}
          <MessageList
            ctl={ctl}
            t={t}
            lang={lang}
            greeting={c.greeting}
            teamName={c.teamName}
            messages={s.messages}
            urls={s.urls}
            expired={s.expired}
            typing={s.typing}
            ended={s.ended}
            hasMore={s.hasMore}
          />
          {s.ended ? (
            // A closed chat: a clear next step instead of a composer that seems to talk to no one.
            <div class="ended-actions">
              {s.closedId && <Rating ctl={ctl} t={t} rated={s.rated} />}
              <button class="primary start-new" type="button" onClick={() => ctl.startNew()}>
                {t.startNew}
              </button>
            </div>
          ) : (
            <Composer ctl={ctl} t={t} canAttach={c.attachments && !!s.conversationId} notice={refusal} setNotice={setRefusal} />
          )}
        </>
      );
  }

  const canDrop = c.attachments && !!s.conversationId;
  const label = s.open ? t.closeChat : s.unread ? `${t.openChat}, ${t.unread(s.unread)}` : t.openChat;
  return (
    <div class={`root ${c.position === 'left' ? 'left' : ''} ${s.open ? 'open' : ''}`} style={style} lang={lang}>
      {s.open && (
        <section
          ref={panel}
          class="panel"
          role="dialog"
          aria-label={c.teamName}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              ctl.setOpen(false);
            }
          }}
          onDragOver={(e) => {
            if (!canDrop) return;
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
          onDrop={(e) => {
            if (!canDrop) return;
            e.preventDefault();
            setDragging(false);
            setRefusal(offerFiles(Array.from(e.dataTransfer?.files ?? []), ctl, t));
          }}
        >
          <header class="head">
            <div class="titles">
              <h2>{c.teamName}</h2>
              <p class="status">
                <span class={`dot ${online && s.connected ? 'on' : ''}`} aria-hidden="true" />
                {statusLine(s, t, lang)}
              </p>
            </div>
            <button type="button" class="icon-btn" aria-label={t.closeChat} onClick={() => ctl.setOpen(false)}>
              <CloseIcon />
            </button>
          </header>
          {!s.connected && (
            <div class="notice" role="status">
              {t.reconnecting}
            </div>
          )}
          <div class="body">
            {body}
            {dragging && <div class="drop">{t.dropFiles}</div>}
          </div>
        </section>
      )}
      <button ref={launcher} type="button" class="launcher" aria-label={label} aria-expanded={s.open} onClick={() => ctl.setOpen(!s.open)}>
        {s.open ? <CloseIcon /> : <ChatIcon />}
        {!s.open && s.unread > 0 && (
          <span class="badge" aria-hidden="true">
            {s.unread > 99 ? '99+' : s.unread}
          </span>
        )}
      </button>
    </div>
  );
}

/** After a chat closes: 1–5 and an optional comment, recorded as the request's feedback in JSM. */
function Rating({ ctl, t, rated }: { ctl: Controller; t: Strings; rated: 0 | 1 | 2 }) {
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  if (rated === 2) return <p role="status">{t.rateThanks}</p>;
  return (
    <form class="rating" onSubmit={(e) => (e.preventDefault(), stars && ctl.rate(stars, comment))}>
      <fieldset>
        <legend>{t.rateAsk}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <button type="button" aria-label={t.rateStar(n)} aria-pressed={n === stars} class={n <= stars ? 'on' : ''} onClick={() => setStars(n)}>
            ★
          </button>
        ))}
      </fieldset>
      {stars > 0 && (
        <>
          <textarea
            aria-label={t.rateComment}
            placeholder={t.rateComment}
            maxLength={1000}
            value={comment}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
          <button class="primary" type="submit" disabled={rated === 1}>
            {t.send}
          </button>
        </>
      )}
    </form>
  );
}
