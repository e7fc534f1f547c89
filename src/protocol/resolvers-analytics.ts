/**
 * Resolver contracts of analytics settings (admin page) and chat reports (project page,
 * admin page). Merged into `Resolvers` (resolvers.ts).
 */
import { z } from 'zod';
import { ProjectKey } from './ids.js';
import { AccountId } from './ids.js';
import { MAX_REPORT_DAYS, type ChatReport as ChatReportShape } from './chat-report.js';

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (yyyy-mm-dd)');
export const ReportRequest = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((r) => r.from <= r.to, 'from must not be after to')
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 < MAX_REPORT_DAYS, `at most ${MAX_REPORT_DAYS} days`);

const Seconds = z.number().int().min(0).nullable();
export const ChatReport = z.object({
  from: IsoDate,
  to: IsoDate,
  missedAfterMinutes: z.number().int(),
  totals: z.object({
    chats: z.number().int(),
    offline: z.number().int(),
    answered: z.number().int(),
    missed: z.number().int(),
    medianFirstResponseSec: Seconds,
    p90FirstResponseSec: Seconds,
    ratings: z.number().int(),
    averageRating: z.number().nullable(),
  }),
  days: z.array(
    z.object({
      date: IsoDate,
      chats: z.number().int(),
      missed: z.number().int(),
      offline: z.number().int(),
      medianFirstResponseSec: Seconds,
      p90FirstResponseSec: Seconds,
    }),
  ),
  agents: z.array(z.object({ accountId: AccountId, name: z.string(), chats: z.number().int(), medianFirstResponseSec: Seconds })),
  heatmap: z.array(z.array(z.number().int()).length(24)).length(7),
  ratings: z.array(z.object({ rating: z.number().int().min(1).max(5), count: z.number().int() })),
  truncated: z.boolean(),
}) satisfies z.ZodType<ChatReportShape>;

const Counters = z.object({
  sent: z.number().int(),
  dropped: z.number().int(),
  parked: z.number().int(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});

export const AnalyticsView = z.object({
  enabled: z.boolean(),
  missedAfterMinutes: z.number().int(),
  /** Secrets are write-only: the page learns only whether one is stored. */
  ga4: z.object({ configured: z.boolean(), measurementId: z.string().nullable(), endpoint: z.string().nullable(), counters: Counters }),
  bigquery: z.object({
    configured: z.boolean(),
    projectId: z.string().nullable(),
    datasetId: z.string().nullable(),
    tableId: z.string().nullable(),
    clientEmail: z.string().nullable(),
    endpoint: z.string().nullable(),
    counters: Counters,
  }),
});
export type AnalyticsView = z.infer<typeof AnalyticsView>;

export const AnalyticsResolvers = {
  'analytics.load': { req: z.object({}), res: AnalyticsView },
  'analytics.save': {
    req: z.object({
      missedAfterMinutes: z.number().int().min(1).max(1440),
      /** null removes the sink. A missing secret keeps the stored one. */
      ga4: z.object({ measurementId: z.string().max(40), endpoint: z.string().max(200).optional(), apiSecret: z.string().max(200).optional() }).nullable(),
      bigquery: z
        .object({
          projectId: z.string().max(100),
          datasetId: z.string().max(1024),
          tableId: z.string().max(1024),
          endpoint: z.string().max(200).optional(),
          /** The service account key file's JSON text. */
          serviceAccountKey: z.string().max(10_000).optional(),
        })
        .nullable(),
    }),
    res: AnalyticsView,
  },
  'reports.project': { req: z.object({ projectKey: ProjectKey }).and(ReportRequest), res: ChatReport },
  'reports.site': {
    req: ReportRequest,
    res: ChatReport.extend({ projects: z.array(z.object({ key: ProjectKey, chats: z.number().int(), missed: z.number().int() })) }),
  },
} satisfies Record<string, { req: z.ZodTypeAny; res: z.ZodTypeAny }>;
