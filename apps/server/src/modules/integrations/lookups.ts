import type { ImportEntity } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, rows, textArray } from '../../platform/db/client';
import { cellText } from './cells';
import type { SheetRow } from './sheet';
import { columnsOf, type DeviceRef, type Lookups } from './validate';

/**
 * What the database knows about the keys a file mentions — its customer names, serial numbers,
 * engineers, model codes and unique values — fetched with one query per kind for the distinct
 * values of the file, not one per row.
 */
export async function lookupsFor(
  db: Executor,
  entity: ImportEntity,
  sheet: { headers: string[]; rows: SheetRow[] },
  mapping: Record<string, string | null>,
): Promise<Lookups> {
  const columns = columnsOf(sheet.headers, mapping);
  const distinct = (field: string, transform: (s: string) => string = (s) => s) => {
    const column = columns.get(field);
    if (column === undefined) return [];
    const set = new Set<string>();
    for (const row of sheet.rows) {
      const text = cellText(row.cells[column] ?? null);
      if (text) set.add(transform(text));
    }
    return [...set];
  };
  const lower = (s: string) => s.toLowerCase();
  const customerNames = distinct(entity === 'customer' ? 'name' : 'customerName', lower);
  const lookups: Lookups = {
    customers: new Map(),
    devices: new Map(),
    users: new Map(),
    synonyms: new Map(),
    categories: new Map(),
    productModels: new Map(),
    existing: new Map(),
  };
  const found = await rows<{ id: string; region_code: string; key: string }>(
    db,
    sql`select id, region_code, lower(name) as key from customers where lower(name) = any(${textArray(customerNames)})`,
  );
  for (const c of found) lookups.customers.set(c.key, { id: c.id, regionCode: c.region_code });

  if (entity === 'ticket') {
    const serials = distinct('serialNumber');
    for (const d of await rows<{
      id: string;
      customer_id: string;
      model_id: string;
      site_id: string | null;
      serial_number: string;
    }>(
      db,
      sql`select id, customer_id, model_id, site_id, serial_number from devices where serial_number = any(${textArray(serials)})`,
    )) {
      const ref: DeviceRef = {
        id: d.id,
        customerId: d.customer_id,
        modelId: d.model_id,
        siteId: d.site_id,
        serialNumber: d.serial_number,
      };
      lookups.devices.set(d.serial_number, [...(lookups.devices.get(d.serial_number) ?? []), ref]);
    }
    const names = distinct('engineer', lower);
    for (const u of await rows<{ id: string; username: string; display_name: string }>(
      db,
      sql`select id, lower(username) as username, lower(display_name) as display_name from users
          where lower(username) = any(${textArray(names)}) or lower(display_name) = any(${textArray(names)})`,
    )) {
      lookups.users.set(u.username, u.id);
    }
    // A display name shared by two people is ambiguous; a username never is.
    const byName = new Map<string, string[]>();
    for (const u of await rows<{ id: string; display_name: string }>(
      db,
      sql`select id, lower(display_name) as display_name from users where lower(display_name) = any(${textArray(names)})`,
    )) {
      byName.set(u.display_name, [...(byName.get(u.display_name) ?? []), u.id]);
    }
    for (const [name, ids] of byName)
      if (!lookups.users.has(name)) lookups.users.set(name, ids.length === 1 ? ids[0]! : null);
    for (const s of await rows<{ normalised: string; category_id: string }>(
      db,
      sql`select normalised, category_id from fault_synonyms`,
    )) {
      lookups.synonyms.set(s.normalised, s.category_id);
    }
    const sources = distinct('sourceNumber');
    lookups.existing.set(
      'sourceNumber',
      new Set(
        (
          await rows<{ key: string }>(
            db,
            sql`select source_key as key from imported_records where entity = 'ticket' and source_key = any(${textArray(sources)})
                union all select number from tickets where number = any(${textArray(sources)})`,
          )
        ).map((r) => r.key),
      ),
    );
  }
  for (const c of await rows<{ id: string; code: string }>(db, sql`select id, code from fault_categories`)) {
    lookups.categories.set(c.code, c.id);
  }

  if (entity === 'customer') {
    lookups.existing.set('name', new Set(found.map((c) => c.key)));
    const codes = distinct('creditCode', (s) => s.toUpperCase());
    lookups.existing.set(
      'creditCode',
      new Set(
        (
          await rows<{ key: string }>(
            db,
            sql`select credit_code as key from customers where credit_code = any(${textArray(codes)})`,
          )
        ).map((r) => r.key),
      ),
    );
  }
  if (entity === 'device') {
    for (const m of await rows<{ id: string; key: string }>(
      db,
      sql`select id, lower(code) as key from product_models where lower(code) = any(${textArray(distinct('modelCode', lower))})`,
    )) {
      lookups.productModels.set(m.key, m.id);
    }
    const serials = distinct('serialNumber');
    lookups.existing.set(
      'serialNumber',
      new Set(
        (
          await rows<{ key: string }>(
            db,
            sql`select lower(m.code) || '|' || d.serial_number as key from devices d join product_models m on m.id = d.model_id
                where d.serial_number = any(${textArray(serials)})`,
          )
        ).map((r) => r.key),
      ),
    );
    lookups.existing.set(
      'assetCode',
      new Set(
        (
          await rows<{ key: string }>(
            db,
            sql`select asset_code as key from devices where asset_code = any(${textArray(distinct('assetCode'))})`,
          )
        ).map((r) => r.key),
      ),
    );
  }
  if (entity === 'part') {
    lookups.existing.set(
      'sku',
      new Set(
        (
          await rows<{ key: string }>(
            db,
            sql`select sku as key from parts where sku = any(${textArray(distinct('sku'))})`,
          )
        ).map((r) => r.key),
      ),
    );
  }
  return lookups;
}
