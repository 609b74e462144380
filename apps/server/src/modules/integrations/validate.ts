import {
  CUSTOM_FIELD_PREFIX,
  checkFieldValues,
  type FieldDefinition,
  type ImportEntity,
  type ImportFieldDef,
  isValidCreditCode,
} from '@serviceloop/contracts';
import { areaList } from '@vant/area-data';
import { matchProblemType, normaliseProblemType } from '../tickets/index';
import {
  type Cell,
  cellText,
  looseKey,
  parseBoolean,
  parseDate,
  parseDateTime,
  parseNumber,
  UncachedFormula,
} from './cells';
import type { SheetRow } from './sheet';

/**
 * Row validation, pure: the rows of a file, the chosen mapping and what the database knows
 * (lookups) in; typed records, every problem by row and field, and the free-text values the
 * taxonomy could not place out. The same function serves the preview, the report and the import,
 * so what the report promises is exactly what the import does.
 */

export interface DeviceRef {
  id: string;
  customerId: string;
  modelId: string;
  siteId: string | null;
  serialNumber: string;
}

export interface Lookups {
  /** lower(name) → customer */
  customers: Map<string, { id: string; regionCode: string }>;
  /** serial number → devices with it (one per model at most) */
  devices: Map<string, DeviceRef[]>;
  /** lower(username) and lower(display name) → user id; null when a name is ambiguous */
  users: Map<string, string | null>;
  /** normalised synonym → category id */
  synonyms: Map<string, string>;
  /** category code → id (leaves and roots) */
  categories: Map<string, string>;
  /** lower(model code) → model id */
  productModels: Map<string, string>;
  /** unique field → keys that exist already */
  existing: Map<string, Set<string>>;
}

export interface Problem {
  line: number;
  field: string;
  code: string;
  value: string | null;
  params?: Record<string, string | number>;
}

export interface CheckedRow {
  line: number;
  values: Record<string, unknown>;
}

export interface Checked {
  rows: CheckedRow[];
  problems: Problem[];
  /** field → unplaced value → rows */
  unmapped: Map<string, Map<string, number>>;
}

export interface CheckOptions {
  entity: ImportEntity;
  /** The entity's importable fields: IMPORT_FIELDS, and for tickets the importable custom fields. */
  fields: ImportFieldDef[];
  /** The custom field definitions behind `fields.<key>` fields, whose own rule checks their values. */
  definitions: FieldDefinition[];
  headers: string[];
  /** header → field */
  mapping: Record<string, string | null>;
  /** unknown free-text value → category code */
  values: Record<string, string>;
  now: Date;
}

/** Which column index feeds each field. */
export function columnsOf(headers: string[], mapping: Record<string, string | null>): Map<string, number> {
  const columns = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = mapping[h];
    if (key && !columns.has(key)) columns.set(key, i);
  });
  return columns;
}

/** The problem-type values of the file the taxonomy cannot place (the unmapped-values step). */
export function problemTypeKey(text: string): string {
  return normaliseProblemType(text);
}

const PROVINCES = Object.entries(areaList.province_list as Record<string, string>);

/** 440000, 广东省 or 广东 → 440000. */
export function provinceCode(text: string): string | null {
  const t = text.trim();
  if (/^\d{6}$/.test(t)) return PROVINCES.some(([code]) => code === t) ? t : null;
  if (t.length < 2) return null;
  return PROVINCES.find(([, name]) => name === t || name.startsWith(t))?.[0] ?? null;
}

/** The key under which a unique field's value is compared (in the file and against the database). */
export function uniqueKey(entity: ImportEntity, field: string, values: Record<string, unknown>): string | null {
  const v = values[field];
  if (v === null || v === undefined || v === '') return null;
  if (entity === 'customer' && field === 'name') return String(v).toLowerCase();
  if (entity === 'device' && field === 'serialNumber') return `${String(values.modelCode).toLowerCase()}|${v}`;
  return String(v);
}

type Parsed = { ok: true; value: unknown } | { ok: false; code: string; params?: Record<string, string | number> };

/** One cell as a field's type says; null for an empty cell. */
export function parseField(field: ImportFieldDef, cell: Cell): Parsed {
  // Neither empty nor 0: its value is unknown until Excel or WPS computes and saves it.
  if (cell instanceof UncachedFormula)
    return { ok: false, code: 'import.formula_without_value', params: { cell: cell.ref } };
  const text = cellText(cell);
  if (text === '') return { ok: true, value: null };
  switch (field.type) {
    case 'text':
      return field.max && text.length > field.max
        ? { ok: false, code: 'import.too_long', params: { max: field.max } }
        : { ok: true, value: text };
    case 'integer':
    case 'number': {
      const n = parseNumber(cell);
      if (n === null || (field.type === 'integer' && !Number.isInteger(n)))
        return { ok: false, code: field.type === 'integer' ? 'import.invalid_integer' : 'import.invalid_number' };
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max))
        return { ok: false, code: 'import.out_of_range', params: { min: field.min ?? '', max: field.max ?? '' } };
      return { ok: true, value: n };
    }
    case 'datetime': {
      const d = parseDateTime(cell);
      return d ? { ok: true, value: d } : { ok: false, code: 'import.invalid_datetime' };
    }
    case 'date': {
      const d = parseDate(cell);
      return d ? { ok: true, value: d } : { ok: false, code: 'import.invalid_date' };
    }
    case 'boolean': {
      const v = parseBoolean(cell);
      return v === null ? { ok: false, code: 'import.invalid_boolean' } : { ok: true, value: v };
    }
    case 'enum': {
      const hit = enumSpellings(field).get(looseKey(text));
      return hit
        ? { ok: true, value: hit }
        : { ok: false, code: 'import.invalid_enum', params: { allowed: field.values!.map((v) => v.value).join(', ') } };
    }
  }
}

const spellings = new WeakMap<ImportFieldDef, Map<string, string>>();

/** An enum field's accepted spellings (value and both labels, loosely) → value; built once per field. */
function enumSpellings(field: ImportFieldDef): Map<string, string> {
  let map = spellings.get(field);
  if (!map) {
    map = new Map();
    for (const v of field.values!)
      for (const name of [v.value, v.label['zh-CN'], v.label['en-US']]) map.set(looseKey(name), v.value);
    spellings.set(field, map);
  }
  return map;
}

export function checkRows(rows: SheetRow[], options: CheckOptions, lookups: Lookups): Checked {
  const fields = options.fields;
  const columns = columnsOf(options.headers, options.mapping);
  // History predates a field's being required: required-ness is the import field's (never), the rest
  // (pattern, range, money's cents, choices) the form's own rule.
  const definitions = options.definitions.map((d) => ({ ...d, required: false }));
  const custom = fields.filter((f) => f.key.startsWith(CUSTOM_FIELD_PREFIX) && columns.has(f.key));
  const problems: Problem[] = [];
  const unmapped = new Map<string, Map<string, number>>();
  const firstSeen = new Map<string, Map<string, number>>();
  const valueMap = new Map(Object.entries(options.values).map(([k, code]) => [problemTypeKey(k), code]));
  // A history repeats a handful of problem texts thousands of times: place each text once.
  const placed = new Map<string, string | null>();
  const categoryOf = (text: string) => {
    let id = placed.get(text);
    if (id === undefined) {
      const chosen = valueMap.get(problemTypeKey(text));
      id = (chosen ? lookups.categories.get(chosen) : matchProblemType(text, lookups.synonyms)) ?? null;
      placed.set(text, id);
    }
    return id;
  };
  const checked: CheckedRow[] = [];
  const uniqueFields = fields.filter((f) => f.unique);

  for (const row of rows) {
    const values: Record<string, unknown> = {};
    const raw: Record<string, string | null> = {};
    let bad = false;
    const problem = (field: string, code: string, params?: Problem['params']) => {
      problems.push({ line: row.line, field, code, value: raw[field] ?? null, params });
      bad = true;
    };
    for (const field of fields) {
      const column = columns.get(field.key);
      const cell = column === undefined ? null : (row.cells[column] ?? null);
      raw[field.key] = cell === null ? null : cellText(cell);
      const parsed = parseField(field, cell);
      if (!parsed.ok) {
        problem(field.key, parsed.code, parsed.params);
        continue;
      }
      if (parsed.value === null && field.required) problem(field.key, 'import.required');
      values[field.key] = parsed.value;
    }
    const context: RowContext = { values, raw, problem, lookups, options, categoryOf, unmapped };
    ENTITY_CHECKS[options.entity](context);
    if (custom.length > 0) customValues(context, custom, definitions);
    for (const field of uniqueFields) {
      const key = uniqueKey(options.entity, field.key, values);
      if (key === null) continue;
      if (lookups.existing.get(field.key)?.has(key)) problem(field.key, 'import.duplicate_existing');
      const seen = firstSeen.get(field.key) ?? new Map<string, number>();
      firstSeen.set(field.key, seen);
      const first = seen.get(key);
      if (first !== undefined) problem(field.key, 'import.duplicate_in_file', { row: first });
      else seen.set(key, row.line);
    }
    if (!bad) checked.push({ line: row.line, values });
  }
  return { rows: checked, problems, unmapped };
}

/**
 * The row's custom field values as the ticket stores them (`values.fields`; date-times as ISO
 * text, dates as YYYY-MM-DD), checked by the forms' rule; each problem on its `fields.<key>` column.
 */
function customValues(c: RowContext, custom: ImportFieldDef[], definitions: FieldDefinition[]): void {
  const stored: Record<string, unknown> = {};
  for (const f of custom) {
    const value = c.values[f.key];
    if (value === null || value === undefined) continue;
    stored[f.key.slice(CUSTOM_FIELD_PREFIX.length)] = value instanceof Date ? value.toISOString() : value;
  }
  for (const p of checkFieldValues(definitions, stored))
    c.problem(`${CUSTOM_FIELD_PREFIX}${p.key}`, p.message, p.params as Problem['params']);
  c.values.fields = stored;
}

interface RowContext {
  values: Record<string, unknown>;
  raw: Record<string, string | null>;
  problem: (field: string, code: string, params?: Problem['params']) => void;
  lookups: Lookups;
  options: CheckOptions;
  /** A free-text problem type → its fault category (chosen by hand or through the synonyms). */
  categoryOf: (text: string) => string | null;
  unmapped: Map<string, Map<string, number>>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

const ENTITY_CHECKS: Record<ImportEntity, (c: RowContext) => void> = {
  ticket(c) {
    const v = c.values;
    const customerName = str(v.customerName);
    const customer = customerName ? c.lookups.customers.get(customerName.toLowerCase()) : undefined;
    if (customerName && !customer) c.problem('customerName', 'import.unknown_reference');
    v.customerId = customer?.id ?? null;
    v.regionCode = customer?.regionCode ?? null;
    const serial = str(v.serialNumber);
    v.device = null;
    if (serial) {
      const candidates = c.lookups.devices.get(serial) ?? [];
      const device = candidates.find((d) => d.customerId === customer?.id);
      if (candidates.length === 0) c.problem('serialNumber', 'import.unknown_reference');
      else if (customer && !device) c.problem('serialNumber', 'import.device_other_customer');
      v.device = device ?? null;
    }
    const engineer = str(v.engineer);
    v.engineerId = null;
    if (engineer) {
      const id = c.lookups.users.get(engineer.toLowerCase());
      if (id === undefined) c.problem('engineer', 'import.unknown_reference');
      else if (id === null) c.problem('engineer', 'import.ambiguous_reference');
      v.engineerId = id ?? null;
    }
    const problemType = str(v.problemType);
    v.categoryId = null;
    if (problemType) {
      const categoryId = c.categoryOf(problemType);
      if (categoryId) v.categoryId = categoryId;
      else {
        const counts = c.unmapped.get('problemType') ?? new Map<string, number>();
        c.unmapped.set('problemType', counts);
        counts.set(problemType, (counts.get(problemType) ?? 0) + 1);
        c.problem('problemType', 'import.unmapped_value');
      }
    }
    const reported = v.reportedAt as Date | null;
    const responded = v.respondedAt as Date | null;
    const resolved = v.resolvedAt as Date | null;
    const closed = v.closedAt as Date | null;
    if (reported && responded && responded < reported)
      c.problem('respondedAt', 'import.before', { other: 'reportedAt' });
    if (reported && resolved && resolved < reported) c.problem('resolvedAt', 'import.before', { other: 'reportedAt' });
    else if (responded && resolved && resolved < responded)
      c.problem('resolvedAt', 'import.before', { other: 'respondedAt' });
    if (resolved && closed && closed < resolved) c.problem('closedAt', 'import.before', { other: 'resolvedAt' });
    if (closed && closed > c.options.now) c.problem('closedAt', 'import.in_future');
    // History has no visit records: an on-site job the file does not count took one visit.
    v.visits ??= v.serviceType === 'onsite' ? 1 : 0;
  },
  customer(c) {
    const v = c.values;
    const region = str(v.regionCode);
    if (region) {
      const code = provinceCode(region);
      if (!code) c.problem('regionCode', 'import.invalid_region');
      v.regionCode = code;
    }
    const credit = str(v.creditCode)?.toUpperCase() ?? null;
    if (credit && !isValidCreditCode(credit)) c.problem('creditCode', 'import.invalid_credit_code');
    v.creditCode = credit;
    v.tier ??= 'standard';
  },
  device(c) {
    const v = c.values;
    const modelCode = str(v.modelCode);
    v.modelId = modelCode ? (c.lookups.productModels.get(modelCode.toLowerCase()) ?? null) : null;
    if (modelCode && !v.modelId) c.problem('modelCode', 'import.unknown_reference');
    const customerName = str(v.customerName);
    const customer = customerName ? c.lookups.customers.get(customerName.toLowerCase()) : undefined;
    if (customerName && !customer) c.problem('customerName', 'import.unknown_reference');
    v.customerId = customer?.id ?? null;
    const installed = str(v.installedOn);
    const warranty = str(v.warrantyEndsOn);
    if (installed && warranty && warranty < installed)
      c.problem('warrantyEndsOn', 'import.before', { other: 'installedOn' });
  },
  part(c) {
    const v = c.values;
    const sku = str(v.sku);
    if (sku && !/^[\w.-]+$/.test(sku)) c.problem('sku', 'import.invalid_code');
    const cost = v.unitCost as number | null;
    if (cost !== null && cost !== undefined && Math.abs(Math.round(cost * 100) - cost * 100) > 1e-6)
      c.problem('unitCost', 'import.too_many_decimals');
    v.unitCostFen = cost === null || cost === undefined ? null : Math.round(cost * 100);
    v.unit ??= '个';
    v.serialTracked ??= false;
  },
};
