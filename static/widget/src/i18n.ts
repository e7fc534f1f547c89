/** Every visible string of the widget, in English and German. Texts the admin sets come from the config. */
export type Lang = 'en' | 'de';

const en = {
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unread: (n: number) => (n === 1 ? '1 unread message' : `${n} unread messages`),
  online: "We're online",
  away: 'Away',
  backAt: (t: string) => `Back at ${t}`,
  reconnecting: 'Reconnecting…',
  /** Header while the widget has no connection: availability is unknown, not "online". */
  notConnected: 'Offline',
  messages: 'Messages',
  earlier: 'Show earlier messages',
  composer: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  sending: 'Sending…',
  sent: 'Sent',
  seen: 'Seen',
  failed: 'Not sent',
  retry: 'Retry',
  typing: (name: string) => `${name} is typing…`,
  agent: 'Agent',
  you: 'You',
  name: 'Name',
  email: 'Email',
  message: 'Message',
  optional: 'optional',
  startChat: 'Start chat',
  sendOffline: 'Send message',
  thanks: "Thanks! We've got your message and will reply by email.",
  required: 'Please fill in this field.',
  invalidEmail: 'Please enter a valid email address.',
  dropFiles: 'Drop a file to send it',
  tooLarge: 'This file is too large.',
  unsupported: 'This type of file cannot be sent.',
  uploadFailed: 'Upload failed',
  ended: 'This chat was closed.',
  startNew: 'Start a new chat',
  rateAsk: 'How was this chat?',
  rateStar: (n: number) => `${n} of 5`,
  rateComment: 'Anything to add? (optional)',
  rateThanks: 'Thanks for your rating!',
  fileExpired: 'This file has expired here (files are kept for 7 days). Your request in our help desk still has it.',
  prechatIntro: 'Tell us a little about yourself to start the chat.',
  charsLeft: (n: number) => (n === 1 ? '1 character left' : `${n} characters left`),
  pasteTooLong: (max: number) => `That text is too long to paste: a message can have up to ${max} characters. Nothing was added.`,
  fileTooLarge: (name: string, max: string) => `“${name}” is too large to send. Files can be up to ${max}.`,
  fileEmpty: (name: string) => `“${name}” is empty, so it was not sent.`,
  fileType: (name: string) => `“${name}” can’t be sent. You can send images (PNG, JPEG, GIF, WebP), PDF, Word (.docx), Excel (.xlsx) and text files.`,
  dismiss: 'Dismiss',
};
export type Strings = typeof en;

const de: Strings = {
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  unread: (n) => (n === 1 ? '1 ungelesene Nachricht' : `${n} ungelesene Nachrichten`),
  online: 'Wir sind online',
  away: 'Abwesend',
  backAt: (t) => `Wieder erreichbar ab ${t}`,
  reconnecting: 'Verbindung wird wiederhergestellt…',
  notConnected: 'Offline',
  messages: 'Nachrichten',
  earlier: 'Frühere Nachrichten anzeigen',
  composer: 'Nachricht schreiben…',
  send: 'Senden',
  attach: 'Datei anhängen',
  sending: 'Wird gesendet…',
  sent: 'Gesendet',
  seen: 'Gelesen',
  failed: 'Nicht gesendet',
  retry: 'Erneut senden',
  typing: (name) => `${name} schreibt…`,
  agent: 'Support',
  you: 'Sie',
  name: 'Name',
  email: 'E-Mail',
  message: 'Nachricht',
  optional: 'optional',
  startChat: 'Chat starten',
  sendOffline: 'Nachricht senden',
  thanks: 'Danke! Wir haben Ihre Nachricht erhalten und antworten per E-Mail.',
  required: 'Bitte füllen Sie dieses Feld aus.',
  invalidEmail: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
  dropFiles: 'Datei hier ablegen, um sie zu senden',
  tooLarge: 'Diese Datei ist zu groß.',
  unsupported: 'Dieser Dateityp kann nicht gesendet werden.',
  uploadFailed: 'Hochladen fehlgeschlagen',
  ended: 'Dieser Chat wurde geschlossen.',
  startNew: 'Neuen Chat beginnen',
  rateAsk: 'Wie war dieser Chat?',
  rateStar: (n: number) => `${n} von 5`,
  rateComment: 'Möchten Sie etwas ergänzen? (optional)',
  rateThanks: 'Danke für Ihre Bewertung!',
  fileExpired: 'Diese Datei ist hier abgelaufen (Dateien werden 7 Tage aufbewahrt). Ihre Anfrage in unserem Helpdesk enthält sie weiterhin.',
  prechatIntro: 'Erzählen Sie uns kurz, wer Sie sind, um den Chat zu starten.',
  charsLeft: (n) => (n === 1 ? 'Noch 1 Zeichen' : `Noch ${n} Zeichen`),
  pasteTooLong: (max) => `Der Text ist zu lang zum Einfügen: Eine Nachricht kann bis zu ${max} Zeichen haben. Es wurde nichts eingefügt.`,
  fileTooLarge: (name, max) => `„${name}“ ist zu groß. Dateien können bis zu ${max} groß sein.`,
  fileEmpty: (name) => `„${name}“ ist leer und wurde nicht gesendet.`,
  fileType: (name) => `„${name}“ kann nicht gesendet werden. Möglich sind Bilder (PNG, JPEG, GIF, WebP), PDF, Word (.docx), Excel (.xlsx) und Textdateien.`,
  dismiss: 'Schließen',
};

export const STRINGS: Record<Lang, Strings> = { en, de };

/** Config locale wins unless "auto"; then the page's settings, then the browser. */
export function pickLang(configLocale: string | undefined, settingsLocale: string | undefined, browser: string | undefined): Lang {
  for (const l of [configLocale === 'auto' ? undefined : configLocale, settingsLocale, browser]) {
    const base = l?.toLowerCase().slice(0, 2);
    if (base === 'de' || base === 'en') return base;
  }
  return 'en';
}

/** "14:30" today, "Mon 09:00" within a week, else a short date and time — in the visitor's zone. */
export function formatWhen(iso: string, lang: Lang, now = new Date()): string {
  const d = new Date(iso);
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  const days = (d.getTime() - now.getTime()) / 86_400_000;
  if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString(lang, time);
  if (days > 0 && days < 6) return d.toLocaleString(lang, { weekday: 'long', ...time });
  return d.toLocaleString(lang, { day: 'numeric', month: 'short', ...time });
}

export function formatTime(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}
