import type { Role } from '@serviceloop/contracts';
import { eq } from 'drizzle-orm';
import { settings } from '../modules/identity/tables';
import { ManualClock } from '../platform/clock';
import { createServer, type Server } from '../server';
import { DemoCast } from './demo-actors';
import { seedDemoSetup } from './demo-setup';
import { seedDemoToday } from './demo-today';
import { generateHistory } from './history';

const DEMO_HISTORY_TICKETS = 1_200;
const HOUR = 3_600_000;

/** Published on the login page of a demo installation: never used when SEED_DEMO=false. */
export const DEMO_PASSWORD = 'ServiceLoop-Demo-2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
  regionCodes?: string[];
  customer?: boolean;
}

/** Regions of the four field teams; each demo engineer works one team's provinces. */
export const DEMO_TEAMS = [
  { key: 'south', name: '华南服务组', regionCodes: ['440000', '450000'] },
  { key: 'east', name: '华东服务组', regionCodes: ['310000', '320000', '330000'] },
  { key: 'west', name: '西部服务组', regionCodes: ['500000', '510000', '610000'] },
  { key: 'north', name: '华北华中服务组', regionCodes: ['110000', '420000'] },
] as const;
export type DemoTeamKey = (typeof DEMO_TEAMS)[number]['key'];

export const DEMO_ACCOUNTS: (DemoAccount & { team?: DemoTeamKey })[] = [
  { username: 'manager', displayName: '王经理（服务主管）', roles: ['manager'] },
  { username: 'agent', displayName: '李娜（客服调度）', roles: ['agent'] },
  { username: 'engineer', displayName: '张伟（华南工程师）', roles: ['engineer'], team: 'south' },
  { username: 'engineer2', displayName: '刘强（华东工程师）', roles: ['engineer'], team: 'east' },
  { username: 'engineer3', displayName: '黄磊（西部工程师）', roles: ['engineer'], team: 'west' },
  { username: 'engineer4', displayName: '孙涛（华北华中工程师）', roles: ['engineer'], team: 'north' },
  { username: 'warehouse', displayName: '陈静（库管）', roles: ['warehouse'] },
  { username: 'quality', displayName: '赵敏（质量工程师）', roles: ['quality'] },
  { username: 'customer', displayName: '周先生（客户联系人）', roles: ['customer'], customer: true },
];

/**
 * Fills a fresh installation with demo data once (marked in settings, so a second `npm start`
 * reuses what is there): two years of closed history up to `now`, then the set-up every role
 * works with (teams, engineer profiles, parts and stock, rules, dashboards, FAQs) and the last
 * three days of live work replayed through the API, so today's queue, visits, SLA risks and a
 * signed, rated ticket are there at once.
 *
 * The replay runs on a composition of its own over the same database with a clock it moves
 * (the server's own clock is the real one); events are delivered as each step happens, so SLA
 * clocks, analytics facts, surveys and automation see the times they would have seen.
 */
export async function seedDemoOnce(server: Server, options: { now?: Date } = {}): Promise<DemoAccount[] | null> {
  const { platform } = server;
  const [done] = await platform.db.select().from(settings).where(eq(settings.key, 'demoSeeded'));
  if (done) return null;
  const now = options.now ?? platform.clock.now();
  const clock = new ManualClock(new Date(now.getTime() - 4 * 24 * HOUR));
  const seeder = await createServer({ config: platform.config, database: platform.database, clock });
  const cast = new DemoCast(seeder);
  try {
    const masterData = await seeder.modules.seedMasterData?.(seeder.platform);
    const system = { kind: 'system' as const, id: null };
    const teamIds = new Map<string, string>();
    for (const team of DEMO_TEAMS) {
      const created = await seeder.modules.identity.service.createTeam(
        { name: team.name, regionCodes: [...team.regionCodes] },
        system,
      );
      teamIds.set(team.key, created.id);
    }
    const accounts = DEMO_ACCOUNTS.filter((a) => !a.customer || masterData);
    for (const account of accounts) {
      const team = DEMO_TEAMS.find((t) => t.key === account.team);
      await seeder.modules.identity.service.createUser(
        {
          username: account.username,
          displayName: account.displayName,
          password: DEMO_PASSWORD,
          roles: account.roles,
          // The manager leads every team: team-manager notifications reach them.
          teamIds: team ? [teamIds.get(team.key)!] : account.roles.includes('manager') ? [...teamIds.values()] : [],
          regionCodes: team ? [...team.regionCodes] : [],
          customerId: account.customer ? (masterData?.demoCustomerId ?? null) : null,
          locale: 'zh-CN',
        },
        system,
      );
    }
    // Two years of closed tickets up to today, so lists, 360° pages and this year's charts have data.
    await generateHistory(seeder.platform.db, { tickets: DEMO_HISTORY_TICKETS, seed: 2026, until: now });
    if (masterData) {
      const setup = await seedDemoSetup(cast);
      await seedDemoToday(cast, setup, { clock, now, jobs: seeder.platform.jobs });
    }
    clock.set(now);
    await seeder.platform.jobs.runDue();
    await seeder.platform.dispatcher.settle();
    await cast.dismiss();
    await seeder.platform.db.insert(settings).values({ key: 'demoSeeded', value: true, version: 1, updatedAt: now });
    return accounts;
  } finally {
    await seeder.close({ keepDatabase: true });
  }
}
