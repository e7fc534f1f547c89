import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay } from '../../ui-kit/backoff.js';
import { WIDGET_RECONNECT_CAP_MS } from './connection.js';
import { contrastRatio, textOn } from './contrast.js';
import { formatWhen, pickLang } from './i18n.js';
import { markSeen, mergeView, type ViewMessage } from './messages.js';
import { Outbox } from './outbox.js';
import type { Store } from './storage.js';

test('widget reconnects grow exponentially with full jitter and are capped at 8 s', () => {
  assert.is(
    backoffDelay(0, WIDGET_RECONNECT_CAP_MS, 0, () => 0.999),
    999,
  );
  assert.is(
    backoffDelay(3, WIDGET_RECONNECT_CAP_MS, 0, () => 0.5),
    4000,
  );
  assert.is(
    backoffDelay(50, WIDGET_RECONNECT_CAP_MS, 0, () => 0.999999),
    WIDGET_RECONNECT_CAP_MS - 1,
  );
  assert.is(
    backoffDelay(5, WIDGET_RECONNECT_CAP_MS, 0, () => 0),
    0,
  );
});

test('brand text colour is whichever of white and black contrasts more', () => {
  assert.is(textOn('#0052CC'), '#ffffff');
  assert.is(textOn('#FFD400'), '#000000');
  assert.ok(contrastRatio('#0052CC', textOn('#0052CC')) >= 4.5);
  assert.is(Math.round(contrastRatio('#000000', '#ffffff')), 21);
});

test('language: config wins unless auto, then settings, then browser, else English', () => {
  assert.is(pickLang('de', 'en', 'en-US'), 'de');
  assert.is(pickLang('auto', 'de-AT', 'en-US'), 'de');
  assert.is(pickLang('auto', undefined, 'de-CH'), 'de');
  assert.is(pickLang('auto', 'fr', 'es'), 'en');
});

test('"back at" names the weekday when the opening is not today', () => {
  const now = new Date(2026, 10, 27, 18, 0); // a Friday evening, local time
  assert.is(formatWhen(new Date(2026, 10, 27, 20, 30).toISOString(), 'en', now), '08:30 PM');
  assert.is(formatWhen(new Date(2026, 10, 30, 9, 0).toISOString(), 'de', now), 'Montag, 09:00');
});

const mine = (clientMsgId: string, extra: Partial<ViewMessage> = {}): ViewMessage => ({
  key: clientMsgId,
  clientMsgId,
  kind: 'customer',
  name: '',
  text: clientMsgId,
  at: '2026-01-01T10:00:00Z',
  delivery: 'sending',
  ...extra,
});

test('merging never shows a message twice: known clientMsgId or id updates in place', () => {
  let list = [mine('aaaaaaaa'), mine('bbbbbbbb')];
  list = mergeView(list, [{ ...mine('aaaaaaaa'), id: '1', delivery: 'sent', at: '2026-01-01T10:00:01Z' }]);
  list = mergeView(list, [{ ...mine('aaaaaaaa'), id: '1', delivery: 'sent', at: '2026-01-01T10:00:01Z' }]);
  list = mergeView(list, [{ key: '2', id: '2', kind: 'agent', name: 'Dana', text: 'hi', at: '2026-01-01T10:00:02Z' }]);
  assert.equal(
    list.map((m) => [m.key, m.delivery]),
    [
      ['aaaaaaaa', 'sent'],
      ['2', undefined],
      ['bbbbbbbb', 'sending'],
    ],
    'confirmed by time, pending last',
  );
  list = markSeen(list, '2');
  assert.is(list[0]!.delivery, 'seen');
  list = mergeView(list, [{ ...mine('aaaaaaaa'), id: '1', delivery: 'sent' }]);
  assert.is(list[0]!.delivery, 'seen', 'a replay does not downgrade "seen"');
});

test('the outbox persists in order and dedupes by clientMsgId', () => {
  const data = new Map<string, unknown>();
  const store: Store = {
    get: <T>(k: string) => data.get(k) as T,
    set: (k, v) => void data.set(k, JSON.parse(JSON.stringify(v))),
    remove: (k) => void data.delete(k),
  };
  const a = new Outbox(store);
  a.push({ kind: 'text', clientMsgId: 'cccccccc1', text: 'one', at: '' });
  a.push({ kind: 'text', clientMsgId: 'cccccccc2', text: 'two', at: '' });
  a.push({ kind: 'text', clientMsgId: 'cccccccc1', text: 'one again', at: '' });
  const b = new Outbox(store);
  assert.equal(
    b.all().map((i) => i.clientMsgId),
    ['cccccccc1', 'cccccccc2'],
  );
  b.remove('cccccccc1');
  assert.is(new Outbox(store).peek()?.clientMsgId, 'cccccccc2');
  b.clear();
  assert.is(data.size, 0);
});

test.run();
