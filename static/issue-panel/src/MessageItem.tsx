import type { ChatMessage } from '../../../src/protocol/model.js';
import { clock } from '../../ui-kit/format.js';
import { AttachmentView } from './AttachmentView.js';
import { t } from './strings.js';

interface Props {
  message: ChatMessage;
  own: boolean;
  seen: boolean;
  now: number;
  issueKey: string;
}

/** Customer on the left, the team on the right, system notes centred. */
export function MessageItem({ message: m, own, seen, now, issueKey }: Props) {
  const side = m.author.kind === 'customer' ? 'them' : m.author.kind === 'system' ? 'system' : 'us';
  return (
    <article class={`msg ${side}${own ? ' own' : ''}`} data-id={m.id}>
      <div class="meta">
        <span class="author">{own ? t.you : m.author.name}</span>
        <time dateTime={m.at} title={new Date(m.at).toLocaleString()}>
          {clock(m.at, now)}
        </time>
      </div>
      {m.text ? <div class="bubble">{m.text}</div> : null}
      {m.attachment ? <AttachmentView issueKey={issueKey} attachment={m.attachment} /> : null}
      {seen ? <div class="seen muted">{t.seen}</div> : null}
    </article>
  );
}
