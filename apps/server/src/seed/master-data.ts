import { withCreditCheck } from '@serviceloop/contracts';
import type { AssetsModule } from '../modules/assets/index';
import type { CustomersModule } from '../modules/customers/index';
import type { Platform } from '../platform/index';
import { Random } from './random';

const SYSTEM = { kind: 'system' as const, id: null };

/**
 * Demo customers across provinces and the three industries of seed 000, each site at its district's
 * approximate coordinates, so dispatch suggestions and travel times have distances to work with.
 */
const CUSTOMERS = [
  {
    name: '深圳精工数控设备有限公司',
    industry: 'machine_tools',
    region: '440000',
    city: '440300',
    district: '440306',
    lat: 22.5431,
    lng: 113.929,
    tier: 'vip',
  },
  {
    name: '苏州汇川机器人科技有限公司',
    industry: 'machine_tools',
    region: '320000',
    city: '320500',
    district: '320505',
    lat: 31.3,
    lng: 120.54,
    tier: 'standard',
  },
  {
    name: '宁波甬江智能装备有限公司',
    industry: 'machine_tools',
    region: '330000',
    city: '330200',
    district: '330212',
    lat: 29.862,
    lng: 121.543,
    tier: 'standard',
  },
  {
    name: '重庆渝西汽车零部件有限公司',
    industry: 'machine_tools',
    region: '500000',
    city: '500100',
    district: '500106',
    lat: 29.541,
    lng: 106.458,
    tier: 'vip',
  },
  {
    name: '上海申城物业管理有限公司',
    industry: 'elevator',
    region: '310000',
    city: '310100',
    district: '310115',
    lat: 31.221,
    lng: 121.544,
    tier: 'vip',
  },
  {
    name: '广州天河城市广场',
    industry: 'elevator',
    region: '440000',
    city: '440100',
    district: '440106',
    lat: 23.125,
    lng: 113.361,
    tier: 'standard',
  },
  {
    name: '杭州西溪医院',
    industry: 'elevator',
    region: '330000',
    city: '330100',
    district: '330106',
    lat: 30.259,
    lng: 120.13,
    tier: 'vip',
  },
  {
    name: '成都锦城置业有限公司',
    industry: 'elevator',
    region: '510000',
    city: '510100',
    district: '510107',
    lat: 30.642,
    lng: 104.043,
    tier: 'standard',
  },
  {
    name: '北京中关村电子科技有限公司',
    industry: 'consumer_electronics',
    region: '110000',
    city: '110100',
    district: '110108',
    lat: 39.959,
    lng: 116.298,
    tier: 'standard',
  },
  {
    name: '武汉光谷教育集团',
    industry: 'consumer_electronics',
    region: '420000',
    city: '420100',
    district: '420111',
    lat: 30.5,
    lng: 114.4,
    tier: 'standard',
  },
  {
    name: '南宁绿城连锁零售有限公司',
    industry: 'consumer_electronics',
    region: '450000',
    city: '450100',
    district: '450103',
    lat: 22.817,
    lng: 108.385,
    tier: 'standard',
  },
  {
    name: '西安古城软件园',
    industry: 'consumer_electronics',
    region: '610000',
    city: '610100',
    district: '610113',
    lat: 34.213,
    lng: 108.948,
    tier: 'vip',
  },
] as const;

const MODELS = [
  {
    code: 'VMC-850',
    name: '立式加工中心 VMC-850',
    category: 'cnc_machine',
    manufacturer: '精工机床',
    industry: 'machine_tools',
  },
  {
    code: 'CK6150',
    name: '数控车床 CK6150',
    category: 'cnc_machine',
    manufacturer: '精工机床',
    industry: 'machine_tools',
  },
  {
    code: 'RB-20',
    name: '六轴工业机器人 RB-20',
    category: 'industrial_robot',
    manufacturer: '汇川',
    industry: 'machine_tools',
  },
  {
    code: 'GL-3000',
    name: '曳引式乘客电梯 GL-3000',
    category: 'elevator',
    manufacturer: '迅达通',
    industry: 'elevator',
  },
  { code: 'ES-600', name: '自动扶梯 ES-600', category: 'escalator', manufacturer: '迅达通', industry: 'elevator' },
  {
    code: 'NB-14P',
    name: '商务笔记本 NB-14 Pro',
    category: 'laptop',
    manufacturer: '联智',
    industry: 'consumer_electronics',
  },
  {
    code: 'PAD-11',
    name: '教育平板 PAD-11',
    category: 'other',
    manufacturer: '联智',
    industry: 'consumer_electronics',
  },
  { code: 'PH-X5', name: '智能手机 PH-X5', category: 'phone', manufacturer: '联智', industry: 'consumer_electronics' },
] as const;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '勇', '军', '杰', '涛', '明', '超', '霞', '平'];
const TITLES = ['设备科长', '物业经理', 'IT 主管', '生产部长', '采购专员'];

/**
 * Deterministic demo master data: customers with contacts and sites, product models, service
 * contracts and devices with batches and warranties. Created through the modules' records, so
 * each record has its `*.created` event like any other.
 */
export async function seedMasterData(
  _platform: Platform,
  customersModule: CustomersModule,
  assets: AssetsModule,
  seed = 2026,
): Promise<{ demoCustomerId: string }> {
  const rng = new Random(seed);
  const { records: c } = customersModule;
  const models = [];
  for (const m of MODELS) {
    models.push({
      ...(await assets.records.productModels.create(
        { code: m.code, name: m.name, category: m.category, manufacturer: m.manufacturer },
        SYSTEM,
      )),
      industry: m.industry,
    });
  }
  let first: string | null = null;
  for (const [i, spec] of CUSTOMERS.entries()) {
    const customer = await c.customers.create(
      {
        name: spec.name,
        creditCode: withCreditCheck(
          `91${spec.region.slice(0, 4)}00MA${String(1000 + i).padStart(4, '0')}X${i % 10}0`.slice(0, 17),
        ),
        tier: spec.tier,
        regionCode: spec.region,
        industry: spec.industry,
      },
      SYSTEM,
    );
    first ??= customer.id;
    for (let k = 0; k < 2; k++) {
      await c.contacts.create(
        {
          customerId: customer.id,
          name: `${rng.pick(SURNAMES)}${rng.pick(GIVEN)}${rng.chance(0.5) ? rng.pick(GIVEN) : ''}`,
          mobile: `1${rng.pick(['38', '39', '58', '86', '88'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
          email: null,
          title: rng.pick(TITLES),
        },
        SYSTEM,
      );
    }
    const site = await c.sites.create(
      {
        customerId: customer.id,
        name: `${spec.name.slice(0, 4)}${rng.pick(['一号厂区', '总部', '主楼', '仓储中心'])}`,
        provinceCode: spec.region,
        cityCode: spec.city,
        districtCode: spec.district,
        address: `${rng.pick(['科技', '人民', '建设', '工业', '滨江'])}路 ${rng.int(1, 999)} 号`,
        lat: spec.lat,
        lng: spec.lng,
      },
      SYSTEM,
    );
    const startYear = rng.int(2023, 2025);
    const contract = await assets.records.contracts.create(
      {
        customerId: customer.id,
        number: `SC-${startYear}-${String(i + 1).padStart(4, '0')}`,
        coverage: rng.pick(['full', 'parts_only', 'labour_only', 'inspection'] as const),
        slaTier: spec.tier === 'vip' ? 'gold' : rng.pick(['silver', 'bronze'] as const),
        startsOn: `${startYear}-01-01`,
        endsOn: `${startYear + 2}-12-31`,
        value: rng.int(5, 80) * 10_000,
      },
      SYSTEM,
    );
    const fitting = models.filter((m) => m.industry === spec.industry);
    for (let d = 0; d < 5; d++) {
      const model = rng.pick(fitting);
      const installYear = rng.int(2021, 2025);
      await assets.records.devices.create(
        {
          modelId: model.id,
          serialNumber: `${model.code.replace(/[^A-Z0-9]/g, '')}${installYear}${String(i * 100 + d).padStart(5, '0')}`,
          assetCode: `ZC-${String(i + 1).padStart(3, '0')}-${d + 1}`,
          customerId: customer.id,
          siteId: site.id,
          contractId: contract.id,
          batch: `${installYear}${rng.pick(['A', 'B', 'C'])}${rng.int(1, 4)}`,
          firmwareVersion: `v${rng.int(1, 4)}.${rng.int(0, 9)}.${rng.int(0, 20)}`,
          installedOn: `${installYear}-${String(rng.int(1, 12)).padStart(2, '0')}-15`,
          warrantyEndsOn: `${installYear + rng.int(1, 3)}-${String(rng.int(1, 12)).padStart(2, '0')}-14`,
        },
        SYSTEM,
      );
    }
  }
  return { demoCustomerId: first! };
}
