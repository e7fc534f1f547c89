/**
 * What an empty data folder starts with: two service desk projects (SUP, HR), four
 * people and the app user. Alice is an agent of SUP only and Bob of SUP and HR, so
 * tests can prove that an agent sees nothing of a desk they do not work on.
 */
import type { Db, ProjectRecord, RequestTypeRecord, SeedUser, UserRecord } from './types.js';
import { SEED_API_TOKEN } from './limits.js';

export const APP_ACCOUNT_ID = '557058:sandbox-chat-for-jsm-app';

const people = {
  ada: '712020:sandbox-ada-admin',
  alice: '712020:sandbox-alice-agent',
  bob: '712020:sandbox-bob-agent',
  carl: 'qm:sandbox-carl-customer',
} as const;

function user(accountId: string, displayName: string, emailAddress: string, accountType: UserRecord['accountType'], siteAdmin = false): UserRecord {
  return { accountId, displayName, emailAddress, accountType, active: true, siteAdmin, timeZone: 'Etc/UTC' };
}

export function seedDb(cloudId: string): Db {
  const users: UserRecord[] = [
    user(APP_ACCOUNT_ID, 'Chat for JSM', '', 'app'),
    user(people.ada, 'Ada Admin', 'ada@sandbox.example', 'atlassian', true),
    user(people.alice, 'Alice Agent', 'alice@sandbox.example', 'atlassian'),
    user(people.bob, 'Bob Agent', 'bob@sandbox.example', 'atlassian'),
    user(people.carl, 'Carl Customer', 'carl@sandbox.example', 'customer'),
  ];
  const projects: ProjectRecord[] = [
    {
      id: '10000',
      key: 'SUP',
      name: 'Support',
      projectTypeKey: 'service_desk',
      serviceDeskId: '1',
      leadAccountId: people.ada,
      issueTypeId: '10100',
      admins: [people.ada],
      agents: [people.ada, people.alice, people.bob],
      customers: [people.carl],
    },
    {
      id: '10001',
      key: 'HR',
      name: 'HR',
      projectTypeKey: 'service_desk',
      serviceDeskId: '2',
      leadAccountId: people.ada,
      issueTypeId: '10100',
      admins: [people.ada],
      agents: [people.ada, people.bob],
      customers: [],
    },
  ];
  const requestTypes: RequestTypeRecord[] = [
    { id: '10', serviceDeskId: '1', name: 'Chat', description: 'Talk to us in real time.', issueTypeId: '10100' },
    { id: '11', serviceDeskId: '1', name: 'Get IT help', description: 'Get assistance for general IT problems and questions.', issueTypeId: '10100' },
    { id: '20', serviceDeskId: '2', name: 'Chat', description: 'Talk to HR in real time.', issueTypeId: '10100' },
    { id: '21', serviceDeskId: '2', name: 'Ask a question', description: 'Ask HR a question.', issueTypeId: '10100' },
  ];
  return {
    version: 1,
    cloudId,
    counters: { issue: 10000, comment: 10000, changelog: 10000, issueNumber: {} },
    users,
    projects,
    requestTypes,
    issues: [],
    comments: [],
  };
}

/** The seeded people as tests see them (roles spelled out, token included). */
export function seedUsersOf(db: Db): SeedUser[] {
  return db.users
    .filter((u) => (Object.values(people) as string[]).includes(u.accountId))
    .map((u) => ({
      accountId: u.accountId,
      displayName: u.displayName,
      emailAddress: u.emailAddress,
      accountType: u.accountType,
      apiToken: SEED_API_TOKEN,
      agentOf: db.projects.filter((p) => p.agents.includes(u.accountId)).map((p) => p.key),
      adminOf: db.projects.filter((p) => p.admins.includes(u.accountId)).map((p) => p.key),
      siteAdmin: u.siteAdmin,
    }));
}
