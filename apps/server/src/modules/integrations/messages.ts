import { registerMessages } from '../../platform/i18n';

let registered = false;

/** The importer's messages, in both languages; a row problem reads “<field>: <message>”. */
export function ensureImportMessages(): void {
  if (registered) return;
  registered = true;
  registerMessages({
    'entity.import': { 'zh-CN': '导入记录', 'en-US': 'Import' },
    'import.required': { 'zh-CN': '必填，不能为空', 'en-US': 'is required' },
    'import.too_long': { 'zh-CN': '超过 {max} 个字符', 'en-US': 'is longer than {max} characters' },
    'import.invalid_integer': { 'zh-CN': '不是整数', 'en-US': 'is not a whole number' },
    'import.invalid_number': { 'zh-CN': '不是数字', 'en-US': 'is not a number' },
    'import.out_of_range': { 'zh-CN': '须在 {min}–{max} 之间', 'en-US': 'must be between {min} and {max}' },
    'import.invalid_datetime': {
      'zh-CN': '不是有效的日期时间（例如 2025-03-04 10:20）',
      'en-US': 'is not a valid date and time (e.g. 2025-03-04 10:20)',
    },
    'import.invalid_date': {
      'zh-CN': '不是有效的日期（例如 2025-03-04）',
      'en-US': 'is not a valid date (e.g. 2025-03-04)',
    },
    'import.invalid_boolean': { 'zh-CN': '须为“是”或“否”', 'en-US': 'must be yes or no' },
    'import.invalid_enum': {
      'zh-CN': '不是允许的取值（{allowed}）',
      'en-US': 'is not one of the allowed values ({allowed})',
    },
    'import.invalid_region': {
      'zh-CN': '不是省级行政区划代码或省份名称',
      'en-US': 'is not a province code or province name',
    },
    'import.invalid_credit_code': {
      'zh-CN': '不是有效的统一社会信用代码',
      'en-US': 'is not a valid unified social credit code',
    },
    'import.invalid_code': {
      'zh-CN': '只能包含字母、数字、点、横线和下划线',
      'en-US': 'may contain only letters, digits, dots, dashes and underscores',
    },
    'import.formula_without_value': {
      'zh-CN': '单元格 {cell} 的公式没有保存计算结果，请用 Excel 或 WPS 打开文件、保存后重新上传',
      'en-US':
        'the formula in cell {cell} has no saved result; open the file in Excel or WPS, save it and upload it again',
    },
    'import.too_many_decimals': { 'zh-CN': '最多两位小数', 'en-US': 'has more than two decimals' },
    'import.unknown_reference': {
      'zh-CN': '“{value}”在系统中不存在',
      'en-US': '“{value}” does not exist in the system',
    },
    'import.ambiguous_reference': {
      'zh-CN': '“{value}”对应多个用户，请填写用户名',
      'en-US': '“{value}” matches several users; use the username',
    },
    'import.device_other_customer': {
      'zh-CN': '序列号“{value}”的设备不属于该客户',
      'en-US': 'the device with serial “{value}” belongs to another customer',
    },
    'import.unmapped_value': {
      'zh-CN': '“{value}”无法归入故障分类，请在“未识别的值”步骤中指定',
      'en-US': '“{value}” matches no fault category; map it in the unmapped-values step',
    },
    'import.duplicate_in_file': { 'zh-CN': '与第 {row} 行重复', 'en-US': 'duplicates row {row}' },
    'import.duplicate_existing': {
      'zh-CN': '“{value}”在系统中已存在',
      'en-US': '“{value}” already exists in the system',
    },
    'import.before': { 'zh-CN': '早于{other}', 'en-US': 'is earlier than {other}' },
    'import.in_future': { 'zh-CN': '晚于当前时间', 'en-US': 'is in the future' },
    'import.rows_invalid': {
      'zh-CN': '文件中有 {count} 处错误，未导入任何数据；请下载错误文件修改后重新上传',
      'en-US':
        'The file has {count} problems and nothing was imported; download the error file, fix it and upload again',
    },
    'import.file_type': {
      'zh-CN': '只能导入 .xlsx 或 .csv 文件',
      'en-US': 'Only .xlsx and .csv files can be imported',
    },
    'import.file_too_large': {
      'zh-CN': '文件过大（上限 {limit} MB）',
      'en-US': 'The file is too large (limit {limit} MB)',
    },
    'import.file_unreadable': {
      'zh-CN': '无法读取该文件，请确认是 Excel（.xlsx）或 CSV 文件',
      'en-US': 'The file cannot be read; is it an Excel (.xlsx) or CSV file?',
    },
    'import.no_header': { 'zh-CN': '找不到表头行', 'en-US': 'No header row found' },
    'import.too_many_rows': {
      'zh-CN': '一个文件最多 {max} 行，请拆分后导入',
      'en-US': 'A file may hold at most {max} rows; split it',
    },
    'import.entity_required': {
      'zh-CN': '请先选择导入的数据类型（entity 字段须在文件之前）',
      'en-US': 'Choose what to import (the entity field must come before the file)',
    },
    'import.unknown_field': { 'zh-CN': '没有字段“{field}”', 'en-US': 'There is no field “{field}”' },
    'import.field_mapped_twice': {
      'zh-CN': '字段“{label}”被映射了多次',
      'en-US': 'The field “{label}” is mapped more than once',
    },
    'import.required_unmapped': {
      'zh-CN': '必填字段“{label}”没有对应的列',
      'en-US': 'No column is mapped to the required field “{label}”',
    },
    'import.unknown_sheet': {
      'zh-CN': '文件中没有工作表“{sheet}”（现有：{sheets}）',
      'en-US': 'The file has no sheet “{sheet}” (it has: {sheets})',
    },
    'import.csv_no_sheets': {
      'zh-CN': 'CSV 文件没有工作表，不能指定工作表',
      'en-US': 'A CSV file has no sheets to choose from',
    },
    'import.unknown_category': { 'zh-CN': '没有故障分类“{code}”', 'en-US': 'There is no fault category “{code}”' },
    'import.already_imported': { 'zh-CN': '该文件已经导入', 'en-US': 'This file has already been imported' },
    'import.error_column': { 'zh-CN': '错误', 'en-US': 'Errors' },
    'import.entity.ticket': { 'zh-CN': '工单', 'en-US': 'tickets' },
    'import.entity.customer': { 'zh-CN': '客户', 'en-US': 'customers' },
    'import.entity.device': { 'zh-CN': '设备', 'en-US': 'devices' },
    'import.entity.part': { 'zh-CN': '备件', 'en-US': 'parts' },
    'import.template.guide': { 'zh-CN': '字段说明', 'en-US': 'Fields' },
    'import.template.column': { 'zh-CN': '列名', 'en-US': 'Column' },
    'import.template.key': { 'zh-CN': '字段', 'en-US': 'Field key' },
    'import.template.required': { 'zh-CN': '必填', 'en-US': 'Required' },
    'import.template.type': { 'zh-CN': '类型', 'en-US': 'Type' },
    'import.template.meaning': { 'zh-CN': '含义', 'en-US': 'Meaning' },
    'import.template.allowed': { 'zh-CN': '允许的值', 'en-US': 'Allowed values' },
    'import.template.yes': { 'zh-CN': '是', 'en-US': 'yes' },
    'import.template.no': { 'zh-CN': '否', 'en-US': 'no' },
    'import.type.text': { 'zh-CN': '文本', 'en-US': 'text' },
    'import.type.integer': { 'zh-CN': '整数', 'en-US': 'whole number' },
    'import.type.number': { 'zh-CN': '数字', 'en-US': 'number' },
    'import.type.datetime': { 'zh-CN': '日期时间', 'en-US': 'date and time' },
    'import.type.date': { 'zh-CN': '日期', 'en-US': 'date' },
    'import.type.enum': { 'zh-CN': '枚举', 'en-US': 'one of a list' },
    'import.type.boolean': { 'zh-CN': '是/否', 'en-US': 'yes/no' },
  });
}
