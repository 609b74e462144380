import {
  type DataDictionary,
  type DictionaryCustomField,
  type FieldChoice,
  type FieldDefinition,
  type ImportEntity,
  importableFields,
} from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { type Executor, rows } from '../../platform/db/client';
import { type Locale, translate } from '../../platform/i18n';
import type { Platform } from '../../platform/index';

/**
 * The data dictionary: every importable field (from the contracts' IMPORT_FIELDS, the list the
 * importer itself validates with), the fault taxonomy a problem type is normalised to (with its
 * synonyms), and the custom ticket fields of the form designer — all read from where they are
 * defined, so the page, the template and the importer cannot drift apart.
 */
export class DataDictionaryService {
  constructor(
    private readonly platform: Platform,
    private readonly customFields: (db: Executor) => Promise<FieldDefinition[]>,
  ) {}

  async dictionary(): Promise<DataDictionary> {
    const db = this.platform.db;
    const categories = await rows<{
      code: string;
      parent_code: string | null;
      name_zh: string;
      name_en: string;
      active: boolean;
      synonyms: string[] | null;
    }>(
      db,
      sql`select c.code, p.code as parent_code, c.name_zh, c.name_en, c.active,
            (select array_agg(s.phrase order by s.phrase) from fault_synonyms s where s.category_id = c.id) as synonyms
          from fault_categories c left join fault_categories p on p.id = c.parent_id
          order by coalesce(p.sort, c.sort), p.code nulls first, c.sort, c.code`,
    );
    const definitions = await this.customFields(db);
    return {
      entities: importableFields(definitions),
      faultCategories: categories.map((c) => ({
        code: c.code,
        parentCode: c.parent_code,
        label: { 'zh-CN': c.name_zh, 'en-US': c.name_en },
        active: c.active,
        synonyms: c.synonyms ?? [],
      })),
      customFields: definitions.map(customField),
    };
  }

  /**
   * An empty workbook to fill in: the first sheet's header names the fields in the reader's
   * language (which the mapping step recognises exactly; required ones marked *), enum columns
   * offer their values as a drop-down, and a second sheet explains every column.
   */
  async template(entity: ImportEntity, locale: Locale): Promise<{ name: string; content: Buffer }> {
    const dictionary = await this.dictionary();
    const fields = dictionary.entities.find((e) => e.entity === entity)!.fields;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(translate(`import.entity.${entity}`, locale));
    const header = sheet.addRow(fields.map((f) => `${f.label[locale]}${f.required ? '*' : ''}`));
    header.font = { bold: true };
    fields.forEach((f, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = Math.max(12, f.label[locale].length * (locale === 'zh-CN' ? 2.2 : 1.2));
      const choices = f.values.map((v) => v.label[locale]);
      if (choices.length > 0 && choices.join(',').length < 250) {
        const letter = column.letter;
        // exceljs 4.4 supports range validations at runtime; its typings only know per-cell ones.
        (sheet as unknown as RangeValidations).dataValidations.add(`${letter}2:${letter}100001`, {
          type: 'list',
          allowBlank: !f.required,
          formulae: [`"${choices.join(',')}"`],
        });
      }
    });
    sheet.views = [{ state: 'frozen', ySplit: 1 }];

    const guide = workbook.addWorksheet(translate('import.template.guide', locale));
    guide.columns = ['column', 'key', 'required', 'type', 'meaning', 'allowed'].map((k) => ({
      header: translate(`import.template.${k}`, locale),
      key: k,
      width: k === 'meaning' || k === 'allowed' ? 60 : 18,
    }));
    guide.getRow(1).font = { bold: true };
    const categories = dictionary.faultCategories
      .filter((c) => c.active && c.parentCode)
      .map((c) => c.label[locale])
      .join(locale === 'zh-CN' ? '、' : ', ');
    for (const f of fields) {
      guide.addRow({
        column: f.label[locale],
        key: f.key,
        required: translate(f.required ? 'import.template.yes' : 'import.template.no', locale),
        type: translate(`import.type.${f.type}`, locale),
        meaning: f.description[locale],
        allowed: f.values.length
          ? f.values.map((v) => v.label[locale]).join(locale === 'zh-CN' ? '、' : ', ')
          : f.reference === 'faultCategory'
            ? categories
            : f.min !== null && f.type !== 'text'
              ? `${f.min} – ${f.max}`
              : '',
      });
    }
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    return { name: `${translate(`import.entity.${entity}`, locale)}-template.xlsx`, content };
  }
}

type RangeValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

const choicesOf = (choices: FieldChoice[]): DictionaryCustomField['values'] =>
  choices.map((c) => ({ value: c.value, label: { 'zh-CN': c.labelZh, 'en-US': c.labelEn } }));

function customField(f: FieldDefinition): DictionaryCustomField {
  return {
    ticketType: f.ticketType,
    key: f.key,
    kind: f.kind,
    required: f.required,
    active: f.active,
    label: { 'zh-CN': f.labelZh, 'en-US': f.labelEn },
    description: { 'zh-CN': f.helpZh ?? '', 'en-US': f.helpEn ?? '' },
    values: choicesOf(f.choices),
    min: f.min ?? null,
    max: f.max ?? null,
  };
}
