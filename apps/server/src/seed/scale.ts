import { withCreditCheck } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../platform/db/client';
import { newId } from '../platform/ids';
import type { Random } from './random';

const PROVINCES = [
  '110000',
  '310000',
  '320000',
  '330000',
  '370000',
  '410000',
  '420000',
  '430000',
  '440000',
  '450000',
  '500000',
  '510000',
  '610000',
];
const INDUSTRIES = ['machine_tools', 'elevator', 'consumer_electronics'] as const;
const CITIES = ['华新', '东方', '长江', '海川', '天成', '宏远', '瑞丰', '嘉和', '中联', '恒通', '金桥', '远航'];
const KINDS = ['精密机械', '智能装备', '物业服务', '电子科技', '汽车零部件', '电梯工程', '医疗器械', '教育科技'];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙'];
const GIVEN = ['伟', '芳', '磊', '军', '洋', '勇', '杰', '娟', '涛', '明', '超', '霞', '强', '斌'];

/**
 * Enough customers, devices and field engineers that a large ticket history looks like a large service business
 * (about 2,000 tickets per customer, 40 per device and 5,000 per engineer over two years — some
 * four on-site jobs per engineer and working day), created in bulk. Generated engineers cover one
 * province each and cannot sign in until an administrator sets their password.
 */
export async function ensureScale(db: Executor, tickets: number, rng: Random, log: (m: string) => void = () => {}) {
  const [{ customers, devices, engineers }] = (await rows<{ customers: number; devices: number; engineers: number }>(
    db,
    sql`select (select count(*)::int from customers) as customers, (select count(*)::int from devices) as devices,
               (select count(*)::int from users where 'engineer' = any(roles)) as engineers`,
  )) as [{ customers: number; devices: number; engineers: number }];
  const models = await rows<{ id: string; code: string }>(db, sql`select id, code from product_models`);
  const wantCustomers = Math.ceil(tickets / 2_000);
  const wantDevices = Math.ceil(tickets / 40);
  const wantEngineers = Math.ceil(tickets / 5_000);
  if (engineers < wantEngineers) {
    const batch = Array.from({ length: wantEngineers - engineers }, (_, i) => ({
      id: newId(),
      username: `field-${String(engineers + i + 1).padStart(4, '0')}`,
      display_name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}${rng.chance(0.5) ? rng.pick(GIVEN) : ''}`,
      region: PROVINCES[(engineers + i) % PROVINCES.length],
    }));
    // '!' is no password hash at all: nobody can sign in as a generated engineer.
    await db.execute(sql`
      insert into users (id, username, display_name, password_hash, password_changed_at, roles, region_codes, created_at, updated_at)
      select id, username, display_name, '!', now(), '{engineer}', array[region], now(), now()
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(id uuid, username text, display_name text, region text)
      on conflict do nothing`);
    log(`${batch.length} engineers`);
  }
  if (customers < wantCustomers) {
    const batch = Array.from({ length: wantCustomers - customers }, (_, i) => {
      const n = customers + i;
      return {
        id: newId(),
        name: `${rng.pick(CITIES)}${rng.pick(KINDS)}有限公司（${n}）`,
        credit_code: withCreditCheck(
          `91${String(100000 + n).padStart(6, '0')}MA${String(n).padStart(7, '0')}`.slice(0, 17),
        ),
        tier: rng.chance(0.15) ? 'vip' : 'standard',
        region_code: rng.pick(PROVINCES),
        industry: rng.pick(INDUSTRIES),
      };
    });
    await db.execute(sql`
      insert into customers (id, name, credit_code, tier, region_code, industry, created_at, updated_at, version)
      select id, name, credit_code, tier, region_code, industry, now(), now(), 1
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(id uuid, name text, credit_code text, tier text, region_code text, industry text)`);
    log(`${batch.length} customers`);
  }
  if (devices < wantDevices && models.length) {
    const owners = (await rows<{ id: string }>(db, sql`select id from customers`)).map((r) => r.id);
    for (let done = devices; done < wantDevices; ) {
      const size = Math.min(10_000, wantDevices - done);
      const batch = Array.from({ length: size }, (_, i) => {
        const model = rng.pick(models);
        const installYear = rng.int(2019, 2025);
        return {
          id: newId(),
          model_id: model.id,
          serial_number: `${model.code.replace(/[^A-Z0-9]/g, '')}-G${String(done + i).padStart(8, '0')}`,
          customer_id: rng.pick(owners),
          batch: `${installYear}${rng.pick(['A', 'B', 'C', 'D'])}${rng.int(1, 6)}`,
          installed_on: `${installYear}-${String(rng.int(1, 12)).padStart(2, '0')}-01`,
          warranty_ends_on: `${installYear + rng.int(1, 4)}-12-31`,
        };
      });
      await db.execute(sql`
        insert into devices (id, model_id, serial_number, customer_id, batch, installed_on, warranty_ends_on, created_at, version)
        select id, model_id, serial_number, customer_id, batch, installed_on, warranty_ends_on, now(), 1
        from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(id uuid, model_id uuid, serial_number text, customer_id uuid, batch text, installed_on date, warranty_ends_on date)`);
      done += size;
      log(`${done} devices`);
    }
  }
}
