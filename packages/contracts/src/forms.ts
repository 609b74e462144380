import { z } from 'zod';
import { patchOf } from './common';
import { TicketType } from './tickets';

/**
 * Custom fields: what an administrator adds to a ticket type's report form without code. The
 * same definitions and the same `checkFieldValues` run in the browser (the form) and on the
 * server (the API), so both refuse exactly the same input.
 */
export const FieldKind = z.enum([
  'text',
  'longText',
  'number',
  'money',
  'date',
  'datetime',
  'select',
  'multiSelect',
  'cascade',
  'checkbox',
  /** Files uploaded through the tickets attachments API; the value is their ids. */
  'attachment',
  /** `{ lat, lng, address? }`, typed or taken from the browser's geolocation. */
  'location',
  /** A signature drawn on screen: a PNG data URL of at most ~200 kB. */
  'signature',
  /** The id of a customer, device or part (`reference` says which); the server checks it exists. */
  'reference',
]);
export type FieldKind = z.infer<typeof FieldKind>;

export type FieldChoice = { value: string; labelZh: string; labelEn: string; children?: FieldChoice[] };
export const FieldChoice: z.ZodType<FieldChoice> = z
  .object({
    value: z.string().trim().min(1).max(100),
    labelZh: z.string().trim().min(1).max(100),
    labelEn: z.string().trim().min(1).max(100),
    /** Cascading selects: the choices under this one (e.g. province → city). */
    children: z
      .array(z.lazy(() => FieldChoice))
      .max(500)
      .optional(),
  })
  .meta({ id: 'FieldChoice' }); // named, so the OpenAPI document can refer to the recursion

export const ReferenceTarget = z.enum(['customer', 'device', 'part']);
export type ReferenceTarget = z.infer<typeof ReferenceTarget>;

/** Limits shared by browser and server: a signature as big as the visit sign-off's, a few files. */
export const FIELD_LIMITS = { signatureChars: 280_000, attachments: 10, address: 200 } as const;

export const FieldDefinitionInput = z.object({
  ticketType: TicketType.default('repair'),
  key: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9]{1,39}$/, { message: 'validation.field_key' })
    .describe('Stable key the value is stored under, e.g. `runningHours`'),
  labelZh: z.string().trim().min(1).max(100),
  labelEn: z.string().trim().min(1).max(100),
  kind: FieldKind,
  required: z.boolean().default(false),
  helpZh: z.string().trim().max(300).nullable().optional(),
  helpEn: z.string().trim().max(300).nullable().optional(),
  pattern: z.string().max(200).nullable().optional().describe('A regular expression text values must match'),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
  choices: z.array(FieldChoice).max(500).default([]),
  /** What a `reference` field points at. */
  reference: ReferenceTarget.nullable().optional(),
  defaultValue: z.unknown().optional(),
  /** Shown (and required) only when another field has this value. */
  showWhen: z.object({ key: z.string(), equals: z.unknown() }).nullable().optional(),
  position: z.number().int().min(0).max(1000).default(0),
  active: z.boolean().default(true),
});
export type FieldDefinitionInput = z.input<typeof FieldDefinitionInput>;

export const FieldDefinition = FieldDefinitionInput.extend({ id: z.uuid(), version: z.number() });
export type FieldDefinition = z.infer<typeof FieldDefinition>;
export const UpdateFieldDefinition = patchOf(FieldDefinitionInput.omit({ key: true, ticketType: true }));

/** One problem with one custom field value; `message` is an i18n key. */
export interface FieldProblem {
  key: string;
  message: string;
  params?: Record<string, unknown>;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function inChoices(choices: FieldChoice[], path: unknown[]): boolean {
  let level = choices;
  for (const step of path) {
    const found = level.find((c) => c.value === step);
    if (!found) return false;
    level = found.children ?? [];
  }
  return true;
}

const isId = (v: unknown): v is string =>
  typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

function isLocation(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const { lat, lng, address, ...rest } = v as Record<string, unknown>;
  const inRange = (n: unknown, limit: number) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= limit;
  return (
    Object.keys(rest).length === 0 &&
    inRange(lat, 90) &&
    inRange(lng, 180) &&
    (address === undefined ||
      address === null ||
      (typeof address === 'string' && address.length <= FIELD_LIMITS.address))
  );
}

/** The ids a value of an `attachment` field names (none for any other kind or a bad value). */
export function attachmentIds(kind: FieldKind, value: unknown): string[] {
  return kind === 'attachment' && Array.isArray(value) ? value.filter(isId) : [];
}

/** Whether a field is shown for these values (its show-when condition holds, or it has none). */
export function fieldShown(field: Pick<FieldDefinition, 'showWhen'>, values: Record<string, unknown>): boolean {
  if (!field.showWhen) return true;
  return JSON.stringify(values[field.showWhen.key] ?? null) === JSON.stringify(field.showWhen.equals ?? null);
}

/**
 * Checks custom field values against their definitions: required (when shown), type, pattern,
 * range, choices. Unknown keys are refused too, so a typo never silently disappears.
 */
export function checkFieldValues(
  definitions: Pick<
    FieldDefinition,
    'key' | 'kind' | 'required' | 'pattern' | 'min' | 'max' | 'choices' | 'showWhen' | 'active' | 'reference'
  >[],
  values: Record<string, unknown>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const active = definitions.filter((d) => d.active !== false);
  const known = new Set(active.map((d) => d.key));
  for (const key of Object.keys(values))
    if (!known.has(key)) problems.push({ key, message: 'validation.field_unknown' });
  for (const d of active) {
    const value = values[d.key];
    if (!fieldShown(d, values)) continue;
    if (isEmpty(value)) {
      if (d.required) problems.push({ key: d.key, message: 'validation.required' });
      continue;
    }
    const problem = (message: string, params?: Record<string, unknown>) =>
      problems.push({ key: d.key, message, ...(params ? { params } : {}) });
    switch (d.kind) {
      case 'text':
      case 'longText':
        if (typeof value !== 'string') problem('validation.field_type');
        else if (value.length > (d.kind === 'text' ? 500 : 5000)) problem('validation.field_too_long');
        else if (d.pattern && !new RegExp(`^(?:${d.pattern})$`).test(value)) problem('validation.field_pattern');
        break;
      case 'number':
      case 'money':
        if (typeof value !== 'number' || !Number.isFinite(value)) problem('validation.field_type');
        else if (d.kind === 'money' && Math.round(value * 100) !== value * 100) problem('validation.field_money');
        else if ((d.min ?? null) !== null && value < d.min!) problem('validation.field_min', { min: d.min });
        else if ((d.max ?? null) !== null && value > d.max!) problem('validation.field_max', { max: d.max });
        break;
      case 'date':
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
          problem('validation.field_type');
        break;
      case 'datetime':
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) problem('validation.field_type');
        break;
      case 'checkbox':
        if (typeof value !== 'boolean') problem('validation.field_type');
        break;
      case 'select':
        if (typeof value !== 'string' || !inChoices(d.choices ?? [], [value])) problem('validation.field_choice');
        break;
      case 'multiSelect':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !inChoices(d.choices ?? [], [v])))
          problem('validation.field_choice');
        break;
      case 'cascade':
        if (!Array.isArray(value) || !inChoices(d.choices ?? [], value)) problem('validation.field_choice');
        break;
      case 'attachment':
        if (!Array.isArray(value) || value.some((v) => !isId(v))) problem('validation.field_type');
        else if (value.length > (d.max ?? FIELD_LIMITS.attachments))
          problem('validation.field_max_files', { max: d.max ?? FIELD_LIMITS.attachments });
        break;
      case 'location':
        if (!isLocation(value)) problem('validation.field_location');
        break;
      case 'signature':
        if (typeof value !== 'string' || !/^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(value))
          problem('validation.field_signature');
        else if (value.length > FIELD_LIMITS.signatureChars) problem('validation.field_too_long');
        break;
      case 'reference':
        if (!isId(value)) problem('validation.field_type');
        break;
    }
  }
  return problems;
}

/**
 * What is wrong with a definition beyond its shape: a pattern that is no regular expression, a
 * reference field that does not say what it points at. The designer and the server (field API,
 * configuration import) ask the same question.
 */
export function definitionProblems(
  d: Partial<Pick<FieldDefinition, 'kind' | 'pattern' | 'reference'>>,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (d.pattern)
    try {
      new RegExp(d.pattern);
    } catch {
      problems.push({ path: 'pattern', message: 'validation.field_pattern_invalid' });
    }
  if (d.kind === 'reference' && !d.reference) problems.push({ path: 'reference', message: 'validation.required' });
  return problems;
}
