/**
 * Google Analytics 4 through the Measurement Protocol.
 *   POST {endpoint}/mp/collect?measurement_id=..&api_secret=..  {client_id, events:[{name, params, timestamp_micros}]}
 * The api secret goes in the query string because that is where Google reads it; the URL
 * is never logged. Google answers 2xx even for an invalid payload (only its validation
 * endpoint, /debug/mp/collect, says what was wrong), so `validateGa4Body` applies the same
 * rules before anything is sent: an event we would send is one Google would keep.
 * @see https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events
 * @see https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events
 * @see https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names
 */
import type { AnalyticsEvent } from './events.js';
import {
  GA4_MAX_BODY_BYTES,
  GA4_MAX_EVENTS_PER_REQUEST,
  GA4_MAX_NAME_CHARS,
  GA4_MAX_PARAM_VALUE_CHARS,
  GA4_MAX_PARAMS_PER_EVENT,
  SINK_TIMEOUT_MS,
} from './limits.js';
import type { Ga4Config } from './settings.js';
import { SinkError, type Sink } from './sink.js';

type ParamValue = string | number;
export interface Ga4Event {
  name: string;
  params: Record<string, ParamValue>;
  timestamp_micros: number;
}
export interface Ga4Body {
  client_id: string;
  events: Ga4Event[];
}

/** The validation endpoint's message shape: {fieldPath, description, validationCode}. */
export interface ValidationMessage {
  fieldPath: string;
  description: string;
  validationCode: 'NAME_INVALID' | 'NAME_RESERVED' | 'VALUE_INVALID' | 'VALUE_REQUIRED' | 'VALUE_OUT_OF_BOUNDS' | 'EXCEEDED_MAX_ENTITIES';
}

/** Event names Google reserves (the reference's "Reserved event names"). */
export const RESERVED_EVENT_NAMES = new Set([
  'ad_activeview',
  'ad_click',
  'ad_exposure',
  'ad_impression',
  'ad_query',
  'ad_reward',
  'adunit_exposure',
  'app_background',
  'app_clear_data',
  'app_exception',
  'app_remove',
  'app_store_refund',
  'app_store_subscription_cancel',
  'app_store_subscription_convert',
  'app_store_subscription_renew',
  'app_update',
  'app_upgrade',
  'dynamic_link_app_open',
  'dynamic_link_app_update',
  'dynamic_link_first_open',
  'error',
  'first_open',
  'first_visit',
  'in_app_purchase',
  'notification_dismiss',
  'notification_foreground',
  'notification_open',
  'notification_receive',
  'os_update',
  'session_start',
  'session_start_with_rollout',
  'user_engagement',
]);
/** Reserved prefixes of event and parameter names ("_" and firebase_, ga_, google_, gtag.). */
export const RESERVED_PREFIXES = ['_', 'firebase_', 'ga_', 'google_', 'gtag.'];
const RESERVED_PARAMS = new Set(['firebase_conversion']);
/** Letter first, then letters, digits and underscores. */
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkName(path: string, name: string, reservedNames: Set<string>, out: ValidationMessage[]): void {
  if (!NAME.test(name))
    out.push({
      fieldPath: path,
      description: `${name} must start with a letter and hold only letters, digits and underscores`,
      validationCode: 'NAME_INVALID',
    });
  else if (name.length > GA4_MAX_NAME_CHARS)
    out.push({ fieldPath: path, description: `${name} is longer than ${GA4_MAX_NAME_CHARS} characters`, validationCode: 'VALUE_OUT_OF_BOUNDS' });
  if (reservedNames.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p)))
    out.push({ fieldPath: path, description: `${name} is reserved`, validationCode: 'NAME_RESERVED' });
}

/** The rules of /debug/mp/collect that our payloads could break; [] means Google would keep every event. */
export function validateGa4Body(body: Ga4Body): ValidationMessage[] {
  const out: ValidationMessage[] = [];
  if (!body.client_id) out.push({ fieldPath: 'client_id', description: 'client_id is required', validationCode: 'VALUE_REQUIRED' });
  if (body.events.length > GA4_MAX_EVENTS_PER_REQUEST)
    out.push({ fieldPath: 'events', description: `at most ${GA4_MAX_EVENTS_PER_REQUEST} events per request`, validationCode: 'EXCEEDED_MAX_ENTITIES' });
  body.events.forEach((e, i) => {
    checkName(`events[${i}].name`, e.name, RESERVED_EVENT_NAMES, out);
    const params = Object.entries(e.params);
    if (params.length > GA4_MAX_PARAMS_PER_EVENT)
      out.push({
        fieldPath: `events[${i}].params`,
        description: `at most ${GA4_MAX_PARAMS_PER_EVENT} parameters per event`,
        validationCode: 'EXCEEDED_MAX_ENTITIES',
      });
    for (const [k, v] of params) {
      checkName(`events[${i}].params.${k}`, k, RESERVED_PARAMS, out);
      if (typeof v === 'string' && v.length > GA4_MAX_PARAM_VALUE_CHARS)
        out.push({
          fieldPath: `events[${i}].params.${k}`,
          description: `value longer than ${GA4_MAX_PARAM_VALUE_CHARS} characters`,
          validationCode: 'VALUE_OUT_OF_BOUNDS',
        });
      if (typeof v === 'number' && !Number.isFinite(v))
        out.push({ fieldPath: `events[${i}].params.${k}`, description: 'not a finite number', validationCode: 'VALUE_INVALID' });
    }
  });
  if (Buffer.byteLength(JSON.stringify(body)) >= GA4_MAX_BODY_BYTES)
    out.push({ fieldPath: '', description: `the body must be smaller than ${GA4_MAX_BODY_BYTES} bytes`, validationCode: 'VALUE_OUT_OF_BOUNDS' });
  return out;
}

/** One event as GA4 parameters: pseudonymous ids, enums and numbers only. */
export function toGa4Event(e: AnalyticsEvent): Ga4Event {
  const params: Record<string, ParamValue> = { project_id: e.project, channel: e.channel };
  if (e.conversation) params.conversation_id = e.conversation;
  if (e.agent) params.agent_id = e.agent;
  if (e.sender) params.sender = e.sender;
  if (e.attachment !== undefined) params.attachment = e.attachment ? 1 : 0;
  if (e.seconds !== undefined) params.seconds = e.seconds;
  if (e.rating !== undefined) params.rating = e.rating;
  if (e.count !== undefined) params.count = e.count;
  return { name: e.name, params, timestamp_micros: e.at * 1000 };
}

/**
 * Requests for a batch: one client_id each (the visitor), at most 25 events each. The count
 * events have no visitor: their client is the project's pseudonym, one steady "device" per
 * project, so they never inflate a site's user numbers.
 */
export function ga4Bodies(events: readonly AnalyticsEvent[]): Ga4Body[] {
  const byClient = new Map<string, Ga4Event[]>();
  for (const e of events) {
    const client = e.visitor ?? e.project;
    byClient.set(client, [...(byClient.get(client) ?? []), toGa4Event(e)]);
  }
  const bodies: Ga4Body[] = [];
  for (const [client_id, list] of byClient) {
    for (let i = 0; i < list.length; i += GA4_MAX_EVENTS_PER_REQUEST) bodies.push({ client_id, events: list.slice(i, i + GA4_MAX_EVENTS_PER_REQUEST) });
  }
  return bodies;
}

export function ga4Sink(config: Ga4Config, apiSecret: string): Sink {
  return {
    name: 'ga4',
    async send(events) {
      for (const body of ga4Bodies(events)) {
        const problems = validateGa4Body(body);
        // Our own events broke a rule: a bug, not an outage. Dropped (counted), never retried.
        if (problems.length)
          throw new SinkError('invalid', `GA4 would refuse the events: ${problems.map((p) => `${p.fieldPath} ${p.validationCode}`).join(', ')}`);
        const url = `${config.endpoint}/mp/collect?measurement_id=${encodeURIComponent(config.measurementId)}&api_secret=${encodeURIComponent(apiSecret)}`;
        let res: Response;
        try {
          res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(SINK_TIMEOUT_MS),
          });
        } catch (e) {
          throw new SinkError('unavailable', `GA4 unreachable (${e instanceof Error ? e.name : 'error'})`);
        }
        await res.arrayBuffer().catch(() => undefined);
        if (res.status === 429 || res.status >= 500) throw new SinkError('unavailable', `GA4 answered ${res.status}`);
        if (!res.ok) throw new SinkError('invalid', `GA4 answered ${res.status}`);
      }
    },
  };
}
