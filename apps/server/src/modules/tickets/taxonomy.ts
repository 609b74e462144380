/**
 * The default fault taxonomy: seed 000's table of fault classes (with 2025 shares) and the
 * sub-types it lists. Admins extend it; codes are stable identifiers for reports and imports.
 */
export interface CategorySeed {
  code: string;
  zh: string;
  en: string;
  children: { code: string; zh: string; en: string; synonyms: string[] }[];
}

export const DEFAULT_TAXONOMY: CategorySeed[] = [
  {
    code: 'hardware',
    zh: '硬件失灵',
    en: 'Hardware failure',
    children: [
      {
        code: 'hardware.core_part',
        zh: '核心部件损坏',
        en: 'Core part damaged',
        synonyms: [
          '主板故障',
          '主板坏了',
          '主板损坏',
          '主板烧了',
          '主板烧毁',
          '主板问题',
          '主板异常',
          '控制板故障',
          '控制板坏',
          '门机控制板烧毁',
          'mainboard failure',
          'main board fault',
          'motherboard broken',
          'pcb failure',
        ],
      },
      {
        code: 'hardware.no_power',
        zh: '设备无法开机',
        en: 'Does not power on',
        synonyms: [
          '无法开机',
          '开不了机',
          '不开机',
          '不通电',
          '黑屏无反应',
          'no power',
          'cannot power on',
          "won't turn on",
        ],
      },
      {
        code: 'hardware.sensor',
        zh: '传感器失灵',
        en: 'Sensor failure',
        synonyms: ['传感器坏', '传感器失效', '传感器故障', '光幕故障', 'sensor failure', 'sensor fault'],
      },
      {
        code: 'hardware.mechanical',
        zh: '机械结构卡顿',
        en: 'Mechanical jam',
        synonyms: [
          '卡顿',
          '卡死不动',
          '机械卡住',
          '异响',
          '抖动',
          '曳引机异响',
          'mechanical jam',
          'stuck',
          'abnormal noise',
        ],
      },
    ],
  },
  {
    code: 'software',
    zh: '软件Bug',
    en: 'Software bug',
    children: [
      {
        code: 'software.freeze',
        zh: '系统卡死',
        en: 'System freeze',
        synonyms: ['死机', '系统卡死', '系统崩溃', '蓝屏', '程序崩溃', 'system freeze', 'crash', 'hang'],
      },
      {
        code: 'software.module',
        zh: '功能模块异常',
        en: 'Module malfunction',
        synonyms: ['功能异常', '功能不能用', '报错', '软件报错', 'function error', 'feature broken'],
      },
      {
        code: 'software.sync',
        zh: '数据同步失败',
        en: 'Data sync failure',
        synonyms: ['同步失败', '数据不同步', '上传失败', 'sync failed', 'data sync error'],
      },
      {
        code: 'software.compatibility',
        zh: '兼容性问题',
        en: 'Compatibility issue',
        synonyms: ['不兼容', '兼容问题', '驱动不兼容', 'compatibility issue', 'incompatible'],
      },
    ],
  },
  {
    code: 'operation',
    zh: '操作失误',
    en: 'Operation error',
    children: [
      {
        code: 'operation.parameter',
        zh: '参数设置错误',
        en: 'Wrong parameter setting',
        synonyms: ['参数错误', '参数设错', '设置错误', 'wrong setting', 'parameter error'],
      },
      {
        code: 'operation.procedure',
        zh: '不按规程操作',
        en: 'Procedure not followed',
        synonyms: ['违规操作', '操作不当', '误操作', 'misoperation', 'improper operation'],
      },
      {
        code: 'operation.config_deleted',
        zh: '误删配置',
        en: 'Configuration deleted by mistake',
        synonyms: ['误删', '配置被删', '删除了配置', 'config deleted'],
      },
      {
        code: 'operation.connection',
        zh: '连接错误',
        en: 'Wrong connection',
        synonyms: ['接线错误', '接错线', '连接错误', 'wrong wiring', 'connection error'],
      },
    ],
  },
  {
    code: 'parts',
    zh: '配件问题',
    en: 'Parts / consumables',
    children: [
      {
        code: 'parts.consumption',
        zh: '耗材消耗过快',
        en: 'Consumables wear too fast',
        synonyms: ['耗材用得快', '耗材消耗快', '刀具磨损快', 'consumables wear fast'],
      },
      {
        code: 'parts.quality',
        zh: '配件质量不达标',
        en: 'Part quality below standard',
        synonyms: ['配件质量差', '配件质量问题', '备件质量不合格', 'poor part quality'],
      },
      {
        code: 'parts.mismatch',
        zh: '备件型号错配',
        en: 'Wrong spare part model',
        synonyms: ['型号不对', '备件发错', '配件不匹配', 'wrong part', 'part mismatch'],
      },
    ],
  },
  {
    code: 'other',
    zh: '其他',
    en: 'Other',
    children: [
      {
        code: 'other.environment',
        zh: '环境因素导致',
        en: 'Environmental cause',
        synonyms: ['环境问题', '进水', '受潮', '温度过高', '雷击', 'water damage', 'environment'],
      },
      {
        code: 'other.force_majeure',
        zh: '不可抗力',
        en: 'Force majeure',
        synonyms: ['不可抗力', '自然灾害', 'force majeure'],
      },
      {
        code: 'other.not_reproducible',
        zh: '无法复现的偶发问题',
        en: 'Intermittent, not reproducible',
        synonyms: ['偶发', '无法复现', '偶尔出现', 'intermittent', 'cannot reproduce'],
      },
    ],
  },
];

/** Seed 000: 2025 shares (%) by top-level class and the year-on-year change in points. */
export const FAULT_MIX_2025: Record<string, number> = {
  hardware: 42.5,
  software: 28.1,
  operation: 16.3,
  parts: 9.6,
  other: 3.5,
};
export const FAULT_MIX_CHANGE: Record<string, number> = {
  hardware: -3.2,
  software: 1.5,
  operation: 5.8,
  parts: -2.1,
  other: -2.0,
};
export const FAULT_MIX_2024: Record<string, number> = Object.fromEntries(
  Object.entries(FAULT_MIX_2025).map(([k, v]) => [k, Math.round((v - FAULT_MIX_CHANGE[k]!) * 10) / 10]),
);

// Traditional → simplified for characters common in fault reports (reports from HK/TW customers and
// old systems); a full converter would be a dependency for a handful of characters.
const TRADITIONAL_PAIRS =
  '機机當当壞坏燒烧毀毁統统資资據据電电啟启無无異异響响誤误設设錯错問问題题開开損损斷断顯显體体測测試试軟软滅灭頓顿傳传靈灵驅驱動动換换聯联線线閘闸際际鍵键盤盘';
const TRADITIONAL = Object.fromEntries(
  Array.from({ length: TRADITIONAL_PAIRS.length / 2 }, (_, i) => [
    TRADITIONAL_PAIRS[2 * i]!,
    TRADITIONAL_PAIRS[2 * i + 1]!,
  ]),
) as Record<string, string>;

/**
 * The form under which free-text problem types are compared: full-width to half-width, lower
 * case, traditional characters folded to simplified (common ones), and everything that is not a
 * letter or a digit dropped — so 「主 板 故 障」, 「主板-故障!」 and 「主板故障」 are one key.
 */
export function normaliseProblemType(text: string): string {
  return [...text.normalize('NFKC').toLowerCase()]
    .map((ch) => TRADITIONAL[ch] ?? ch)
    .join('')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Finds the category of a free-text problem type: an exact synonym first, then the longest synonym it contains. */
export function matchProblemType(text: string, synonyms: Map<string, string>): string | null {
  const key = normaliseProblemType(text);
  if (!key) return null;
  const exact = synonyms.get(key);
  if (exact) return exact;
  let best: { length: number; categoryId: string } | null = null;
  for (const [synonym, categoryId] of synonyms) {
    if (synonym.length >= 2 && key.includes(synonym) && (!best || synonym.length > best.length)) {
      best = { length: synonym.length, categoryId };
    }
  }
  return best?.categoryId ?? null;
}
