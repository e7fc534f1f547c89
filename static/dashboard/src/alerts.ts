/**
 * New-chat alerts: a short beep made with WebAudio (no sound file to host) and a browser
 * notification. Both need a user gesture first, so `enable` runs from a button click.
 */
const BEEP_HZ = 880;
const BEEP_SECONDS = 0.18;

let audio: AudioContext | null = null;

export async function enableAlerts(): Promise<boolean> {
  try {
    audio ??= new AudioContext();
    await audio.resume();
  } catch {
    audio = null;
  }
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    await Notification.requestPermission().catch(() => 'denied');
  }
  return audio !== null || notificationsAllowed();
}

export function notificationsAllowed(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

export function beep(): void {
  if (!audio || audio.state !== 'running') return;
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
}

export function notify(title: string, body: string, onClick: () => void): void {
  if (!notificationsAllowed()) return;
  try {
    const n = new Notification(title, { body, tag: body });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // some frames refuse notifications even with permission: the sound and the list still show it
  }
}
