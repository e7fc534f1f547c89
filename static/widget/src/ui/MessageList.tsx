import { useEffect, useRef, useState } from 'preact/hooks';
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
  typing: string | null;
  ended: boolean;
  hasMore: boolean;
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`;
}

function Attachment({ m, ctl, urls }: { m: ViewMessage; ctl: Controller; urls: Record<string, string> }) {
  const a = m.attachment!;
  const url = a.id ? urls[a.id] : undefined;
  const [broken, setBroken] = useState(false);
  // A preview the service will not let us embed (or an expired link) falls back to the file chip.
  const image = a.mime.startsWith('image/') && !broken;
  useEffect(() => {
    if (a.id && image && m.id) ctl.requestUrl(a.id);
  }, [a.id, m.id]);
  const label = `${a.name} (${size(a.size)})`;
  return (
    <>
      {image && url && <img class="preview" src={url} alt={a.name} onError={() => setBroken(true)} />}
      {url ? (
        <a class="chip" href={url} target="_blank" rel="noopener noreferrer">
          <ClipIcon />
          {label}
        </a>
      ) : (
        <button type="button" class="chip link-plain" style="border:0;background:none;padding:0;color:inherit" onClick={() => a.id && m.id && ctl.requestUrl(a.id)}>
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

export function MessageList({ ctl, t, lang, greeting, teamName, messages, urls, typing, ended, hasMore }: Props) {
  const log = useRef<HTMLDivElement>(null);
  const last = messages[messages.length - 1];
  // "Sent"/"Seen" only under the newest own message; pending and failed ones always say so.
  const lastMine = [...messages].reverse().find((m) => m.kind === 'customer')?.key;
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [last?.key, last?.delivery, typing]);
  return (
    <>
      <div class="log" ref={log} role="log" aria-live="polite" aria-label={t.messages} tabIndex={0}>
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
            <div key={m.key} class={`row ${mine ? 'mine' : m.kind}`} data-client-id={m.clientMsgId} data-id={m.id}>
              {!mine && m.kind === 'agent' && (
                <div class="meta">
                  {m.name || t.agent} · {formatTime(m.at, lang)}
                </div>
              )}
              <div class="bubble">
                {m.attachment ? <Attachment m={m} ctl={ctl} urls={urls} /> : m.text}
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
        {ended && <div class="row system"><div class="bubble">{t.ended}</div></div>}
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
