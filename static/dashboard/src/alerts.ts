/**
 * New-chat alerts: a short beep made with WebAudio (no sound file to host) and a browser
 * notification. Both need a user gesture first, so `enable` runs from a button click.
 *
 * In Jira the dashboard runs in a sandboxed, cross-origin Custom UI iframe
 * (https://developer.atlassian.com/platform/forge/custom-ui/iframe/): browsers may refuse the
 * notification permission prompt there (denied at once, a rejected promise, or a throw) and
 * may refuse audio. Every one of those is an answer, not an error: the dashboard then shows
 * new chats in the page itself (see NewChatBanner).
 */
const BEEP_HZ = 880;
const BEEP_SECONDS = 0.18;

let audio: AudioContext | null = null;

/** What the browser allowed: sound (WebAudio running) and desktop notifications. */
export interface AlertModes {
  sound: boolean;
  desktop: boolean;
}

async function askNotificationPermission(): Promise<void> {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try {
    // Older browsers answer through a callback and return undefined: both forms are awaited.
    await new Promise<void>((resolve) => {
      const p = Notification.requestPermission(() => resolve()) as Promise<NotificationPermission> | undefined;
      if (p !== undefined && typeof p.then === 'function')
        p.then(
          () => resolve(),
          () => resolve(),
        );
    });
  } catch {
    // refused outright (permissions policy of the frame): same as "denied"
  }
}

export async function enableAlerts(): Promise<AlertModes> {
  try {
    audio ??= new AudioContext();
    await audio.resume();
  } catch {
    audio = null;
  }
  await askNotificationPermission();
  return { sound: audio?.state === 'running', desktop: notificationsAllowed() };
}

export function notificationsAllowed(): boolean {
  try {
    return typeof Notification !== 'undefined' && Notification.permission === 'granted';
  } catch {
    return false;
  }
}

export function beep(): void {
  if (!audio || audio.state !== 'running') return;
  try {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = BEEP_HZ;
    const t0 = audio.currentTime;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.2, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + BEEP_SECONDS);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + BEEP_SECONDS);
  } catch {
    // audio went away (device change): the in-page banner still shows the chat
  }
}

/** Shows a desktop notification; false when the browser or the frame would not, so the caller shows its own. */
export function notify(title: string, body: string, onClick: () => void): boolean {
  if (!notificationsAllowed()) return false;
  try {
    const n = new Notification(title, { body, tag: body });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
    return true;
  } catch {
    // some frames refuse notifications even with permission
    return false;
  }
}
