import { useState } from 'preact/hooks';
import { Button } from '../../ui-kit/components/Button.js';
import { enableAlerts } from './alerts.js';
import { t } from './strings.js';

/** Browsers allow audio and the permission prompt only from a user gesture: this button is it. */
export function AlertsToggle() {
  const [on, setOn] = useState(false);
  if (on) return <span class="muted alerts-on" role="status">{t.alertsOn}</span>;
  return (
    <Button compact onClick={async () => setOn(await enableAlerts())}>
      {t.alertsEnable}
    </Button>
  );
}
