import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/databases';
import { createTestServer, type TestServer } from '../../test/harness';
import { FAULT_MIX_2024, FAULT_MIX_2025 } from '../modules/tickets/taxonomy';
import { rows } from '../platform/db/client';
import { generateHistory } from './history';
import { apportion } from './random';

describe.each(BACKENDS)('demo history generator on %s', (kind) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  const generate = async () => {
    const server = await createTestServer(kind);
    servers.push(server);
    await server.modules.seedMasterData!(server.platform);
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

    const second = await generate();
    const fingerprint = (s: TestServer) =>
      rows<{ f: string }>(
        s.platform.db,
        sql`select md5(string_agg(title || priority || reported_at::text || csat, ',' order by reported_at, title)) as f from tickets`,
      );
    expect(await fingerprint(second)).toEqual(await fingerprint(first));
  });
});
