import { type DataDictionary, type FaultCategory, looseKey } from '@serviceloop/contracts';

/** The import wizard's column mapping and choices, as data: no React, so they have unit tests. */

/** Source column header → the field it fills, or null for a column left out. */
export type Mapping = Record<string, string | null>;
export type Lang = 'zh-CN' | 'en-US';
type Field = DataDictionary['entities'][number]['fields'][number];

/** Why the mapping cannot be checked yet: fields two columns fill, and required fields no column fills. */
export function mappingProblems(fields: Field[], mapping: Mapping): { mappedTwice: Set<string>; missing: Field[] } {
  const targets = Object.values(mapping);
  const mappedTwice = new Set(targets.filter((v, i) => v && targets.indexOf(v) !== i) as string[]);
  const missing = fields.filter((f) => f.required && !targets.includes(f.key));
  return { mappedTwice, missing };
}

/** A saved mapping applied to this file's headers: matched loosely (case, width, spacing), the rest left out. */
export function appliedMapping(headers: string[], saved: Record<string, string>): Mapping {
  const next: Mapping = {};
  for (const header of headers) next[header] = saved[looseKey(header)] ?? null;
  return next;
}

/** The fault categories a free-text value can be placed in: the active leaves, labelled `parent / leaf`. */
export function categoryChoices(all: FaultCategory[], lang: Lang): { value: string; label: string }[] {
  const name = (c: FaultCategory) => (lang === 'zh-CN' ? c.nameZh : c.nameEn);
  return all
    .filter((c) => c.parentId && c.active)
    .map((c) => {
      const parent = all.find((p) => p.id === c.parentId);
      return { value: c.code, label: parent ? `${name(parent)} / ${name(c)}` : name(c) };
    });
}
