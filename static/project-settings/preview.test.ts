import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Schedule } from '../../src/protocol/schedule.js';
import { preview, type PreviewAgent } from './src/preview.js';

const work = [{ start: '09:00', end: '17:00' }];
const berlin: Schedule = { timeZone: 'Europe/Berlin', weekly: { mon: work, tue: work, wed: work, thu: work, fri: work, sat: [], sun: [] }, exceptions: [] };
const online: PreviewAgent = { status: 'online', available: true };
const away: PreviewAgent = { status: 'away', available: false };
const base = { widgetShows: 'always' as const, hoursZone: 'project' as const, viewerZone: 'Europe/Berlin' };
const SUN_EVENING = new Date('2026-01-04T18:00:00Z'); // Sun 19:00 Berlin
const MON_NOON = new Date('2026-01-05T11:00:00Z');
const MON_EARLY = new Date('2026-01-05T06:00:00Z'); // Mon 07:00 Berlin

test('the preview sentence for every kind of "now"', () => {
  const s = (over: Partial<Parameters<typeof preview>[0]>) => preview({ ...base, schedule: berlin, agents: [online, online], now: MON_NOON, ...over }).sentence;
  assert.is(s({}), 'Now: online — 2 agents available');
  assert.is(s({ agents: [online] }), 'Now: online — 1 agent available');
  assert.is(s({ agents: [away] }), 'Now: away — agents are signed in but none is available');
  assert.is(s({ agents: [] }), 'Now: away — no agent is online (agents are online while they have a Jira page open)');
  assert.is(s({ now: SUN_EVENING }), 'Now: away — back Monday at 09:00', 'issue 11: hours apply even though the widget always shows');
  assert.is(s({ now: MON_EARLY }), 'Now: away — back today at 09:00');
  assert.is(s({ now: SUN_EVENING, widgetShows: 'when-answered' }), 'Now: away — back Monday at 09:00 (the widget is hidden)');
  assert.is(s({ schedule: null, now: SUN_EVENING }), 'Now: online — 2 agents available', 'no hours: agents alone decide');
  assert.is(
    s({ schedule: { ...berlin, exceptions: [{ date: '2026-01-05', intervals: [], label: 'Holiday' }] }, now: SUN_EVENING }),
    'Now: away — back Tuesday at 09:00',
    'a holiday is skipped',
  );
  const never = { ...berlin, weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
  assert.is(s({ schedule: never }), 'Now: away — the opening hours never open');
  assert.is(s({ schedule: { ...never, exceptions: [{ date: '2026-03-02', intervals: work }] } }), 'Now: away — back on 2026-03-02 at 09:00');
  // Visitor's zone: Monday 02:00 in Berlin is Monday 10:00 in Tokyo: open there, closed in the project's zone.
  const monNight = new Date('2026-01-05T01:00:00Z');
  assert.is(s({ now: monNight, hoursZone: 'visitor', viewerZone: 'Asia/Tokyo' }), 'Now: online — 2 agents available');
  assert.is(s({ now: monNight, hoursZone: 'project', viewerZone: 'Asia/Tokyo' }), 'Now: away — back today at 09:00');
  assert.is(
    s({ agents: [{ status: 'online', available: true, forcedOffline: true }] }),
    'Now: away — no agent is online (agents are online while they have a Jira page open)',
  );
});

test.run();
