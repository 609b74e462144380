import { type ColumnMapping, IMPORT_FIELDS, type ImportEntity, type ImportFieldDef } from '@serviceloop/contracts';
import { looseKey } from './cells';

/**
 * The mapping step: which source column feeds which field. Guesses come from a saved mapping of
 * the same entity first (what this company's exports are called), then from each field's
 * labels and aliases in Chinese and English; a field is never guessed twice.
 */

function namesOf(field: ImportFieldDef): string[] {
  return [field.key, field.label['zh-CN'], field.label['en-US'], ...field.aliases].map(looseKey);
}

/** `fields`: the entity's importable fields (the contract's, and custom ones for tickets). */
export function guessMapping(
  fields: ImportFieldDef[],
  headers: string[],
  saved: Record<string, string> = {},
): ColumnMapping {
  const known = new Set(fields.map((f) => f.key));
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  const take = (header: string, key: string | undefined) => {
    if (!key || taken.has(key) || !known.has(key)) return false;
    mapping[header] = key;
    taken.add(key);
    return true;
  };
  for (const header of headers) take(header, saved[looseKey(header)]);
  // Exact names first, so 「客户名称」 goes to customerName before 「客户」 could claim it loosely.
  for (const header of headers) {
    if (mapping[header]) continue;
    const key = looseKey(header);
    take(header, fields.find((f) => !taken.has(f.key) && namesOf(f).includes(key))?.key);
  }
  for (const header of headers) {
    if (mapping[header]) continue;
    const key = looseKey(header);
    if (key.length < 2) continue;
    // A header that contains a name (「报修时间(北京时间)」) or is contained in one.
    const loose = fields.find(
      (f) => !taken.has(f.key) && namesOf(f).some((n) => n.length >= 2 && (key.includes(n) || n.includes(key))),
    );
    take(header, loose?.key);
  }
  for (const header of headers) mapping[header] ??= null;
  return mapping;
}

/** How well a row looks like this entity's header: the number of cells that name a field. */
export function headerScore(entity: ImportEntity, cells: string[]): number {
  const names = new Set(IMPORT_FIELDS[entity].flatMap(namesOf));
  return cells.filter((c) => c && names.has(looseKey(c))).length;
}

/** What a saved mapping remembers: header text (loosely) → field. */
export function mappingToSave(mapping: ColumnMapping): Record<string, string> {
  const saved: Record<string, string> = {};
  for (const [header, key] of Object.entries(mapping)) if (key) saved[looseKey(header)] = key;
  return saved;
}
