import { z } from 'zod';
import { PageQuery, patchOf, Timestamp } from './common';
import { RegionCode } from './customers';

/**
 * Field service: engineer profiles (skills, certifications, regions, home base, working hours,
 * capacity, leave, cost), assignment suggestions with their reasons, the day optimiser's plan
 * and its application, the dispatch board, and the geographic view's uploaded map.
 * Dispatch days are China Standard Time (UTC+8, no daylight saving).
 */

const text = (min: number, max: number, key?: string) =>
  z
    .string()
    .trim()
    .min(min, key ? { message: key } : undefined)
    .max(max);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.field.date' });
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'validation.field.time' });
const Skill = text(1, 40).regex(/^[^,;]+$/, { message: 'validation.field.skill' });
const Skills = z
  .array(Skill)
  .max(50)
  .transform((s) => [...new Set(s)]);

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const ShiftWindow = z
  .object({ weekday: z.number().int().min(1).max(7), start: HourMinute, end: HourMinute })
  .refine((w) => w.end > w.start, { message: 'validation.field.window_order', path: ['end'] });
export type ShiftWindow = z.infer<typeof ShiftWindow>;

export const Certification = z.object({ tag: Skill, expiresOn: IsoDate.nullable().default(null) });
export type Certification = z.infer<typeof Certification>;

export const Leave = z
  .object({ from: IsoDate, to: IsoDate, note: z.string().trim().max(200).nullable().default(null) })
  .refine((l) => l.to >= l.from, { message: 'validation.field.leave_order', path: ['to'] });
export type Leave = z.infer<typeof Leave>;

const Latitude = z.number().min(-90).max(90);
const Longitude = z.number().min(-180).max(180);

export const EngineerProfile = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    displayName: z.string(),
    skills: z.array(z.string()),
    certifications: z.array(z.object({ tag: z.string(), expiresOn: z.string().nullable() })),
    regionCodes: z.array(z.string()),
    homeLat: z.number().nullable(),
    homeLng: z.number().nullable(),
    workingHours: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
    capacityJobs: z.number().int(),
    capacityHours: z.number(),
    leave: z.array(z.object({ from: z.string(), to: z.string(), note: z.string().nullable() })),
    costRateFen: z.number().int(),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'EngineerProfile' });
export type EngineerProfile = z.infer<typeof EngineerProfile>;

const oneWindowPerDay = (windows: ShiftWindow[]) => new Set(windows.map((w) => w.weekday)).size === windows.length;
const homeBothOrNeither = (p: { homeLat?: number | null; homeLng?: number | null }) =>
  (p.homeLat === undefined) === (p.homeLng === undefined) && (p.homeLat === null) === (p.homeLng === null);

const profileFields = {
  skills: Skills,
  certifications: z.array(Certification).max(50),
  regionCodes: z.array(RegionCode).max(40),
  homeLat: Latitude.nullable(),
  homeLng: Longitude.nullable(),
  workingHours: z.array(ShiftWindow).max(7).refine(oneWindowPerDay, { message: 'validation.field.one_window_per_day' }),
  capacityJobs: z.number().int().min(1).max(30),
  capacityHours: z.number().min(0.5).max(24),
  leave: z.array(Leave).max(200),
  costRateFen: z.number().int().min(0).max(100_000_00),
  active: z.boolean(),
};

const MON_FRI = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:30', end: '17:30' }));

export const CreateEngineerProfile = z
  .object({
    userId: z.uuid(),
    ...profileFields,
    skills: profileFields.skills.default([]),
    certifications: profileFields.certifications.default([]),
    regionCodes: profileFields.regionCodes.optional(),
    homeLat: profileFields.homeLat.default(null),
    homeLng: profileFields.homeLng.default(null),
    workingHours: profileFields.workingHours.default(MON_FRI),
    capacityJobs: profileFields.capacityJobs.default(5),
    capacityHours: profileFields.capacityHours.default(8),
    leave: profileFields.leave.default([]),
    costRateFen: profileFields.costRateFen.default(0),
    active: profileFields.active.default(true),
  })
  .refine(homeBothOrNeither, { message: 'validation.field.home_pair', path: ['homeLng'] });
export type CreateEngineerProfile = z.input<typeof CreateEngineerProfile>;
export const UpdateEngineerProfile = patchOf(z.object(profileFields)).refine(homeBothOrNeither, {
  message: 'validation.field.home_pair',
  path: ['homeLng'],
});
export type UpdateEngineerProfile = z.input<typeof UpdateEngineerProfile>;
export const EngineerProfileQuery = PageQuery.extend({
  skill: z.string().max(40).optional(),
  regionCode: RegionCode.optional(),
});

/** Which skills a fault category or a product model needs; a job needs the union of both. */
export const SkillRequirement = z
  .object({
    subjectKind: z.enum(['category', 'model']),
    subjectId: z.uuid(),
    skills: z.array(z.string()),
  })
  .meta({ id: 'SkillRequirement' });
export type SkillRequirement = z.infer<typeof SkillRequirement>;
/** Setting an empty list removes the requirement. */
export const SetSkillRequirement = SkillRequirement.extend({ skills: Skills });

// ── suggestions ─────────────────────────────────────────────────────────────

/** A reason is a code and its numbers; the console words it in the reader's language. */
export const SuggestionReason = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  effect: z.enum(['plus', 'minus', 'block']),
});
export type SuggestionReason = z.infer<typeof SuggestionReason>;

export const ScoreParts = z.object({
  skill: z.number(),
  distance: z.number(),
  load: z.number(),
  urgency: z.number(),
  history: z.number(),
  parts: z.number(),
});
export type ScoreParts = z.infer<typeof ScoreParts>;

export const AssignmentSuggestion = z.object({
  engineerId: z.uuid(),
  displayName: z.string(),
  eligible: z.boolean(),
  score: z.number(),
  parts: ScoreParts,
  reasons: z.array(SuggestionReason),
  distanceKm: z.number().nullable(),
  travelMinutes: z.number().nullable(),
  earliestStart: Timestamp.nullable(),
});
export type AssignmentSuggestion = z.infer<typeof AssignmentSuggestion>;

export const AssignmentSuggestions = z.object({
  ticketId: z.uuid(),
  requiredSkills: z.array(z.string()),
  durationMinutes: z.number().int(),
  suggestions: z.array(AssignmentSuggestion),
});
export type AssignmentSuggestions = z.infer<typeof AssignmentSuggestions>;

export const SuggestionQuery = z.object({ date: IsoDate.optional() });

// ── the board ───────────────────────────────────────────────────────────────

export const BoardQuery = z.object({ date: IsoDate, days: z.coerce.number().int().min(1).max(7).default(1) });

export const BoardVisit = z.object({
  visitId: z.uuid(),
  ticketId: z.uuid(),
  ticketNumber: z.string(),
  ticketVersion: z.number().int(),
  title: z.string(),
  state: z.string(),
  priority: z.string().nullable(),
  engineerId: z.uuid(),
  plannedStart: Timestamp,
  plannedEnd: Timestamp,
  checkedInAt: Timestamp.nullable(),
  /** Helpers on the visit beside its lead (`engineerId`). */
  assistantIds: z.array(z.uuid()).default([]),
  flags: z.array(z.enum(['conflict', 'overtime', 'over_capacity', 'on_leave', 'late'])),
});
export type BoardVisit = z.infer<typeof BoardVisit>;

export const BoardJob = z.object({
  ticketId: z.uuid(),
  ticketNumber: z.string(),
  ticketVersion: z.number().int(),
  title: z.string(),
  state: z.string(),
  priority: z.string().nullable(),
  customerName: z.string().nullable(),
  regionCode: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  slaDueAt: Timestamp.nullable(),
  requiredSkills: z.array(z.string()),
  durationMinutes: z.number().int(),
});
export type BoardJob = z.infer<typeof BoardJob>;

export const BoardEngineer = z.object({
  engineerId: z.uuid(),
  displayName: z.string(),
  skills: z.array(z.string()),
  regionCodes: z.array(z.string()),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  capacityJobs: z.number().int(),
  capacityHours: z.number(),
  /** Per day of the range: the working window in local "HH:MM", or null when off or on leave. */
  days: z.array(
    z.object({ date: z.string(), start: z.string().nullable(), end: z.string().nullable(), onLeave: z.boolean() }),
  ),
});
export type BoardEngineer = z.infer<typeof BoardEngineer>;

export const DispatchBoard = z.object({
  from: z.string(),
  days: z.number().int(),
  engineers: z.array(BoardEngineer),
  visits: z.array(BoardVisit),
  unassigned: z.array(BoardJob),
});
export type DispatchBoard = z.infer<typeof DispatchBoard>;

// ── the optimiser ───────────────────────────────────────────────────────────

export const OptimiseDay = z.object({
  date: IsoDate,
  /** The jobs to plan; all unassigned jobs when absent. */
  ticketIds: z.array(z.uuid()).max(500).optional(),
});
export type OptimiseDay = z.infer<typeof OptimiseDay>;

export const PlannedAssignment = z.object({
  ticketId: z.uuid(),
  ticketNumber: z.string(),
  version: z.number().int(),
  engineerId: z.uuid(),
  plannedStart: Timestamp,
  plannedEnd: Timestamp,
  travelMinutes: z.number(),
  lateMinutes: z.number(),
});
export type PlannedAssignment = z.infer<typeof PlannedAssignment>;

export const PlanTotals = z.object({
  assigned: z.number().int(),
  unassigned: z.number().int(),
  travelMinutes: z.number(),
  slaMisses: z.number().int(),
  lateMinutes: z.number(),
});
export type PlanTotals = z.infer<typeof PlanTotals>;

export const DayPlan = z.object({
  date: z.string(),
  assignments: z.array(PlannedAssignment),
  unassigned: z.array(z.object({ ticketId: z.uuid(), ticketNumber: z.string(), reason: z.string() })),
  totals: PlanTotals,
  baseline: PlanTotals,
});
export type DayPlan = z.infer<typeof DayPlan>;

export const ApplyPlan = z.object({
  assignments: z
    .array(
      z.object({
        ticketId: z.uuid(),
        version: z.number().int().min(1),
        engineerId: z.uuid(),
        plannedStart: z.iso.datetime({ offset: true }),
        plannedEnd: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(500),
});
export type ApplyPlan = z.infer<typeof ApplyPlan>;

export const ApplyResult = z.object({
  results: z.array(
    z.object({
      ticketId: z.uuid(),
      ok: z.boolean(),
      version: z.number().int().nullable(),
      error: z.object({ status: z.number().int(), code: z.string(), message: z.string() }).nullable(),
    }),
  ),
  applied: z.number().int(),
  failed: z.number().int(),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

// ── the geographic view ─────────────────────────────────────────────────────

export const GeoMap = z
  .object({
    id: z.uuid(),
    name: z.string(),
    features: z.number().int(),
    sizeBytes: z.number().int(),
    uploadedAt: Timestamp,
  })
  .meta({ id: 'GeoMap' });
export type GeoMap = z.infer<typeof GeoMap>;

const Position = z.array(z.number()).min(2).max(3);
const Ring = z.array(Position).min(4);
const Geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);

/** An uploaded boundary map: polygons named by `properties.name` (省/市 names as the data spells them). */
export const UploadGeoMap = z.object({
  name: text(1, 100),
  geojson: z.object({
    type: z.literal('FeatureCollection'),
    features: z
      .array(
        z.object({
          type: z.literal('Feature'),
          properties: z.looseObject({ name: text(1, 100) }),
          geometry: Geometry,
        }),
      )
      .min(1)
      .max(5000),
  }),
});
export type UploadGeoMap = z.input<typeof UploadGeoMap>;
export const GeoMapQuery = PageQuery;

// ── places: finding a point by name, without internet ──────────────────────

/**
 * What a place search turns up: a division of the national tree (at its seat), a customer site
 * already in the system (at its stored point) or a warehouse (at its region's seat).
 */
export const PlaceKind = z.enum(['division', 'site', 'warehouse']);
/** How far to trust the point: a stored point, a district's seat, a city's, a province's. */
export const PlacePrecision = z.enum(['exact', 'district', 'city', 'province']);
export const Place = z
  .object({
    kind: PlaceKind,
    name: z.string(),
    /** The division path ("江苏省 苏州市 工业园区") or the site's address. */
    detail: z.string(),
    regionCode: z.string().nullable(),
    lat: z.number(),
    lng: z.number(),
    precision: PlacePrecision,
  })
  .meta({ id: 'Place' });
export type Place = z.infer<typeof Place>;

export const PlaceQuery = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(20).default(10),
});

/**
 * The map behind the pin. Coordinates in ServiceLoop are GCJ-02, the system Chinese tile services
 * draw in, so a pin dropped on their tiles lands where it looks. `url` is null when no tiles are
 * configured: the picker then offers the address search alone.
 */
export const MapTiles = z
  .object({
    url: z.string().nullable(),
    subdomains: z.string(),
    attribution: z.string(),
    coordinateSystem: z.literal('GCJ-02'),
  })
  .meta({ id: 'MapTiles' });
export type MapTiles = z.infer<typeof MapTiles>;
