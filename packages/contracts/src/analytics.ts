import { z } from 'zod';
import { patchOf } from './common';
import { Channel, Priority } from './tickets';

/**
 * Service analytics: the filters every KPI, report and chart accepts, and the shapes they answer
 * with. The definitions of the KPIs are in docs/kpis.md; the numbers come from one fact row per
 * ticket (server module `analytics`).
 */

const RegionCode = z.string().regex(/^\d{6}$/);

export const AnalyticsFilter = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('Start of the period (inclusive)'),
  to: z.iso.datetime({ offset: true }).optional().describe('End of the period (exclusive)'),
  regionCode: RegionCode.optional(),
  customerId: z.uuid().optional(),
  industry: z.string().max(50).optional(),
  productModelId: z.uuid().optional(),
  batch: z.string().max(50).optional(),
  categoryId: z.uuid().optional().describe('A fault category or one of its sub-types'),
  channel: Channel.optional(),
  priority: Priority.optional(),
  teamId: z.uuid().optional(),
  engineerId: z.uuid().optional(),
  field: z
    .string()
    .regex(/^[a-zA-Z][\w]{0,49}=.{1,100}$/)
    .optional()
    .describe('A custom field condition, `key=value`'),
});
export type AnalyticsFilter = z.infer<typeof AnalyticsFilter>;

/** A share: numerator ÷ denominator, null when nothing is counted. */
export const Ratio = z.object({ value: z.number().nullable(), numerator: z.number(), denominator: z.number() });
export type Ratio = z.infer<typeof Ratio>;

/** A duration in minutes over `count` tickets. */
export const DurationStats = z.object({
  count: z.number(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
export type DurationStats = z.infer<typeof DurationStats>;

export const Kpis = z.object({
  source: z
    .enum(['rollup', 'facts'])
    .describe(
      'Where the numbers came from: the daily rollup (whole China-time days, one dimension filter; percentiles within 4.5 %) or the per-ticket facts (exact)',
    ),
  closed: z.number(),
  created: z.number(),
  firstContactResolution: Ratio,
  firstTimeFix: Ratio,
  timeToRespond: DurationStats,
  timeToResolve: DurationStats,
  /** Resolution time without the time the ticket was suspended. */
  netTimeToResolve: DurationStats,
  /** Working minutes on the business calendar from report to close, suspended working time excluded. */
  businessTimeToResolve: DurationStats,
  responseSla: Ratio,
  resolutionSla: Ratio,
  csat: z.object({ mean: z.number().nullable(), satisfied: Ratio }),
  /** % promoters (9–10) − % detractors (0–6) of the survey answers with a score, −100 to 100. */
  nps: z.object({
    score: z.number().nullable(),
    promoters: z.number(),
    detractors: z.number(),
    answers: z.number(),
  }),
  repeatRepair: Ratio,
  costPerTicket: z.object({
    mean: z.number().nullable(),
    labourMinutes: z.number(),
    travelMinutes: z.number(),
    /** Parts used on the closed tickets (the parts module's ticket parts cost), in fen. */
    partsFen: z.number(),
    ratePerHour: z.number(),
  }),
});
export type Kpis = z.infer<typeof Kpis>;

export const UtilisationQuery = z.object({
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Start of the period (inclusive); default: today, China time'),
  to: z.iso.datetime({ offset: true }).optional().describe('End of the period (exclusive); default: the end of today'),
  regionCode: RegionCode.optional().describe('Engineers covering this region'),
  engineerId: z.uuid().optional(),
});
export type UtilisationQuery = z.infer<typeof UtilisationQuery>;

const UtilisationTotals = z.object({
  availableHours: z.number(),
  bookedHours: z.number(),
  /** booked ÷ available hours; null without available hours */
  utilisation: z.number().nullable(),
  visits: z.number(),
  /** jobs a day of the profile × working days in the period */
  jobCapacity: z.number(),
  /** visits ÷ job capacity */
  load: z.number().nullable(),
});

export const EngineerUtilisation = UtilisationTotals.extend({
  engineerId: z.uuid(),
  name: z.string(),
  workingDays: z.number(),
});
export type EngineerUtilisation = z.infer<typeof EngineerUtilisation>;

export const Utilisation = z.object({
  from: z.string(),
  to: z.string(),
  engineers: z.array(EngineerUtilisation),
  total: UtilisationTotals,
});
export type Utilisation = z.infer<typeof Utilisation>;

export const Backlog = z.object({
  open: z.number(),
  byState: z.array(z.object({ state: z.string(), count: z.number() })),
  byAge: z.array(z.object({ age: z.enum(['lt1d', '1to3d', '3to7d', 'gt7d']), count: z.number() })),
  dueSoon: z.number().describe('Open tickets whose resolution is due within the next 4 hours'),
  overdue: z.number(),
});
export type Backlog = z.infer<typeof Backlog>;

/** Refuses a period, by field, where the route has its own (a year; the last 7 days). */
const refusePeriod = (query: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  for (const key of ['from', 'to'] as const)
    if (query[key] !== undefined)
      ctx.addIssue({ code: 'custom', path: [key], message: 'validation.analytics.no_period' });
};

/**
 * The fault statistics of a year, for the tickets the filters select. The year is the period
 * (and last year the comparison), so `from` and `to` are refused rather than ignored.
 */
export const FaultStatisticsQuery = AnalyticsFilter.extend({
  year: z.coerce.number().int().min(2000).max(2100),
}).superRefine(refusePeriod);
export type FaultStatisticsQuery = z.infer<typeof FaultStatisticsQuery>;

/** Spikes are always the last 7 days against the 8 weeks before: every filter but the period. */
export const SpikeQuery = AnalyticsFilter.superRefine(refusePeriod);
export type SpikeQuery = z.infer<typeof SpikeQuery>;

export const FaultShare = z.object({
  categoryId: z.uuid(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  count: z.number(),
  share: z.number().describe('Per cent of the year’s tickets'),
  previousShare: z.number().nullable(),
  changePoints: z.number().nullable().describe('Share minus last year’s share, in percentage points'),
});
export const FaultStatistics = z.object({
  year: z.number(),
  total: z.number(),
  previousTotal: z.number(),
  categories: z.array(FaultShare.extend({ subTypes: z.array(FaultShare) })),
  byIndustry: z.array(z.object({ industry: z.string(), total: z.number(), categories: z.array(FaultShare) })),
});
export type FaultStatistics = z.infer<typeof FaultStatistics>;

export const ParetoDimension = z.enum([
  'productModel',
  'region',
  'batch',
  'category',
  'rootCategory',
  'customer',
  'industry',
  'channel',
  'engineer',
]);
export type ParetoDimension = z.infer<typeof ParetoDimension>;

export const ParetoQuery = AnalyticsFilter.extend({
  dimension: ParetoDimension,
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const Pareto = z.object({
  dimension: ParetoDimension,
  total: z.number(),
  bars: z.array(
    z.object({
      key: z.string().nullable(),
      label: z.string(),
      count: z.number(),
      share: z.number(),
      cumulative: z.number().describe('Cumulative per cent up to and including this bar'),
      vital: z.boolean().describe('Among the vital few: the bars that make up the first 80 %'),
    }),
  ),
});
export type Pareto = z.infer<typeof Pareto>;

export const TrendMeasure = z.enum(['created', 'closed', 'fcr', 'csat', 'timeToResolve', 'repeatRepair']);
export type TrendMeasure = z.infer<typeof TrendMeasure>;

export const TrendQuery = AnalyticsFilter.extend({
  measure: TrendMeasure.default('created'),
  interval: z.enum(['day', 'week', 'month']).default('month'),
});

/** A measure per interval over the period, beside the same measure one period earlier. */
export const Trend = z.object({
  measure: TrendMeasure,
  interval: z.enum(['day', 'week', 'month']),
  points: z.array(z.object({ bucket: z.string(), value: z.number().nullable(), count: z.number() })),
  previous: z.array(z.object({ bucket: z.string(), value: z.number().nullable(), count: z.number() })),
  total: z.object({ value: z.number().nullable(), previousValue: z.number().nullable() }),
});
export type Trend = z.infer<typeof Trend>;

export const EngineerStats = z.object({
  engineerId: z.uuid(),
  name: z.string(),
  closed: z.number(),
  medianResolveMinutes: z.number().nullable(),
  firstTimeFix: Ratio,
  csat: z.number().nullable(),
  openNow: z.number(),
});
export type EngineerStats = z.infer<typeof EngineerStats>;

/** What a report builder query can count and compute per group. */
export const ReportMeasure = z.enum([
  'tickets',
  'closed',
  'firstContactResolution',
  'firstTimeFix',
  'csat',
  'medianTimeToResolve',
  'resolutionSla',
  'repeatRepair',
]);
export type ReportMeasure = z.infer<typeof ReportMeasure>;

export const ReportDefinition = z.object({
  dimensions: z.array(ParetoDimension).min(1).max(2),
  measures: z.array(ReportMeasure).min(1).max(4),
  filters: AnalyticsFilter.default({}),
  chart: z.enum(['table', 'bar', 'line', 'pie', 'pareto']).default('table'),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ReportDefinition = z.infer<typeof ReportDefinition>;

export const ReportResult = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});
export type ReportResult = z.infer<typeof ReportResult>;

const Shared = z
  .array(z.enum(['admin', 'manager', 'agent', 'engineer', 'warehouse', 'quality']))
  .max(6)
  .default([]);

export const SavedReport = z.object({
  id: z.uuid(),
  name: z.string(),
  ownerId: z.uuid(),
  definition: ReportDefinition,
  sharedRoles: z.array(z.string()),
  version: z.number(),
});
export type SavedReport = z.infer<typeof SavedReport>;
export const SaveReport = z.object({
  name: z.string().trim().min(1).max(100),
  definition: ReportDefinition,
  sharedRoles: Shared,
});
export const UpdateReport = patchOf(SaveReport);

export const DashboardLayout = z.array(z.object({ reportId: z.uuid(), span: z.number().int().min(6).max(24) })).max(24);
export const Dashboard = z.object({
  id: z.uuid(),
  name: z.string(),
  ownerId: z.uuid(),
  layout: DashboardLayout,
  sharedRoles: z.array(z.string()),
  version: z.number(),
});
export type Dashboard = z.infer<typeof Dashboard>;
export const SaveDashboard = z.object({
  name: z.string().trim().min(1).max(100),
  layout: DashboardLayout.default([]),
  sharedRoles: Shared,
});
export const UpdateDashboard = patchOf(SaveDashboard);
