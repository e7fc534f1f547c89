/**
 * The whole site lives in one JSON file, rewritten atomically (temp file + rename)
 * after every change, so a crash never leaves half a file and a restart keeps data.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILE } from './limits.js';
import { seedDb } from './seed.js';
import type { CommentRecord, Db, IssueRecord, ProjectRecord, UserRecord, AttachmentRecord } from './types.js';

export class Store {
  private constructor(
    readonly db: Db,
    private readonly file: string,
  ) {}

  static open(dataDir: string, cloudId: string): Store {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, DATA_FILE);
    let db: Db;
    try {
      db = JSON.parse(readFileSync(file, 'utf8')) as Db;
      if (db.version !== 1) throw new Error(`${file}: unsupported version ${String(db.version)}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      db = seedDb(cloudId);
    }
    const store = new Store(db, file);
    store.save();
    return store;
  }

  save(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.db));
    renameSync(tmp, this.file);
  }

  nextIssueId(): string {
    return String(++this.db.counters.issue);
  }
  nextCommentId(): string {
    return String(++this.db.counters.comment);
  }
  nextChangelogId(): string {
    return String(++this.db.counters.changelog);
  }
  nextIssueKey(projectKey: string): string {
    const n = (this.db.counters.issueNumber[projectKey] ?? 0) + 1;
    this.db.counters.issueNumber[projectKey] = n;
    return `${projectKey}-${n}`;
  }

  user(accountId: string): UserRecord | undefined {
    return this.db.users.find((u) => u.accountId === accountId);
  }
  userByEmail(email: string): UserRecord | undefined {
    const e = email.toLowerCase();
    return this.db.users.find((u) => u.emailAddress.toLowerCase() === e && u.emailAddress !== '');
  }
  project(idOrKey: string): ProjectRecord | undefined {
    return this.db.projects.find((p) => p.id === idOrKey || p.key === idOrKey.toUpperCase());
  }
  projectByServiceDesk(serviceDeskId: string): ProjectRecord | undefined {
    return this.db.projects.find((p) => p.serviceDeskId === serviceDeskId);
  }
  addAttachment(a: Omit<AttachmentRecord, 'id'>): AttachmentRecord {
    const list = (this.db.attachments ??= []);
    const id = String(10000 + list.length + 1);
    const rec = { id, ...a };
    list.push(rec);
    return rec;
  }
  attachment(id: string): AttachmentRecord | undefined {
    return this.db.attachments?.find((a) => a.id === id);
  }
  attachmentsOf(issueId: string): AttachmentRecord[] {
    return (this.db.attachments ?? []).filter((a) => a.issueId === issueId);
  }
  issue(idOrKey: string): IssueRecord | undefined {
    const k = idOrKey.toUpperCase();
    return this.db.issues.find((i) => i.id === idOrKey || i.key === k);
  }
  projectOf(issue: IssueRecord): ProjectRecord {
    const p = this.db.projects.find((x) => x.id === issue.projectId);
    if (!p) throw new Error(`issue ${issue.key} has no project`);
    return p;
  }
  comment(id: string): CommentRecord | undefined {
    return this.db.comments.find((c) => c.id === id);
  }
  commentsOf(issueId: string): CommentRecord[] {
    return this.db.comments.filter((c) => c.issueId === issueId);
  }
}
