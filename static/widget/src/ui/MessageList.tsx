import { useEffect, useState } from 'preact/hooks';
import { useStickToBottom } from '../../../ui-kit/stick.js';
import type { Controller } from '../controller.js';
import { formatTime, type Lang, type Strings } from '../i18n.js';
import type { ViewMessage } from '../messages.js';
import { ClipIcon } from './icons.js';

interface Props {
  ctl: Controller;
  t: Strings;
  lang: Lang;
  greeting: string;
  teamName: string;
  messages: ViewMessage[];
  urls: Record<string, string>;
  expired: Record<string, true>;
  typing: string | null;
  ended: boolean;
  hasMore: boolean;
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

function Attachment({ m, ctl, t, urls, expired }: { m: ViewMessage; ctl: Controller; t: Strings; urls: Record<string, string>; expired: boolean }) {
  const a = m.attachment!;
  const url = a.id ? urls[a.id] : undefined;
  const [broken, setBroken] = useState(false);
  // A preview the service will not let us embed falls back to the file chip.
  const image = a.mime.startsWith('image/') && !broken && !expired;
  useEffect(() => {
    if (a.id && image && m.id) ctl.requestUrl(a.id);
  }, [a.id, m.id]);
  const label = `${a.name} (${size(a.size)})`;
  if (expired) {
    return (
      <>
        <span class="chip expired">
          <ClipIcon />
          {label}
        </span>
        <div class="file-note" role="note">
          {t.fileExpired}
        </div>
      </>
    );
  }
  // The preview's link ran out (it was loaded long ago and the element re-rendered): renew it.
  const onImageError = () => (a.id && !ctl.hasFreshUrl(a.id) ? ctl.requestUrl(a.id, true) : setBroken(true));
  return (
    <>
      {image && url && <img class="preview" src={url} alt={a.name} onError={onImageError} />}
      {url ? (
        <a
          class="chip"
          href={url}
          target="_blank"
          rel="noopener noreferrer"
          onClick={(e) => {
            if (a.id && !ctl.openFile(a.id)) e.preventDefault();
          }}
        >
          <ClipIcon />
          {label}
        </a>
      ) : (
        <button
          type="button"
          class="chip link-plain"
          style="border:0;background:none;padding:0;color:inherit"
          onClick={() => a.id && m.id && ctl.openFile(a.id)}
        >
          <ClipIcon />
          {label}
        </button>
      )}
    </>
  );
}

function Delivery({ m, t, ctl }: { m: ViewMessage; t: Strings; ctl: Controller }) {
  if (m.delivery === 'failed') {
    return (
      <div class="state failed" role="status">
        {m.error === 'too_large' ? t.tooLarge : m.error === 'unsupported_type' ? t.unsupported : m.error ? t.uploadFailed : t.failed}
        {m.retryable !== false && (
          <button type="button" class="link" onClick={() => ctl.retry(m.clientMsgId!)}>
            {t.retry}
          </button>
        )}
      </div>
    );
  }
  const label = m.delivery === 'seen' ? t.seen : m.delivery === 'sent' ? t.sent : t.sending;
  return (
    <div class="state" data-state={m.delivery}>
      {label}
    </div>
  );
}

export function MessageList({ ctl, t, lang, greeting, teamName, messages, urls, expired, typing, ended, hasMore }: Props) {
  // At the newest message, a late-loading image must not push it out of view (ui-kit/stick.ts; the log has `overflow-anchor: none`).
  const log = useStickToBottom<HTMLDivElement>();
  const last = messages[messages.length - 1];
  // "Sent"/"Seen" only under the newest own message; pending and failed ones always say so.
  const lastMine = [...messages].reverse().find((m) => m.kind === 'customer')?.key;
  // A new message, a delivery state or the typing line: the visitor sees it, wherever they were.
  useEffect(log.stick, [last?.key, last?.delivery, typing]);
  return (
    <>
      <div
        class="log"
        ref={log.ref}
        role="log"
        aria-live="polite"
        aria-label={t.messages}
        tabIndex={0}
        onScroll={log.onScroll}
        // A new image grows the log after it loads: keep it in view (issue 11). Load events do not bubble: capture.
        onLoadCapture={log.follow}
      >
        {hasMore && (
          <button type="button" class="more" onClick={() => ctl.loadEarlier()}>
            {t.earlier}
          </button>
        )}
        {greeting && !hasMore && (
          <div class="row greeting">
            <div class="meta">{teamName}</div>
            <div class="bubble">{greeting}</div>
          </div>
        )}
        {messages.map((m) => {
          const mine = m.kind === 'customer';
          return (
            <div key={m.key} class={`row ${mine ? 'mine' : m.kind}${m.delivery === 'failed' ? ' failed' : ''}`} data-client-id={m.clientMsgId} data-id={m.id}>
              {!mine && m.kind === 'agent' && (
                <div class="meta">
                  {m.name || t.agent} · {formatTime(m.at, lang)}
                </div>
              )}
              {mine && (
                <div class="meta">
                  <time dateTime={m.at}>{formatTime(m.at, lang)}</time>
                </div>
              )}
              <div class="bubble">
                {m.attachment ? <Attachment m={m} ctl={ctl} t={t} urls={urls} expired={!!(m.attachment.id && expired[m.attachment.id])} /> : m.text}
                {m.progress !== undefined && (
                  <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(m.progress * 100)}>
                    <i style={`width:${Math.round(m.progress * 100)}%`} />
                  </div>
                )}
              </div>
              {mine && (m.key === lastMine || m.delivery === 'sending' || m.delivery === 'failed') && <Delivery m={m} t={t} ctl={ctl} />}
            </div>
          );
        })}
        {ended && (
          <div class="row system">
            <div class="bubble">{t.ended}</div>
          </div>
        )}
      </div>
      {typing !== null && (
        <div class="typing" aria-live="polite">
          <span class="dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t.typing(typing || t.agent)}
        </div>
      )}
    </>
  );
}
