/**
 * Widget views (customer frame `view`: the widget loaded, the chat opened), counted per
 * project and handed to the app every flush interval as one `usage` webtrigger call per
 * site. The widget runs no analytics code; the app turns the counts into the `widget_loaded`
 * and `chat_opened` events (docs/analytics.md).
 *
 * Counts only: no visitor, socket, page or time is kept. The site's analytics switch is
 * read before anything is counted, so with analytics off nothing is held, not even a
 * number, and nothing is sent. A call that fails is not retried: its counts are dropped and
 * counted in `dropped` (analytics must never queue up inside the service).
 */
import type { InboundCall } from '../../protocol/webtrigger.js';
import { MAX_USAGE_COUNT, MAX_USAGE_PROJECTS_PER_CALL } from '../../protocol/limits.js';
import type { AppClient } from '../app-client.js';
import type { Logger } from '../log.js';

export type ViewKind = 'loaded' | 'opened';
type UsageCounts = Extract<InboundCall, { type: 'usage' }>['counts'];

/** Distinct (site, project) pairs held between two flushes; views of further projects wait for the next interval (dropped, counted). */
export const MAX_USAGE_PROJECTS = 10_000;

export interface UsageCounterDeps {
  app: Pick<AppClient, 'call'>;
  log: Logger;
  /** The site's analytics switch as the service knows it (the app's settings.put), read per view. */
  analyticsOn(installationId: string): Promise<boolean>;
}

export class UsageCounter {
  /** installationId → projectKey → counts since the last flush. */
  private counts = new Map<string, Map<string, { loaded: number; opened: number }>>();
  private projects = 0;
  /** Views not forwarded: the project cap, or the app call failed. */
  dropped = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly deps: UsageCounterDeps) {}

  /** Projects holding counts now (tests and metrics: memory stays bounded). */
  get held(): number {
    return this.projects;
  }

  async count(installationId: string, projectKey: string, what: ViewKind): Promise<void> {
    if (!(await this.deps.analyticsOn(installationId))) return;
    let site = this.counts.get(installationId);
    let c = site?.get(projectKey);
    if (!c) {
      if (this.projects >= MAX_USAGE_PROJECTS) {
        this.dropped++;
        return;
      }
      if (!site) this.counts.set(installationId, (site = new Map()));
      site.set(projectKey, (c = { loaded: 0, opened: 0 }));
      this.projects++;
    }
    c[what] = Math.min(MAX_USAGE_COUNT, c[what] + 1);
  }

  /** Sends what was counted, one call per site (split at MAX_USAGE_PROJECTS_PER_CALL), and forgets it. */
  async flush(): Promise<void> {
    const all = this.counts;
    this.counts = new Map();
    this.projects = 0;
    await Promise.all(
      [...all].map(async ([installationId, site]) => {
        const counts: UsageCounts = [...site].map(([projectKey, c]) => ({ projectKey, ...c }));
        for (let i = 0; i < counts.length; i += MAX_USAGE_PROJECTS_PER_CALL) {
          const part = counts.slice(i, i + MAX_USAGE_PROJECTS_PER_CALL);
          try {
            await this.deps.app.call(installationId, { type: 'usage', counts: part });
          } catch (err) {
            this.dropped += part.reduce((n, c) => n + c.loaded + c.opened, 0);
            this.deps.log.warn('usage.dropped', { installationId, err });
          }
        }
      }),
    );
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and sends what is left (drain and shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
