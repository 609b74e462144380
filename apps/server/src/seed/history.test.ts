import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/databases';
import { createTestServer, type TestServer } from '../../test/harness';
import { FAULT_MIX_2024, FAULT_MIX_2025 } from '../modules/tickets/taxonomy';
import { rows } from '../platform/db/client';
import { generateHistory } from './history';
import { apportion, Random } from './random';
import { ensureScale } from './scale';

describe.each(BACKENDS)('demo history generator on %s', (kind) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  const generate = async () => {
    const server = await createTestServer(kind);
    servers.push(server);
    await server.modules.seedMasterData!(server.platform);
    await ensureScale(server.platform.db, 3_001, new Random(7));
    expect(await generateHistory(server.platform.db, { tickets: 3_001, seed: 7 })).toBe(3_001);
    return server;
  };

  it('reproduces seed 000’s fault mix per year exactly, deterministically for a seed', async () => {
    const first = await generate();
    const mix = await rows<{ year: number; code: string; n: number }>(
      first.platform.db,
      sql`select extract(year from t.reported_at at time zone 'Asia/Shanghai')::int as year, p.code, count(*)::int as n
          from tickets t join fault_categories c on c.id = t.category_id join fault_categories p on p.id = c.parent_id
          group by 1, 2`,
    );
    const byYear = (year: number) => Object.fromEntries(mix.filter((m) => m.year === year).map((m) => [m.code, m.n]));
    expect(byYear(2024)).toEqual(apportion(1_501, FAULT_MIX_2024));
    expect(byYear(2025)).toEqual(apportion(1_500, FAULT_MIX_2025));
    const [check] = await rows<{ numbers: number; closed: number; events: number }>(
      first.platform.db,
      sql`select count(distinct number)::int as numbers, count(*) filter (where state = 'closed')::int as closed,
                 (select count(*)::int from events where type in ('ticket.created', 'ticket.closed')) as events from tickets`,
    );
    expect(check).toEqual({ numbers: 3_001, closed: 3_001, events: 6_002 });

    // Full lifecycles: on-site jobs have their visits (some two, when the part was missing), the
    // resolution follows the last check-out, and some tickets repeat an earlier repair.
    const [field] = await rows<{
      onsite: number;
      visited: number;
      twice: number;
      late: number;
      repeats: number;
      bad: number;
    }>(
      first.platform.db,
      sql`with v as (select ticket_id, count(*)::int as n, max(checked_out_at) as last_out from visits group by 1)
          select count(*) filter (where t.service_type = 'onsite')::int as onsite,
                 count(v.ticket_id)::int as visited,
                 count(*) filter (where v.n = 2)::int as twice,
                 count(*) filter (where v.last_out > t.resolved_at)::int as late,
                 count(*) filter (where t.is_repeat)::int as repeats,
                 count(*) filter (where t.is_repeat and not exists (
                   select 1 from tickets p where p.id = t.repeat_of and p.device_id = t.device_id
                     and p.category_id = t.category_id and t.reported_at > p.closed_at
                     and t.reported_at <= p.closed_at + interval '30 days'))::int as bad
          from tickets t left join v on v.ticket_id = t.id`,
    );
    expect(field!.visited).toBe(field!.onsite);
    expect(field!.twice / field!.onsite).toBeGreaterThan(0.08);
    expect(field!.twice / field!.onsite).toBeLessThan(0.25);
    expect(field!.late).toBe(0);
    expect(field!.repeats).toBeGreaterThan(30);
    expect(field!.bad).toBe(0);

    const second = await generate();
    const fingerprint = (s: TestServer) =>
      rows<{ f: string }>(
        s.platform.db,
        sql`select md5(string_agg(title || priority || reported_at::text || csat, ',' order by reported_at, title)) as f from tickets`,
      );
    expect(await fingerprint(second)).toEqual(await fingerprint(first));
  });
});
