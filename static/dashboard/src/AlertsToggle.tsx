import { useState } from 'preact/hooks';
import { Button } from '../../ui-kit/components/Button.js';
import { enableAlerts, type AlertModes } from './alerts.js';
import { t } from './strings.js';

/**
 * Browsers allow audio and the permission prompt only from a user gesture: this button is it.
 * Afterwards it says what the browser allowed; where the frame may not notify, new chats
 * show in the page (quietly, no error).
 */
export function AlertsToggle() {
  const [modes, setModes] = useState<AlertModes | null>(null);
  if (modes) {
    const text = modes.desktop ? (modes.sound ? t.alertsOn : t.alertsNotificationsOnly) : modes.sound ? t.alertsSoundOnly : t.alertsInPageOnly;
    return (
      <span class="muted alerts-on" role="status">
        {text}
      </span>
    );
  }
  return (
    <Button compact onClick={() => void enableAlerts().then(setModes)}>
      {t.alertsEnable}
    </Button>
  );
}
