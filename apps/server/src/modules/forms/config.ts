import { definitionProblems, FieldDefinitionInput } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { rows } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { keyedSection } from '../config/index';

type Field = z.infer<typeof FieldDefinitionInput>;

/** Custom field definitions, named `ticketType/key` (the key values are stored under never changes). */
export const formFieldsSection = keyedSection<Field>({
  key: 'forms.fields',
  titleZh: '自定义字段',
  titleEn: 'Custom fields',
  item: FieldDefinitionInput,
  keyOf: (f) => `${f.ticketType}/${f.key}`,
  load: async (db) =>
    (await rows<{ definition: Field }>(db, sql`select definition from form_fields`)).map((r) => r.definition),
  check: (_db, items) =>
    items.flatMap((item, index) => definitionProblems(item).map((p) => ({ ...p, path: `${index}.${p.path}` }))),
  async save(tx, item, before, { now }) {
    const at = now.toISOString();
    if (before)
      await tx.execute(sql`
        update form_fields set definition = ${JSON.stringify(item)}::jsonb, position = ${item.position},
          active = ${item.active}, version = version + 1, updated_at = ${at}
        where ticket_type = ${item.ticketType} and key = ${item.key}`);
    else
      await tx.execute(sql`
        insert into form_fields (id, ticket_type, key, definition, position, active, created_at, updated_at)
        values (${newId(now.getTime())}, ${item.ticketType}, ${item.key}, ${JSON.stringify(item)}::jsonb,
                ${item.position}, ${item.active}, ${at}, ${at})`);
  },
});
