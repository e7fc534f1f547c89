import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnalyticsEvent } from './events.js';
import { ga4Bodies, toGa4Event, validateGa4Body, type Ga4Body } from './ga4.js';
import { pseudonymizer } from './pseudonym.js';

const p = pseudonymizer('k'.repeat(44));
const event = (over: Partial<AnalyticsEvent> = {}): AnalyticsEvent => ({
  id: 'a'.repeat(32),
  name: 'chat_started',
  at: 1_790_000_000_000,
  visitor: p('visitor', 'qm:customer-1'),
  conversation: p('conversation', 'SUP-1'),
  project: p('project', 'SUP'),
  channel: 'web',
  ...over,
});

const V = suite('validateGa4Body');
V('accepts what the app sends', () => {
  assert.equal(validateGa4Body({ client_id: 'c', events: [toGa4Event(event({ name: 'first_response', seconds: 42, agent: p('agent', 'x') }))] }), []);
});
V('flags names Google refuses: reserved, reserved prefixes, too long, bad characters', () => {
  const body: Ga4Body = {
    client_id: 'c',
    events: [
      { name: 'session_start', params: {}, timestamp_micros: 1 },
      { name: 'ga_thing', params: { google_x: 1, '1bad': 2, ['p'.repeat(41)]: 3 }, timestamp_micros: 1 },
      { name: 'e'.repeat(41), params: { v: 'x'.repeat(101) }, timestamp_micros: 1 },
    ],
  };
  const codes = validateGa4Body(body).map((m) => `${m.fieldPath}:${m.validationCode}`);
  assert.equal(codes, [
    'events[0].name:NAME_RESERVED',
    'events[1].name:NAME_RESERVED',
    'events[1].params.google_x:NAME_RESERVED',
    'events[1].params.1bad:NAME_INVALID',
    `events[1].params.${'p'.repeat(41)}:VALUE_OUT_OF_BOUNDS`,
    `events[2].name:VALUE_OUT_OF_BOUNDS`,
    'events[2].params.v:VALUE_OUT_OF_BOUNDS',
  ]);
});
V('flags more than 25 events or parameters', () => {
  const params = Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`p${i}`, i]));
  const many = Array.from({ length: 26 }, () => ({ name: 'x', params, timestamp_micros: 1 }));
  const codes = new Set(validateGa4Body({ client_id: 'c', events: many }).map((m) => m.validationCode));
  assert.ok(codes.has('EXCEEDED_MAX_ENTITIES'));
});
V.run();

const B = suite('ga4Bodies');
B('one request per visitor, at most 25 events each, in order', () => {
  const a = Array.from({ length: 30 }, (_, i) => event({ id: String(i).padStart(32, '0') }));
  const b = [event({ visitor: p('visitor', 'other') })];
  const bodies = ga4Bodies([...a, ...b]);
  assert.equal(
    bodies.map((x) => [x.client_id, x.events.length]),
    [
      [a[0]!.visitor, 25],
      [a[0]!.visitor, 5],
      [b[0]!.visitor, 1],
    ],
  );
});
B.run();

const T = suite('toGa4Event');
T('carries only pseudonyms, enums and numbers, with the event time in microseconds', () => {
  const e = toGa4Event(event({ name: 'chat_message', sender: 'agent', attachment: true, agent: p('agent', 'acc') }));
  assert.equal(Object.keys(e.params).sort(), ['agent_id', 'attachment', 'channel', 'conversation_id', 'project_id', 'sender']);
  assert.is(e.params.attachment, 1);
  assert.is(e.timestamp_micros, 1_790_000_000_000_000);
});
T.run();

const P = suite('pseudonymizer');
P('is stable per key, differs per key and per kind, and reveals nothing of the id', () => {
  const other = pseudonymizer('z'.repeat(44));
  assert.is(p('visitor', 'qm:1'), p('visitor', 'qm:1'));
  assert.is.not(p('visitor', 'qm:1'), other('visitor', 'qm:1'));
  assert.is.not(p('visitor', 'qm:1'), p('agent', 'qm:1'));
  assert.match(p('visitor', 'qm:1'), /^[0-9a-f]{32}$/);
});
P.run();
