import { useState } from 'preact/hooks';
import { fillTemplate, type WhatsAppTemplate } from '../../../src/protocol/whatsapp-templates.js';
import { call, errorMessage } from '../../ui-kit/bridge.js';
import { Button } from '../../ui-kit/components/Button.js';
import { newClientMsgId } from '../../ui-kit/ids.js';
import { t } from './strings.js';

/**
 * WhatsApp chats only (issue 15): after the 24-hour window closed, free text no longer reaches
 * the customer; an approved template does. Pick one, fill its parameters, check the preview, send.
 */
export function TemplateSender({ issueKey, onSent }: { issueKey: string; onSent: () => void }) {
  const [templates, setTemplates] = useState<WhatsAppTemplate[] | null>(null);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState(0);
  const [params, setParams] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = () => {
    setOpen(!open);
    setError(null);
    if (!templates)
      call('whatsapp.templates', { issueKey }).then(
        (r) => setTemplates(r.templates),
        (e) => setError(errorMessage(e)),
      );
  };
  const tpl = templates?.[chosen];
  const ready = !!tpl && params.length === tpl.params && params.every((p) => p.trim());
  const send = async () => {
    if (!tpl || !ready) return;
    setBusy(true);
    setError(null);
    try {
      await call('chat.sendTemplate', {
        issueKey,
        clientMsgId: newClientMsgId(),
        name: tpl.name,
        language: tpl.language,
        parameters: params.map((p) => p.trim()),
      });
      setOpen(false);
      setParams([]);
      onSent();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="templates">
      <Button compact appearance="subtle" aria-expanded={open} onClick={toggle}>
        {t.templateButton}
      </Button>
      {open ? (
        <div class="template-form" role="group" aria-label={t.templateButton}>
          <p class="muted">{t.templateHelp}</p>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          {templates && !templates.length ? <p class="muted">{t.templateNone}</p> : null}
          {templates?.length ? (
            <>
              <label for="tpl-choice">{t.templateChoice}</label>
              <select
                id="tpl-choice"
                class="input"
                value={String(chosen)}
                onChange={(e) => {
                  setChosen(Number(e.currentTarget.value));
                  setParams([]);
                }}
              >
                {templates.map((x, i) => (
                  <option key={`${x.name}-${x.language}`} value={String(i)}>
                    {x.name} ({x.language})
                  </option>
                ))}
              </select>
              {Array.from({ length: tpl?.params ?? 0 }, (_, i) => (
                <div key={i}>
                  <label for={`tpl-param-${i}`}>{t.templateParam(i + 1)}</label>
                  <input
                    id={`tpl-param-${i}`}
                    class="input"
                    value={params[i] ?? ''}
                    onInput={(e) =>
                      setParams(
                        Object.assign(
                          Array.from({ length: tpl!.params }, (_, j) => params[j] ?? ''),
                          { [i]: e.currentTarget.value },
                        ),
                      )
                    }
                  />
                </div>
              ))}
              {tpl ? (
                <p class="template-preview" aria-label={t.templatePreview}>
                  {fillTemplate(
                    tpl.body,
                    params.map((p, i) => p.trim() || `{{${i + 1}}}`),
                  )}
                </p>
              ) : null}
              <Button compact appearance="primary" busy={busy} disabled={!ready} onClick={() => void send()}>
                {t.templateSend}
              </Button>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
