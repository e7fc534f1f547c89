import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProjectChatConfigInput } from '../../src/protocol/model.js';
import { defaultSchedule, fieldId, normalizeOrigin, toDraft, type Load } from './src/draft.js';
import { validateDraft, validateSchedule } from './src/validate.js';
import { MAX_WIDGET_TEXT_CHARS } from '../../src/protocol/limits.js';

const firstLoad: Load = {
  canEdit: true,
  config: null,
  requestTypes: [{ id: '11', name: 'Help' }],
  serviceDeskId: '1',
  projectId: '10000',
  agents: [],
  embedSnippet: null,
};

test('website origins are normalised, anything else is refused', () => {
  assert.is(normalizeOrigin(' https://Shop.Example.org/ '), 'https://shop.example.org');
  assert.is(normalizeOrigin('http://localhost:8080'), 'http://localhost:8080');
  for (const bad of [
    'example.com',
    'ftp://example.com',
    'https://example.com/path',
    'https://u:p@example.com',
    'https://example.com/?q=1',
    'javascript:alert(1)',
  ]) {
    assert.is(normalizeOrigin(bad), null, bad);
  }
});

test('first-time defaults are a valid ProjectChatConfigInput and pass the page validation', () => {
  const draft = { ...toDraft(firstLoad, 'SUP'), schedule: defaultSchedule('Europe/Berlin'), allowedOrigins: ['https://www.example.com'] };
  assert.ok(ProjectChatConfigInput.safeParse(draft).success);
  assert.equal(validateDraft(draft), {});
});

test('page validation agrees with the contract on bad colour, empty team name and reversed hours', () => {
  const base = toDraft(firstLoad, 'SUP');
  const bad = {
    ...base,
    widget: { ...base.widget, color: 'blue', teamName: '' },
    schedule: { ...defaultSchedule('UTC'), weekly: { ...defaultSchedule('UTC').weekly, mon: [{ start: '17:00', end: '09:00' }] } },
  };
  assert.equal(Object.keys(validateDraft(bad)).sort(), ['schedule.mon.0', 'widget.color', 'widget.teamName']);
  assert.not.ok(ProjectChatConfigInput.safeParse(bad).success);
});

test('each contract issue sits next to its field and says what to enter', () => {
  const base = { ...toDraft(firstLoad, 'SUP'), schedule: defaultSchedule('UTC') };
  const bad = {
    ...base,
    requestTypeId: '',
    allowedOrigins: ['not a url'],
    widget: {
      ...base.widget,
      greeting: 'x'.repeat(MAX_WIDGET_TEXT_CHARS + 1),
      prechatFields: [{ id: 'f_q', label: '', type: 'text' as const, required: false }],
    },
    schedule: {
      ...base.schedule,
      weekly: { ...base.schedule.weekly, tue: [{ start: '9am', end: '17:00' }] },
      exceptions: [{ date: 'someday', intervals: [{ start: '12:00', end: '11:00' }] }],
    },
  };
  assert.not.ok(ProjectChatConfigInput.safeParse(bad).success);
  assert.equal(validateDraft(bad), {
    requestTypeId: 'Required',
    'origins.0': 'Enter a website origin such as https://www.example.com',
    'widget.greeting': `At most ${MAX_WIDGET_TEXT_CHARS} characters`,
    'prechat.0.label': 'Enter the question',
    'schedule.tue.0': 'Enter a time',
    'schedule.ex.0': 'Enter a date',
    'schedule.ex.0.0': 'The end must be after the start',
  });
});

test("an agent's own hours are checked with the same Schedule schema, under its prefix", () => {
  const s = defaultSchedule('');
  assert.equal(validateSchedule({ ...s, weekly: { ...s.weekly, fri: [{ start: '18:00', end: '08:00' }] } }, 'agent'), {
    'agent.timeZone': 'Choose a time zone',
    'agent.fri.0': 'The end must be after the start',
  });
});

test('pre-chat field ids match the contract pattern and stay unique', () => {
  const a = fieldId('Order number!', []);
  assert.match(a, /^[a-z][a-z0-9_]{0,31}$/);
  const b = fieldId('Order number', [{ id: a, label: 'x', type: 'text', required: false }]);
  assert.is.not(a, b);
  assert.match(b, /^[a-z][a-z0-9_]{0,31}$/);
});

test.run();
