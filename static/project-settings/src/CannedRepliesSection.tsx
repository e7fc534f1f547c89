import { useEffect, useState } from 'preact/hooks';
import { MAX_CANNED_REPLIES, MAX_CANNED_TITLE_CHARS, PLACEHOLDERS, type CannedReply } from '../../../src/protocol/canned.js';
import { MAX_MESSAGE_CHARS } from '../../../src/protocol/limits.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { Notice } from '../../ui-kit/components/Notice.js';
import { t } from './strings.js';

const newId = () => `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Canned replies (issue 15): the project's saved answers, picked in the issue panel with `/`.
 * Kept in the app's Forge storage with their own Save, apart from the widget settings
 * (which live in the presence service).
 */
export function CannedRepliesSection({ projectKey, readOnly }: { projectKey: string; readOnly: boolean }) {
  const [replies, setReplies] = useState<CannedReply[] | null>(null);
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    call('cannedReplies.list', { projectKey }).then(
      (r) => setReplies(r.replies),
      (e) => setStatus({ kind: 'error', text: errorMessage(e) }),
    );
  }, [projectKey]);
  if (!replies) return status ? <Notice kind="error">{status.text}</Notice> : null;

  const change = (i: number, patch: Partial<CannedReply>) => setReplies(replies.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const incomplete = replies.some((r) => !r.title.trim() || !r.text.trim());
  const save = async () => {
    setSaving(true);
    setStatus(null);
    try {
      setReplies((await call('cannedReplies.save', { projectKey, replies })).replies);
      setStatus({ kind: 'success', text: t.cannedSaved });
    } catch (e) {
      setStatus({ kind: 'error', text: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };
  return (
    <section aria-labelledby="canned-h">
      <h2 id="canned-h">{t.canned}</h2>
      <p class="muted">{t.cannedHelp(PLACEHOLDERS.join(', '))}</p>
      {replies.length === 0 ? <p class="muted">{t.cannedNone}</p> : null}
      <fieldset disabled={readOnly} class="plain">
        {replies.map((r, i) => (
          <div key={r.id} class="canned-reply field">
            <label for={`canned-title-${i}`}>{t.cannedTitle(i + 1)}</label>
            <input
              id={`canned-title-${i}`}
              class="input"
              value={r.title}
              maxLength={MAX_CANNED_TITLE_CHARS}
              onInput={(e) => change(i, { title: e.currentTarget.value })}
            />
            <label for={`canned-text-${i}`}>{t.cannedText(i + 1)}</label>
            <textarea
              id={`canned-text-${i}`}
              class="input"
              rows={3}
              value={r.text}
              maxLength={MAX_MESSAGE_CHARS}
              onInput={(e) => change(i, { text: e.currentTarget.value })}
            />
            <Button
              compact
              appearance="subtle"
              aria-label={t.cannedRemove(r.title || String(i + 1))}
              onClick={() => setReplies(replies.filter((_, j) => j !== i))}
            >
              {t.remove}
            </Button>
          </div>
        ))}
        <div class="row">
          <Button disabled={replies.length >= MAX_CANNED_REPLIES} onClick={() => setReplies([...replies, { id: newId(), title: '', text: '' }])}>
            {t.cannedAdd}
          </Button>
          <Button appearance="primary" busy={saving} disabled={incomplete} onClick={() => void save()}>
            {t.cannedSave}
          </Button>
        </div>
      </fieldset>
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
    </section>
  );
}
