import type { Role } from '@serviceloop/contracts';
import { eq } from 'drizzle-orm';
import { settings } from '../modules/identity/tables';
import type { Modules } from '../modules/index';
import type { Platform } from '../platform/index';
import { generateHistory } from './history';

const DEMO_HISTORY_TICKETS = 1_200;

/** Published on the login page of a demo installation: never used when SEED_DEMO=false. */
export const DEMO_PASSWORD = 'ServiceLoop-Demo-2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  roles: Role[];
  regionCodes?: string[];
  customer?: boolean;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'manager', displayName: '王经理（服务主管）', roles: ['manager'] },
  { username: 'agent', displayName: '李娜（客服调度）', roles: ['agent'] },
  { username: 'engineer', displayName: '张伟（华南工程师）', roles: ['engineer'], regionCodes: ['440000', '450000'] },
  {
    username: 'engineer2',
    displayName: '刘强（华东工程师）',
    roles: ['engineer'],
    regionCodes: ['310000', '320000', '330000'],
  },
  { username: 'warehouse', displayName: '陈静（库管）', roles: ['warehouse'] },
  { username: 'quality', displayName: '赵敏（质量工程师）', roles: ['quality'] },
  { username: 'customer', displayName: '周先生（客户联系人）', roles: ['customer'], customer: true },
];

/**
 * Fills a fresh installation with demo data once (marked in settings, so a second
 * `npm start` reuses what is there). Master data comes first: the demo customer contact
 * belongs to a demo customer.
 */
export async function seedDemoOnce(platform: Platform, modules: Modules): Promise<DemoAccount[] | null> {
  const [done] = await platform.db.select().from(settings).where(eq(settings.key, 'demoSeeded'));
  if (done) return null;
  const masterData = await modules.seedMasterData?.(platform);
  const system = { kind: 'system' as const, id: null };
  const accounts = DEMO_ACCOUNTS.filter((a) => !a.customer || masterData);
  for (const account of accounts) {
    await modules.identity.service.createUser(
      {
        username: account.username,
        displayName: account.displayName,
        password: DEMO_PASSWORD,
        roles: account.roles,
        teamIds: [],
        regionCodes: account.regionCodes ?? [],
        customerId: account.customer ? (masterData?.demoCustomerId ?? null) : null,
        locale: 'zh-CN',
      },
      system,
    );
  }
  // Two years of closed tickets, so lists, 360° pages and (later) analytics have something to show.
  await generateHistory(platform.db, { tickets: DEMO_HISTORY_TICKETS, seed: 2026 });
  await platform.db
    .insert(settings)
    .values({ key: 'demoSeeded', value: true, version: 1, updatedAt: platform.clock.now() });
  return accounts;
}
