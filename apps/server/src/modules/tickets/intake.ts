import type { CreateTicket } from '@serviceloop/contracts';
import { and, desc, eq, gte, isNotNull, notInArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import { chinaDate, reportedDevice, warrantyStatus } from '../assets/index';
import { findCustomer } from '../customers/index';
import { REOPEN_WINDOW_DAYS } from './lifecycle';
import { faultSynonyms, tickets } from './tables';
import { matchProblemType, normaliseProblemType } from './taxonomy';

/**
 * What intake works out before a ticket is written: the device and everything it implies
 * (customer, site, model, contract, warranty, region), the fault category from free text, and
 * whether this is a repeat repair or a likely duplicate.
 */
export interface Resolved {
  customerId: string | null;
  serialNumber: string | null;
  assetCode: string | null;
  siteId: string | null;
  productModelId: string | null;
  deviceId: string | null;
  contractId: string | null;
  warrantyStatus: string | null;
  regionCode: string | null;
  customerName: string | null;
  unknownDevice: boolean;
  categoryId: string | null;
}

export async function resolveReport(db: Executor, input: CreateTicket, now: Date): Promise<Resolved> {
  const device = await reportedDevice(db, input);
  const customerId = device?.customerId ?? input.customerId ?? null;
  const customer = customerId ? await findCustomer(db, customerId) : undefined;
  return {
    customerId,
    serialNumber: device?.serialNumber ?? input.serialNumber ?? null,
    assetCode: device?.assetCode ?? input.assetCode ?? null,
    siteId: device?.siteId ?? input.siteId ?? null,
    productModelId: device?.modelId ?? input.productModelId ?? null,
    deviceId: device?.id ?? null,
    contractId: device?.contractId ?? null,
    warrantyStatus: device ? warrantyStatus(device.warrantyEndsOn, chinaDate(now)) : null,
    regionCode: customer?.regionCode ?? null,
    customerName: customer?.name ?? null,
    // A serial or asset code nobody knows is accepted, and flagged for data cleaning.
    unknownDevice: !device && !!(input.serialNumber || input.assetCode || input.deviceId),
    categoryId: input.categoryId ?? (input.problemType ? await categoryOf(db, input.problemType) : null),
  };
}

async function categoryOf(db: Executor, problemType: string): Promise<string | null> {
  const rows = await db
    .select({ normalised: faultSynonyms.normalised, categoryId: faultSynonyms.categoryId })
    .from(faultSynonyms);
  return matchProblemType(problemType, new Map(rows.map((r) => [r.normalised, r.categoryId])));
}

/** The ticket this one repeats: same device and fault category, closed within the last 30 days. */
export async function repeatOf(
  db: Executor,
  deviceId: string | null,
  categoryId: string | null,
  now: Date,
): Promise<string | null> {
  if (!deviceId || !categoryId) return null;
  const since = new Date(now.getTime() - REOPEN_WINDOW_DAYS * 86_400_000);
  const [previous] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(
        eq(tickets.deviceId, deviceId),
        eq(tickets.categoryId, categoryId),
        isNotNull(tickets.closedAt),
        gte(tickets.closedAt, since),
      ),
    )
    .orderBy(desc(tickets.closedAt))
    .limit(1);
  return previous?.id ?? null;
}

/** Character bigrams: a cheap similarity that works for Chinese without word segmentation. */
function bigrams(text: string): Set<string> {
  const s = normaliseProblemType(text);
  const grams = new Set<string>();
  for (let i = 0; i < s.length - 1; i++) grams.add(s.slice(i, i + 2));
  return grams;
}

export function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Likely duplicates to warn about: an open ticket on the same device, or the same customer describing something very similar within 24 h. */
export async function likelyDuplicates(db: Executor, resolved: Resolved, description: string, now: Date) {
  const found: { id: string; number: string; title: string; reason: string }[] = [];
  const open = notInArray(tickets.state, ['closed', 'cancelled']);
  if (resolved.deviceId) {
    const sameDevice = await db
      .select({ id: tickets.id, number: tickets.number, title: tickets.title })
      .from(tickets)
      .where(and(eq(tickets.deviceId, resolved.deviceId), open))
      .limit(5);
    found.push(...sameDevice.map((t) => ({ ...t, reason: 'same_device_open' })));
  }
  if (resolved.customerId) {
    const recent = await db
      .select({ id: tickets.id, number: tickets.number, title: tickets.title, description: tickets.description })
      .from(tickets)
      .where(
        and(eq(tickets.customerId, resolved.customerId), gte(tickets.createdAt, new Date(now.getTime() - 86_400_000))),
      )
      .orderBy(desc(tickets.createdAt))
      .limit(50);
    for (const t of recent) {
      if (!found.some((f) => f.id === t.id) && similarity(t.description, description) >= 0.6) {
        found.push({ id: t.id, number: t.number, title: t.title, reason: 'similar_description' });
      }
    }
  }
  return found;
}

const knownSequences = new Set<string>();

/**
 * SV-2026-000123: one sequence per year (Asia/Shanghai), created on first use beyond the migrated
 * years. Returned as an expression so the number is drawn inside the statement that writes the
 * ticket; a number past 999,999 grows a digit rather than being cut.
 */
export async function nextNumber(db: Executor, now: Date): Promise<{ sequence: string; expression: SQL }> {
  const year = Number(chinaDate(now).slice(0, 4));
  const sequence = `ticket_number_${year}`;
  if (!knownSequences.has(sequence)) {
    await db.execute(sql.raw(`create sequence if not exists ${sequence}`));
    knownSequences.add(sequence);
  }
  return {
    sequence,
    expression: sql.raw(
      `(select 'SV-${year}-' || lpad(n::text, greatest(6, length(n::text)), '0') from nextval('${sequence}') n)`,
    ),
  };
}

export function formatTicketNumber(year: number, n: number): string {
  return `SV-${year}-${String(n).padStart(6, '0')}`;
}
