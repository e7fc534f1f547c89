import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProjectChatConfigInput } from '../../src/protocol/model.js';
import { defaultSchedule, fieldId, normalizeOrigin, toDraft, type Load } from './src/draft.js';
import { validateDraft } from './src/validate.js';

const firstLoad: Load = { canEdit: true, config: null, requestTypes: [{ id: '11', name: 'Help' }], serviceDeskId: '1', projectId: '10000', agents: [], embedSnippet: null };

test('website origins are normalised, anything else is refused', () => {
  assert.is(normalizeOrigin(' https://Shop.Example.org/ '), 'https://shop.example.org');
  assert.is(normalizeOrigin('http://localhost:8080'), 'http://localhost:8080');
  for (const bad of ['example.com', 'ftp://example.com', 'https://example.com/path', 'https://u:p@example.com', 'https://example.com/?q=1', 'javascript:alert(1)']) {
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
  const bad = { ...base, widget: { ...base.widget, color: 'blue', teamName: '' }, schedule: { ...defaultSchedule('UTC'), weekly: { ...defaultSchedule('UTC').weekly, mon: [{ start: '17:00', end: '09:00' }] } } };
  assert.equal(Object.keys(validateDraft(bad)).sort(), ['schedule.mon.0', 'widget.color', 'widget.teamName']);
  assert.not.ok(ProjectChatConfigInput.safeParse(bad).success);
});

test('pre-chat field ids match the contract pattern and stay unique', () => {
  const a = fieldId('Order number!', []);
  assert.match(a, /^[a-z][a-z0-9_]{0,31}$/);
  const b = fieldId('Order number', [{ id: a, label: 'x', type: 'text', required: false }]);
  assert.is.not(a, b);
  assert.match(b, /^[a-z][a-z0-9_]{0,31}$/);
});

test.run();
