/**
 * A few weeks of realistic, made-up chat history for `npm start`, so the chat reports have
 * something to show: closed chat requests in the demo project with the `chat.conversation`
 * and `chat.stats` properties the app itself writes. Weekdays are busier than weekends and
 * office hours than nights; most chats are answered within a minute or two, some late,
 * a few never; some are offline messages; about half are rated. Deterministic (seeded
 * PRNG), written once per data folder (a marker file), through Jira's REST API as the app.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatStats } from '../protocol/chat-stats.js';
import type { ConversationProperty } from '../protocol/jira-properties.js';
import type { JsmStandin } from './jsm/index.js';

const MARKER_FILE = 'chat-history-seeded';
const CUSTOMERS = [
  'Noor Haddad',
  'Lena Fischer',
  'Tomás Ruiz',
  'Aiko Tanaka',
  'Samuel Okafor',
  'Priya Nair',
  'Jonas Berg',
  'Chloé Martin',
  'Mateo Rossi',
  'Hannah Cohen',
  'Ola Nordmann',
  'Wei Zhang',
];

/** Mulberry32: small, seeded, good enough for demo data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedOptions {
  projectKey: string;
  serviceDeskId: string;
  requestTypeId: string;
  /** Agents who answer (account ids). */
  agents: string[];
  days?: number;
  nowMs?: number;
  seed?: number;
}

/** The chats to write, without touching Jira (tests use it to know what to expect). */
export function plannedChats(o: SeedOptions): (Omit<ChatStats, 'v'> & { customer: number })[] {
  const rnd = prng(o.seed ?? 14);
  const now = o.nowMs ?? Date.now();
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const out: (Omit<ChatStats, 'v'> & { customer: number })[] = [];
  for (let d = o.days ?? 21; d >= 1; d--) {
    const day = today - d * 86_400_000;
    const weekend = [0, 6].includes(new Date(day).getUTCDay());
    const count = weekend ? 1 + Math.floor(rnd() * 3) : 6 + Math.floor(rnd() * 7);
    for (let i = 0; i < count; i++) {
      // Office hours most of the time (08-18 UTC), now and then late.
      const hour = rnd() < 0.85 ? 8 + Math.floor(rnd() * 10) : Math.floor(rnd() * 24);
      const startedMs = day + hour * 3_600_000 + Math.floor(rnd() * 3_600_000);
      const offline = hour < 7 || hour > 19 ? rnd() < 0.7 : rnd() < 0.04;
      const chat: Omit<ChatStats, 'v'> & { customer: number } = {
        started: new Date(startedMs).toISOString(),
        channel: rnd() < 0.2 ? 'whatsapp' : 'web',
        offline,
        customer: Math.floor(rnd() * CUSTOMERS.length),
      };
      const never = !offline && rnd() < 0.05;
      if (!offline && !never) {
        const r = rnd();
        const wait = r < 0.7 ? 10 + Math.floor(rnd() * 110) : r < 0.92 ? 120 + Math.floor(rnd() * 240) : 300 + Math.floor(rnd() * 900);
        chat.firstResponseSec = wait;
        chat.firstResponseAt = new Date(startedMs + wait * 1000).toISOString();
        chat.agent = o.agents[Math.floor(rnd() * o.agents.length)] as string;
      }
      const duration = (chat.firstResponseSec ?? 0) + 120 + Math.floor(rnd() * 1500);
      chat.closedAt = new Date(startedMs + duration * 1000).toISOString();
      chat.durationSec = duration;
      if (!offline && !never && rnd() < 0.5) {
        const r = rnd();
        chat.rating = r < 0.55 ? 5 : r < 0.8 ? 4 : r < 0.92 ? 3 : r < 0.97 ? 2 : 1;
      }
      out.push(chat);
    }
  }
  return out;
}

/** Writes the planned history into the stand-in once per data folder. Returns how many chats it wrote. */
export async function seedChatHistory(jsm: JsmStandin, dataDir: string, o: SeedOptions): Promise<number> {
  const marker = join(dataDir, MARKER_FILE);
  if (existsSync(marker)) return 0;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${jsm.url}${path}`, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...jsm.hostAuthHeaders({ type: 'app' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`seeding chat history: ${method} ${path.split('?')[0]} answered ${res.status}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const customers: string[] = [];
  for (const [i, name] of CUSTOMERS.entries()) {
    const c = await call<{ accountId: string }>('POST', '/rest/servicedeskapi/customer', { displayName: name, email: `history-${i + 1}@customers.example` });
    customers.push(c.accountId);
  }
  const chats = plannedChats(o);
  for (const chat of chats) {
    const customerAccountId = customers[chat.customer] as string;
    const name = CUSTOMERS[chat.customer] as string;
    const req = await call<{ issueKey: string }>('POST', '/rest/servicedeskapi/request', {
      serviceDeskId: o.serviceDeskId,
      requestTypeId: o.requestTypeId,
      requestFieldValues: {
        summary: `${chat.offline ? 'Offline message from' : chat.channel === 'whatsapp' ? 'WhatsApp chat with' : 'Chat with'} ${name}`,
        description: 'Sample chat history (npm start).',
      },
      raiseOnBehalfOf: customerAccountId,
    });
    const key = encodeURIComponent(req.issueKey);
    const conv: ConversationProperty = {
      v: 1,
      channel: chat.channel,
      customerAccountId,
      started: chat.started,
      status: 'closed',
      offline: chat.offline,
      ...(chat.closedAt ? { closedAt: chat.closedAt } : {}),
    };
    const { customer: _c, ...stats } = chat;
    await call('PUT', `/rest/api/3/issue/${key}/properties/chat.conversation`, conv);
    await call('PUT', `/rest/api/3/issue/${key}/properties/chat.stats`, { v: 1, ...stats } satisfies ChatStats);
    await call('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: '31' } }).catch(() => undefined);
  }
  await writeFile(marker, `${new Date().toISOString()}\n`);
  return chats.length;
}
