import { z } from 'zod';
import { CustomerTier, Industry } from './customers';
import { type FieldDefinition, FieldKind } from './forms';
import { Channel, Priority, ServiceType } from './tickets';

/**
 * Historical import (xlsx/csv) and the data dictionary. The importable fields of each entity
 * are declared once here — with their meaning in both languages, their type and, for enums,
 * the allowed values taken from the very zod enums the API validates with — and the server
 * serves this list as the data dictionary, so the page and the importer cannot drift apart.
 */

export const ImportEntity = z.enum(['ticket', 'customer', 'device', 'part']);
export type ImportEntity = z.infer<typeof ImportEntity>;
export const IMPORT_ENTITIES = ImportEntity.options;

export const ImportFieldType = z.enum(['text', 'integer', 'number', 'datetime', 'date', 'enum', 'boolean']);
export type ImportFieldType = z.infer<typeof ImportFieldType>;

const Bilingual = z.object({ 'zh-CN': z.string(), 'en-US': z.string() });
type Bilingual = z.infer<typeof Bilingual>;

/** What a field refers to by a human key (a customer's name, a device's serial number, …). */
export const ImportReference = z.enum(['customer', 'device', 'user', 'productModel', 'faultCategory']);

export interface ImportFieldDef {
  key: string;
  type: ImportFieldType;
  required: boolean;
  label: Bilingual;
  description: Bilingual;
  /** For enums: the contract's values, each with its labels (which the importer also accepts). */
  values?: { value: string; label: Bilingual }[];
  reference?: z.infer<typeof ImportReference>;
  /** Must be unique in the file and against existing records. */
  unique?: boolean;
  /** Header spellings the mapping step recognises (besides the labels). */
  aliases: string[];
  /** Length or range limits. */
  max?: number;
  min?: number;
}

const b = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, 'en-US': en });

/** Enum values straight from a contract enum, labelled; a label for every value is required by type. */
function valuesOf<T extends string>(e: z.ZodEnum<{ [K in T]: K }>, labels: Record<T, Bilingual>) {
  return e.options.map((value) => ({ value: value as string, label: labels[value as T] }));
}

const PRIORITY_LABELS = {
  P0: b('P0 紧急（停产/安全）', 'P0 critical (production stopped / safety)'),
  P1: b('P1 高', 'P1 high'),
  P2: b('P2 中', 'P2 medium'),
  P3: b('P3 低（咨询）', 'P3 low (consultation)'),
};
const CHANNEL_LABELS = {
  phone: b('电话', 'Phone'),
  wechat: b('微信', 'WeChat'),
  portal: b('客户门户', 'Portal'),
  email: b('邮件', 'Email'),
  api: b('接口', 'API'),
  field: b('现场', 'Field'),
  telemetry: b('设备告警', 'Telemetry'),
};
const SERVICE_TYPE_LABELS = {
  remote: b('远程', 'Remote'),
  onsite: b('上门', 'On site'),
  return_to_factory: b('返厂', 'Return to factory'),
};
const TIER_LABELS = { vip: b('VIP', 'VIP'), standard: b('普通', 'Standard') };
const INDUSTRY_LABELS = {
  machine_tools: b('机床/制造', 'Machine tools'),
  elevator: b('电梯', 'Elevators'),
  consumer_electronics: b('消费电子', 'Consumer electronics'),
  other: b('其他', 'Other'),
};
const BOOLEAN_VALUES = [
  { value: 'true', label: b('是', 'Yes') },
  { value: 'false', label: b('否', 'No') },
];

const field = (def: Omit<ImportFieldDef, 'aliases' | 'required'> & { required?: boolean; aliases?: string[] }) =>
  ({ required: false, aliases: [], ...def }) as ImportFieldDef;

export const IMPORT_FIELDS: Record<ImportEntity, ImportFieldDef[]> = {
  ticket: [
    field({
      key: 'sourceNumber',
      type: 'text',
      unique: true,
      max: 64,
      label: b('原工单号', 'Source ticket number'),
      description: b(
        '旧系统中的工单编号；保存以便追溯，并用于识别重复导入。导入后另按 SV-年份-序号 编号',
        'The number in the old system; kept for tracing and to detect a second import. The ticket gets its own SV-year-sequence number',
      ),
      aliases: ['工单号', '工单编号', '单号', '编号', 'ticket no', 'ticket number', 'number', 'id'],
    }),
    field({
      key: 'customerName',
      type: 'text',
      required: true,
      reference: 'customer',
      max: 200,
      label: b('客户名称', 'Customer name'),
      description: b('须与系统中已有客户的名称一致', 'Must match the name of an existing customer'),
      aliases: ['客户', '客户名', '单位', '公司', 'customer', 'client', 'company'],
    }),
    field({
      key: 'serialNumber',
      type: 'text',
      reference: 'device',
      max: 64,
      label: b('设备序列号', 'Device serial number'),
      description: b(
        '填写时须为该客户名下已登记设备的序列号；设备带出型号、地点和区域',
        'When given, the serial number of a registered device of that customer; the device supplies model, site and region',
      ),
      aliases: ['序列号', '设备编号', '机身号', 'sn', 'serial', 'serial no', 'device'],
    }),
    field({
      key: 'title',
      type: 'text',
      required: true,
      max: 200,
      label: b('故障标题', 'Title'),
      description: b('一句话描述故障', 'The fault in one line'),
      aliases: ['标题', '故障现象', '主题', 'subject', 'summary'],
    }),
    field({
      key: 'description',
      type: 'text',
      max: 5000,
      label: b('故障描述', 'Description'),
      description: b('详细描述；为空时使用标题', 'Details; the title when empty'),
      aliases: ['描述', '详细描述', '问题描述', 'details'],
    }),
    field({
      key: 'problemType',
      type: 'text',
      required: true,
      reference: 'faultCategory',
      max: 100,
      label: b('问题类型', 'Problem type'),
      description: b(
        '自由填写的问题类型，按故障分类的同义词表归一；无法识别的值在导入前逐一指定分类',
        'Free-text problem type, normalised to the fault taxonomy through its synonyms; values it cannot place are mapped by hand before importing',
      ),
      aliases: ['故障类型', '故障分类', '问题分类', '类型', 'category', 'fault type', 'issue type', 'type'],
    }),
    field({
      key: 'priority',
      type: 'enum',
      values: valuesOf(Priority, PRIORITY_LABELS),
      label: b('优先级', 'Priority'),
      description: b('为空时按 P2', 'P2 when empty'),
      aliases: ['级别', '紧急程度', 'level', 'urgency'],
    }),
    field({
      key: 'channel',
      type: 'enum',
      values: valuesOf(Channel, CHANNEL_LABELS),
      label: b('报修渠道', 'Channel'),
      description: b('为空时按电话', 'Phone when empty'),
      aliases: ['渠道', '来源', 'source'],
    }),
    field({
      key: 'serviceType',
      type: 'enum',
      values: valuesOf(ServiceType, SERVICE_TYPE_LABELS),
      label: b('服务方式', 'Service type'),
      description: b('为空时按远程', 'Remote when empty'),
      aliases: ['服务类型', '处理方式', 'service'],
    }),
    field({
      key: 'visits',
      type: 'integer',
      min: 0,
      max: 20,
      label: b('上门次数', 'On-site visits'),
      description: b(
        '上门服务的次数；为空时上门服务按 1 次、其他方式按 0 次。计入一次解决率和首次修复率',
        'How many on-site visits it took; when empty, 1 for on-site service and 0 otherwise. Counts in first-contact resolution and first-time fix',
      ),
      aliases: ['上门', '出勤次数', '上门服务次数', 'visits', 'visit count', 'site visits'],
    }),
    field({
      key: 'reportedAt',
      type: 'datetime',
      required: true,
      label: b('报修时间', 'Reported at'),
      description: b(
        '日期时间；无时区时按北京时间（Asia/Shanghai）',
        'Date and time; without a zone it is China time (Asia/Shanghai)',
      ),
      aliases: ['报修日期', '创建时间', '登记时间', 'reported', 'created', 'created at', 'report time'],
    }),
    field({
      key: 'respondedAt',
      type: 'datetime',
      label: b('首次响应时间', 'First responded at'),
      description: b('不早于报修时间', 'Not before the report'),
      aliases: ['响应时间', 'responded', 'response time'],
    }),
    field({
      key: 'resolvedAt',
      type: 'datetime',
      required: true,
      label: b('解决时间', 'Resolved at'),
      description: b('不早于报修时间', 'Not before the report'),
      aliases: ['完成时间', '修复时间', 'resolved', 'fixed at'],
    }),
    field({
      key: 'closedAt',
      type: 'datetime',
      required: true,
      label: b('关闭时间', 'Closed at'),
      description: b('不早于解决时间，且不晚于现在', 'Not before resolution, and not in the future'),
      aliases: ['结单时间', '关单时间', 'closed', 'close time'],
    }),
    field({
      key: 'csat',
      type: 'integer',
      min: 1,
      max: 5,
      label: b('满意度', 'CSAT'),
      description: b('客户满意度评分 1–5', 'Customer satisfaction, 1–5'),
      aliases: ['满意度评分', '客户评分', '评分', 'satisfaction', 'rating', 'score'],
    }),
    field({
      key: 'engineer',
      type: 'text',
      reference: 'user',
      max: 100,
      label: b('工程师', 'Engineer'),
      description: b('处理人的用户名或姓名，须为系统中的用户', 'Username or name of an existing user who worked it'),
      aliases: ['处理人', '维修人员', '负责人', '技术员', 'assignee', 'technician'],
    }),
    field({
      key: 'contactName',
      type: 'text',
      max: 100,
      label: b('联系人', 'Contact'),
      description: b('报修联系人；为空时记为“历史导入”', 'Who reported it; “historical import” when empty'),
      aliases: ['报修人', '联系人姓名', 'contact', 'reporter'],
    }),
    field({
      key: 'rootCause',
      type: 'text',
      max: 2000,
      label: b('根本原因', 'Root cause'),
      description: b('故障的根本原因', 'Why it failed'),
      aliases: ['原因', '故障原因', 'cause'],
    }),
    field({
      key: 'actionsTaken',
      type: 'text',
      max: 2000,
      label: b('处理措施', 'Actions taken'),
      description: b('做了什么修复', 'What was done to fix it'),
      aliases: ['处理结果', '解决方案', '维修措施', 'solution', 'actions', 'resolution'],
    }),
    field({
      key: 'labourMinutes',
      type: 'integer',
      min: 0,
      max: 100_000,
      label: b('工时（分钟）', 'Labour (minutes)'),
      description: b('计入服务成本的工时', 'Engineer time counted in service cost'),
      aliases: ['工时', '维修工时', 'labour', 'labor minutes'],
    }),
  ],
  customer: [
    field({
      key: 'name',
      type: 'text',
      required: true,
      unique: true,
      max: 200,
      label: b('客户名称', 'Customer name'),
      description: b('客户单位全称，不分大小写唯一', 'Full name of the organisation, unique regardless of case'),
      aliases: ['客户', '客户名', '单位名称', '公司名称', 'customer', 'company', 'name'],
    }),
    field({
      key: 'creditCode',
      type: 'text',
      unique: true,
      max: 18,
      label: b('统一社会信用代码', 'Unified social credit code'),
      description: b('18 位，校验位须正确', '18 characters with a valid check digit'),
      aliases: ['信用代码', '社会信用代码', '税号', 'credit code', 'uscc', 'tax id'],
    }),
    field({
      key: 'tier',
      type: 'enum',
      values: valuesOf(CustomerTier, TIER_LABELS),
      label: b('客户等级', 'Tier'),
      description: b('为空时按普通', 'Standard when empty'),
      aliases: ['等级', '级别', 'level'],
    }),
    field({
      key: 'regionCode',
      type: 'text',
      required: true,
      label: b('所在省份', 'Province'),
      description: b(
        '省级行政区划代码（如 440000）或省份名称（如 广东省、广东）',
        'Province division code (e.g. 440000) or its Chinese name (e.g. 广东省, 广东)',
      ),
      aliases: ['省份', '地区', '区域', '省', 'region', 'province'],
    }),
    field({
      key: 'industry',
      type: 'enum',
      required: true,
      values: valuesOf(Industry, INDUSTRY_LABELS),
      label: b('行业', 'Industry'),
      description: b('客户所在行业', 'The customer’s industry'),
      aliases: ['所属行业', 'industry', 'sector'],
    }),
  ],
  device: [
    field({
      key: 'serialNumber',
      type: 'text',
      required: true,
      unique: true,
      max: 64,
      label: b('序列号', 'Serial number'),
      description: b('同一型号下唯一', 'Unique within its model'),
      aliases: ['设备序列号', '机身号', '设备编号', 'sn', 'serial', 'serial no'],
    }),
    field({
      key: 'modelCode',
      type: 'text',
      required: true,
      reference: 'productModel',
      max: 64,
      label: b('型号编码', 'Model code'),
      description: b('须为系统中已有产品型号的编码', 'The code of an existing product model'),
      aliases: ['型号', '产品型号', '机型', 'model', 'model code'],
    }),
    field({
      key: 'customerName',
      type: 'text',
      required: true,
      reference: 'customer',
      max: 200,
      label: b('客户名称', 'Customer name'),
      description: b('须与系统中已有客户的名称一致', 'Must match the name of an existing customer'),
      aliases: ['客户', '使用单位', '客户名', 'customer', 'owner'],
    }),
    field({
      key: 'assetCode',
      type: 'text',
      unique: true,
      max: 64,
      label: b('资产编号', 'Asset code'),
      description: b('客户的资产标签，唯一', 'The customer’s asset tag, unique'),
      aliases: ['资产号', '资产标签', 'asset', 'asset tag'],
    }),
    field({
      key: 'batch',
      type: 'text',
      max: 64,
      label: b('批次', 'Batch'),
      description: b('生产批次，用于按批次统计故障', 'Production batch, for fault statistics by batch'),
      aliases: ['生产批次', '批号', 'lot', 'batch no'],
    }),
    field({
      key: 'firmwareVersion',
      type: 'text',
      max: 64,
      label: b('固件版本', 'Firmware version'),
      description: b('当前固件版本', 'Current firmware'),
      aliases: ['固件', '软件版本', 'firmware'],
    }),
    field({
      key: 'installedOn',
      type: 'date',
      label: b('安装日期', 'Installed on'),
      description: b('日期（年-月-日）', 'A date (year-month-day)'),
      aliases: ['安装时间', '投运日期', 'installed', 'install date'],
    }),
    field({
      key: 'warrantyEndsOn',
      type: 'date',
      label: b('保修截止日期', 'Warranty ends on'),
      description: b('日期（年-月-日）', 'A date (year-month-day)'),
      aliases: ['保修到期', '质保到期', '保修期至', 'warranty', 'warranty end'],
    }),
  ],
  part: [
    field({
      key: 'sku',
      type: 'text',
      required: true,
      unique: true,
      max: 64,
      label: b('备件编码', 'SKU'),
      description: b('字母、数字、点、横线、下划线，唯一', 'Letters, digits, dot, dash, underscore; unique'),
      aliases: ['物料编码', '料号', '编码', 'part no', 'part number', 'code'],
    }),
    field({
      key: 'nameZh',
      type: 'text',
      required: true,
      max: 200,
      label: b('中文名称', 'Name (Chinese)'),
      description: b('备件的中文名称', 'The part’s Chinese name'),
      aliases: ['名称', '备件名称', '物料名称', 'name', 'part name'],
    }),
    field({
      key: 'nameEn',
      type: 'text',
      max: 200,
      label: b('英文名称', 'Name (English)'),
      description: b('可选', 'Optional'),
      aliases: ['英文名', 'english name'],
    }),
    field({
      key: 'unitCost',
      type: 'number',
      required: true,
      min: 0,
      max: 10_000_000_000,
      label: b('单位成本（元）', 'Unit cost (yuan)'),
      description: b('元，最多两位小数；按分保存', 'Yuan with at most two decimals; stored in fen'),
      aliases: ['成本', '单价', '价格', 'cost', 'price', 'unit price'],
    }),
    field({
      key: 'unit',
      type: 'text',
      max: 16,
      label: b('单位', 'Unit'),
      description: b('计量单位；为空时为“个”', 'Unit of measure; 个 when empty'),
      aliases: ['计量单位', 'uom'],
    }),
    field({
      key: 'serialTracked',
      type: 'boolean',
      values: BOOLEAN_VALUES,
      label: b('按序列号管理', 'Serial-tracked'),
      description: b('是/否；为空时为否', 'Yes/no; no when empty'),
      aliases: ['序列号管理', 'serial tracked'],
    }),
  ],
};

/** source column header → target field key (null: not imported). */
export const ColumnMapping = z.record(z.string().max(200), z.string().max(64).nullable());
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** An unknown free-text value → a fault category code, decided by the user in the unmapped-values step. */
export const ValueMapping = z.record(z.string().max(200), z.string().max(64));
export type ValueMapping = z.infer<typeof ValueMapping>;

export const ImportState = z.enum(['uploaded', 'failed', 'imported']);

export const ImportRun = z
  .object({
    id: z.uuid(),
    entity: ImportEntity,
    fileName: z.string(),
    state: ImportState,
    rowCount: z.number().int().nullable(),
    importedCount: z.number().int(),
    errorCount: z.number().int(),
    hasErrorFile: z.boolean(),
    createdBy: z.uuid().nullable(),
    createdByName: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'ImportRun' });
export type ImportRun = z.infer<typeof ImportRun>;

/** What an upload tells the mapping step. */
export const ImportUpload = z
  .object({
    run: ImportRun,
    /** The worksheet read (xlsx): the one asked for, or the one holding the header; null for a CSV. */
    sheet: z.string().nullable(),
    /** The workbook's worksheets in tab order, to choose another; empty for a CSV. */
    sheets: z.array(z.string()),
    /** 1-based row number of the detected header row. */
    headerRow: z.number().int(),
    headers: z.array(z.string()),
    /** A few raw data rows, aligned with `headers`. */
    sample: z.array(z.array(z.string())),
    /** Guessed from header names and the saved mapping of this entity. */
    mapping: ColumnMapping,
  })
  .meta({ id: 'ImportUpload' });
export type ImportUpload = z.infer<typeof ImportUpload>;

/** Read another worksheet of the uploaded workbook (its name as the tab shows it). */
export const ImportSheetChoice = z.object({ sheet: z.string().min(1).max(255) });
export type ImportSheetChoice = z.infer<typeof ImportSheetChoice>;

export const ImportOptions = z.object({
  mapping: ColumnMapping,
  values: ValueMapping.default({}),
  /** Unknown values (keys of `values`) to add to the synonym list of the category they were mapped to. */
  saveSynonyms: z.array(z.string().max(200)).max(1000).default([]),
  /** Remember this mapping for the next file of the same entity. */
  saveMapping: z.boolean().default(false),
});
export type ImportOptions = z.input<typeof ImportOptions>;

export const RowError = z.object({
  /** 1-based row number in the sheet, as the user sees it in Excel. */
  row: z.number().int(),
  field: z.string(),
  column: z.string().nullable(),
  code: z.string(),
  value: z.string().nullable(),
  message: z.string(),
});
export type RowError = z.infer<typeof RowError>;

export const UnmappedValue = z.object({ field: z.string(), value: z.string(), count: z.number().int() });

export const ImportReport = z
  .object({
    run: ImportRun,
    rowCount: z.number().int(),
    /** The first rows after mapping, typed values as the importer understood them. */
    preview: z.array(z.record(z.string(), z.unknown())),
    unmapped: z.array(UnmappedValue),
    errorCount: z.number().int(),
    /** At most the first 1,000 problems; the error file has them all. */
    errors: z.array(RowError),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportResult = z
  .object({
    run: ImportRun,
    imported: z.number().int(),
    /** Where the time went: reading the file, checking every row, writing (incl. facts); milliseconds. */
    timings: z.object({
      parseMs: z.number().int(),
      checkMs: z.number().int(),
      writeMs: z.number().int(),
      totalMs: z.number().int(),
    }),
  })
  .meta({ id: 'ImportResult' });

export const ImportRunQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  entity: ImportEntity.optional(),
});

export const SavedMappingQuery = z.object({ entity: ImportEntity });
export const SavedMapping = z.object({
  entity: ImportEntity,
  mapping: ColumnMapping,
  updatedAt: z.string().nullable(),
});

export const DataDictionaryField = z.object({
  key: z.string(),
  type: ImportFieldType,
  required: z.boolean(),
  unique: z.boolean(),
  reference: ImportReference.nullable(),
  label: Bilingual,
  description: Bilingual,
  values: z.array(z.object({ value: z.string(), label: Bilingual })),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export const DataDictionaryEntities = z.array(z.object({ entity: ImportEntity, fields: z.array(DataDictionaryField) }));
/** A fault category: what a problem type is normalised to (the allowed values of `problemType`). */
export const DictionaryCategory = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  label: Bilingual,
  active: z.boolean(),
  /** The phrases that map to it (its synonym list). */
  synonyms: z.array(z.string()),
});
/** A custom ticket field from the form designer (kept in the ticket's `fields`; entered on the ticket form). */
export const DictionaryCustomField = z.object({
  ticketType: z.string(),
  key: z.string(),
  kind: FieldKind,
  required: z.boolean(),
  active: z.boolean(),
  label: Bilingual,
  description: Bilingual,
  values: z.array(z.object({ value: z.string(), label: Bilingual })),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export const DataDictionary = z
  .object({
    entities: DataDictionaryEntities,
    faultCategories: z.array(DictionaryCategory),
    customFields: z.array(DictionaryCustomField),
  })
  .meta({ id: 'DataDictionary' });
export type DataDictionary = z.infer<typeof DataDictionary>;
export type DictionaryCategory = z.infer<typeof DictionaryCategory>;
export type DictionaryCustomField = z.infer<typeof DictionaryCustomField>;

export const DictionaryTemplateQuery = z.object({
  entity: ImportEntity,
  /** The template's language (a download link cannot send Accept-Language); the request's otherwise. */
  lang: z.enum(['zh-CN', 'en-US']).optional(),
});

/** How header names and enum labels are compared: case, width and spacing don't matter (server and browser). */
export function looseKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）:：*＊]/g, '');
}

/** A custom ticket field's column key in an import mapping: `fields.<key>`. */
export const CUSTOM_FIELD_PREFIX = 'fields.';

/** The custom field kinds a spreadsheet cell can carry, as the importer types them. */
const IMPORTABLE_KINDS: Partial<Record<FieldKind, ImportFieldType>> = {
  text: 'text',
  longText: 'text',
  number: 'number',
  money: 'number',
  date: 'date',
  datetime: 'datetime',
  checkbox: 'boolean',
  select: 'enum',
};

/**
 * The form designer's active repair-ticket fields that an import can fill, as import fields keyed
 * `fields.<key>`: one list for the mapping step, the data dictionary and the importer. Never
 * required — history predates the field — while type, range, pattern and choices are checked by
 * the forms' own rule (checkFieldValues). Multi-select, cascade, attachment, location, signature
 * and reference fields have no cell form and are not offered.
 */
export function customImportFields(definitions: readonly FieldDefinition[]): ImportFieldDef[] {
  return definitions
    .filter((d) => d.ticketType === 'repair' && d.active !== false && IMPORTABLE_KINDS[d.kind])
    .map((d) => ({
      key: `${CUSTOM_FIELD_PREFIX}${d.key}`,
      type: IMPORTABLE_KINDS[d.kind]!,
      required: false,
      label: b(d.labelZh, d.labelEn),
      description: b(d.helpZh ?? '', d.helpEn ?? ''),
      aliases: [d.key],
      ...(d.kind === 'select'
        ? { values: (d.choices ?? []).map((c) => ({ value: c.value, label: b(c.labelZh, c.labelEn) })) }
        : {}),
      ...(d.kind === 'text' ? { max: 500 } : d.kind === 'longText' ? { max: 5000 } : {}),
      ...(d.kind === 'number' || d.kind === 'money'
        ? { ...(d.min != null ? { min: d.min } : {}), ...(d.max != null ? { max: d.max } : {}) }
        : {}),
    }));
}

/** The importable fields as served: IMPORT_FIELDS, and for tickets the importable custom fields. */
export function importableFields(definitions: readonly FieldDefinition[] = []): z.infer<typeof DataDictionaryEntities> {
  return IMPORT_ENTITIES.map((entity) => ({
    entity,
    fields: [...IMPORT_FIELDS[entity], ...(entity === 'ticket' ? customImportFields(definitions) : [])].map((f) => ({
      key: f.key,
      type: f.type,
      required: f.required,
      unique: f.unique ?? false,
      reference: f.reference ?? null,
      label: f.label,
      description: f.description,
      values: f.values ?? [],
      min: f.min ?? null,
      max: f.max ?? null,
    })),
  }));
}
