import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../platform/db/client';
import { newId } from '../../platform/ids';
import { keyedSection } from '../config/index';

const TeamItem = z.object({
  name: z.string().trim().min(1).max(100),
  /** The regions (province codes) the team serves; dispatch and rules match on them. */
  regionCodes: z
    .array(z.string().regex(/^\d{6}$/))
    .max(50)
    .transform((codes) => [...codes].sort()),
});
type TeamItem = z.infer<typeof TeamItem>;

/** Teams by name with their regions; members are people, not configuration, and stay where they are. */
export const teamsSection = keyedSection<TeamItem>({
  key: 'identity.teams',
  titleZh: '团队（名称与服务区域）',
  titleEn: 'Teams (names and regions)',
  item: TeamItem,
  keyOf: (t) => t.name,
  load: (db) =>
    rows<TeamItem>(db, sql`select name, array(select unnest(region_codes) order by 1) as "regionCodes" from teams`),
  async save(tx, t, before, { now }) {
    const regions = sql`array(select jsonb_array_elements_text(${JSON.stringify(t.regionCodes)}::jsonb))`;
    if (before) await tx.execute(sql`update teams set region_codes = ${regions} where name = ${t.name}`);
    else
      await tx.execute(sql`
        insert into teams (id, name, region_codes, created_at)
        values (${newId(now.getTime())}, ${t.name}, ${regions}, ${now.toISOString()})`);
  },
});
