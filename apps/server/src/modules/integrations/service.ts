import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  customImportFields,
  type FieldDefinition,
  IMPORT_FIELDS,
  ImportEntity,
  type ImportFieldDef,
  type ImportOptions,
  type ImportReport,
  type ImportRun,
  type ImportUpload,
  type RowError,
} from '@serviceloop/contracts';
import { desc, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../../platform/db/client';
import { type FileStorage, sanitiseName } from '../../platform/files/index';
import { AppError, notFound } from '../../platform/http/errors';
import { type Locale, translate } from '../../platform/i18n';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { userNames } from '../identity/index';
import { normaliseProblemType } from '../tickets/index';
import { writeErrorFile } from './error-file';
import { lookupsFor } from './lookups';
import { guessMapping, mappingToSave } from './mapping';
import { type FileFormat, type ReadOptions, readSheet, type Sheet } from './sheet';
import { importMappings, importRuns } from './tables';
import { type Checked, checkRows, type Problem } from './validate';
import { writeRecords } from './write';

type RunRow = typeof importRuns.$inferSelect;
type Options = {
  mapping: Record<string, string | null>;
  values: Record<string, string>;
  saveSynonyms: string[];
  saveMapping: boolean;
};

const REPORTED_ERRORS = 1_000;
const PREVIEW_ROWS = 20;
/** Data rows the upload hands the mapping step as a sample. */
const SAMPLE_ROWS = 5;

/**
 * Historical import, all-or-nothing per file: upload (streamed, size-limited, header detected),
 * mapping, a dry run that reports every problem by row and field, and the import itself in one
 * transaction that writes nothing if any row is wrong.
 */
export class ImportService {
  constructor(
    private readonly platform: Platform,
    private readonly storage: FileStorage,
    private readonly maxBytes: number,
    private readonly afterImport: () => void,
    private readonly customFields: (db: Executor) => Promise<FieldDefinition[]>,
  ) {}

  /** The entity's importable fields: the contract's, and for tickets the form designer's importable ones. */
  private async fieldsOf(db: Executor, entity: ImportEntity) {
    const definitions = entity === 'ticket' ? await this.customFields(db) : [];
    return { definitions, fields: [...IMPORT_FIELDS[entity], ...customImportFields(definitions)] };
  }

  private get tmpDir() {
    return path.join(this.platform.config.dataDir, 'tmp');
  }

  async upload(request: FastifyRequest, actorId: string | null): Promise<ImportUpload> {
    if (!request.isMultipart()) {
      throw new AppError(415, 'request.unsupported_media_type', { type: request.headers['content-type'] ?? '' });
    }
    const part = await request.file().catch(() => {
      throw new AppError(400, 'file.upload_malformed', {}, [{ path: 'file', code: 'file.upload_malformed' }]);
    });
    if (!part) throw new AppError(400, 'validation.failed', {}, [{ path: 'file', code: 'validation.required' }]);
    const entity = ImportEntity.safeParse(fieldValue(part.fields.entity));
    const sheetName = fieldValue(part.fields.sheet);
    const fileName = sanitiseName(part.filename ?? '');
    const format = (/\.(xlsx|csv)$/i.exec(fileName)?.[1]?.toLowerCase() ?? null) as FileFormat | null;
    if (!entity.success || !format) {
      part.file.resume();
      if (!entity.success)
        throw new AppError(400, 'import.entity_required', {}, [{ path: 'entity', code: 'import.entity_required' }]);
      throw new AppError(415, 'import.file_type', {}, [{ path: 'file', code: 'import.file_type' }]);
    }
    await mkdir(this.tmpDir, { recursive: true });
    const temp = path.join(this.tmpDir, `${newId()}.${format}`);
    let size = 0;
    const limit = this.maxBytes;
    try {
      await pipeline(
        part.file,
        new Transform({
          transform(chunk: Buffer, _e, done) {
            size += chunk.length;
            if (size > limit)
              return done(new AppError(413, 'import.file_too_large', { limit: Math.round(limit / 1048576) }));
            done(null, chunk);
          },
        }),
        createWriteStream(temp),
      );
      if (part.file.truncated) throw new AppError(413, 'import.file_too_large', { limit: Math.round(limit / 1048576) });
      if (size === 0 || !(await looksLike(temp, format))) throw new AppError(415, 'import.file_unreadable');
      const id = newId();
      const fileKey = `imports/${id}.${format}`;
      await this.storage.putFile(fileKey, temp, {
        contentType: format === 'csv' ? 'text/csv' : 'application/zip',
        sizeBytes: size,
      });
      const sheet = await this.read(fileKey, format, entity.data, {
        sheet: typeof sheetName === 'string' ? sheetName : undefined,
        limit: SAMPLE_ROWS,
      });
      const now = this.platform.clock.now();
      await this.platform.db.insert(importRuns).values({
        id,
        entity: entity.data,
        fileName,
        fileFormat: format,
        fileKey,
        sizeBytes: size,
        sheetName: sheet.sheet,
        headerRow: sheet.headerRow,
        headers: sheet.headers,
        state: 'uploaded',
        importedCount: 0,
        errorCount: 0,
        createdBy: actorId,
        createdAt: now,
      });
      return await this.describe(id, entity.data, sheet);
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Reads another worksheet of an uploaded workbook: its header, sample and guessed mapping replace the first. */
  async chooseSheet(id: string, name: string): Promise<ImportUpload> {
    const run = await this.loadRun(id);
    if (run.state === 'imported') throw new AppError(409, 'import.already_imported');
    const entity = run.entity as ImportEntity;
    const sheet = await this.read(run.fileKey, run.fileFormat as FileFormat, entity, {
      sheet: name,
      limit: SAMPLE_ROWS,
    });
    await this.platform.db
      .update(importRuns)
      .set({ sheetName: sheet.sheet, headerRow: sheet.headerRow, headers: sheet.headers })
      .where(eq(importRuns.id, id));
    return this.describe(id, entity, sheet);
  }

  /** What the mapping step needs to know of the sheet read: its header, a sample and the guessed mapping. */
  private async describe(id: string, entity: ImportEntity, sheet: Sheet): Promise<ImportUpload> {
    const [saved] = await this.platform.db.select().from(importMappings).where(eq(importMappings.entity, entity));
    return {
      run: await this.run(id),
      sheet: sheet.sheet,
      sheets: sheet.sheets,
      headerRow: sheet.headerRow,
      headers: sheet.headers,
      sample: sheet.rows.map((r) => sheet.headers.map((_, i) => textOf(r.cells[i]))),
      mapping: guessMapping(
        (await this.fieldsOf(this.platform.db, entity)).fields,
        sheet.headers,
        saved?.mapping ?? {},
      ),
    };
  }

  /** The run's sheet as the upload (or the user) chose it. */
  private readRun(run: RunRow) {
    return this.read(run.fileKey, run.fileFormat as FileFormat, run.entity as ImportEntity, {
      sheet: run.sheetName ?? undefined,
      headerRow: run.headerRow,
    });
  }

  private async read(key: string, format: FileFormat, entity: ImportEntity, options: ReadOptions) {
    const { body } = await this.storage.get(key);
    try {
      return await readSheet(body, format, entity, options);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(422, 'import.file_unreadable');
    }
  }

  async run(id: string): Promise<ImportRun> {
    const [row] = await this.platform.db.select({ run: importRuns }).from(importRuns).where(eq(importRuns.id, id));
    if (!row) throw notFound('entity.import');
    const names = await userNames(this.platform.db, [row.run.createdBy]);
    return present(row.run, (row.run.createdBy && names.get(row.run.createdBy)) ?? null);
  }

  async list(query: { page: number; pageSize: number; entity?: ImportEntity }) {
    const where = query.entity ? eq(importRuns.entity, query.entity) : undefined;
    const items = await this.platform.db
      .select({ run: importRuns })
      .from(importRuns)
      .where(where)
      .orderBy(desc(importRuns.createdAt), desc(importRuns.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const [{ n }] = (await this.platform.db
      .select({ n: sql<number>`count(*)::int` })
      .from(importRuns)
      .where(where)) as [{ n: number }];
    const names = await userNames(
      this.platform.db,
      items.map((r) => r.run.createdBy),
    );
    return {
      items: items.map((r) => present(r.run, (r.run.createdBy && names.get(r.run.createdBy)) ?? null)),
      total: n,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async savedMapping(entity: ImportEntity) {
    const [saved] = await this.platform.db.select().from(importMappings).where(eq(importMappings.entity, entity));
    return { entity, mapping: saved?.mapping ?? {}, updatedAt: saved?.updatedAt.toISOString() ?? null };
  }

  private async loadRun(id: string): Promise<RunRow> {
    const [run] = await this.platform.db.select().from(importRuns).where(eq(importRuns.id, id));
    if (!run) throw notFound('entity.import');
    return run;
  }

  /**
   * Mapping targets and chosen categories must exist; every required field needs a column. Fields
   * are named by their label in the reader's language (the key stays in `field` for programs).
   */
  private checkOptions(options: Options, categories: Set<string>, fields: ImportFieldDef[], locale: Locale) {
    const seen = new Set<string>();
    const details: { path: string; code: string; field?: string; label?: string }[] = [];
    for (const [header, key] of Object.entries(options.mapping)) {
      if (!key) continue;
      if (!fields.some((f) => f.key === key))
        details.push({ path: `mapping.${header}`, code: 'import.unknown_field', field: key });
      else if (seen.has(key))
        details.push({
          path: `mapping.${header}`,
          code: 'import.field_mapped_twice',
          field: key,
          label: labelOf(fields, key, locale),
        });
      seen.add(key);
    }
    for (const f of fields.filter((f) => f.required && !seen.has(f.key)))
      details.push({ path: 'mapping', code: 'import.required_unmapped', field: f.key, label: f.label[locale] });
    for (const [value, code] of Object.entries(options.values))
      if (!categories.has(code))
        details.push({ path: `values.${value}`, code: 'import.unknown_category', field: code });
    if (details.length > 0) throw new AppError(400, 'validation.failed', {}, details);
  }

  private async check(
    db: Executor,
    run: RunRow,
    sheet: Sheet,
    options: Options,
    locale: Locale,
  ): Promise<Checked & { fields: ImportFieldDef[] }> {
    const entity = run.entity as ImportEntity;
    const { fields, definitions } = await this.fieldsOf(db, entity);
    const lookups = await lookupsFor(db, entity, sheet, options.mapping);
    this.checkOptions(options, new Set(lookups.categories.keys()), fields, locale);
    const checked = checkRows(
      sheet.rows,
      {
        entity,
        fields,
        definitions,
        headers: sheet.headers,
        mapping: options.mapping,
        values: options.values,
        now: this.platform.clock.now(),
      },
      lookups,
    );
    return { ...checked, fields };
  }

  /** The dry run: preview, unmapped values and every problem; writes nothing but the error file. */
  async analyse(id: string, options: Options, locale: Locale, actorId: string | null): Promise<ImportReport> {
    const run = await this.loadRun(id);
    const entity = run.entity as ImportEntity;
    const sheet = await this.readRun(run);
    const checked = await this.check(this.platform.db, run, sheet, options, locale);
    if (options.saveMapping) await this.saveMapping(entity, options.mapping, actorId);
    const errorFileKey =
      checked.problems.length > 0 ? await this.errorFile(sheet, checked.problems, checked.fields, locale) : null;
    await this.platform.db
      .update(importRuns)
      .set({ rowCount: sheet.rows.length, errorCount: checked.problems.length, errorFileKey, mapping: options.mapping })
      .where(eq(importRuns.id, id));
    return {
      run: await this.run(id),
      rowCount: sheet.rows.length,
      preview: checked.rows.slice(0, PREVIEW_ROWS).map((r) => previewOf(checked.fields, r.line, r.values)),
      unmapped: [...checked.unmapped].flatMap(([field, counts]) =>
        [...counts].map(([value, count]) => ({ field, value, count })).sort((a, b) => b.count - a.count),
      ),
      errorCount: checked.problems.length,
      errors: checked.problems
        .slice(0, REPORTED_ERRORS)
        .map((p) => rowError(p, checked.fields, sheet.headers, options.mapping, locale)),
    };
  }

  /** The import: one transaction; any problem and nothing is written, the report comes back as a 422. */
  async commit(id: string, options: Options, locale: Locale, actorId: string | null) {
    const run = await this.loadRun(id);
    if (run.state === 'imported') throw new AppError(409, 'import.already_imported');
    const entity = run.entity as ImportEntity;
    const timer = phaseTimer();
    const sheet = await this.readRun(run);
    const parseMs = timer();
    let checkMs = 0;
    const now = this.platform.clock.now();
    const outcome = await this.platform.transaction(async (tx) => {
      // The run's row lock makes a double-click (or two managers) import a file once.
      const [claimed] = await tx.select().from(importRuns).where(eq(importRuns.id, id)).for('update');
      if (claimed!.state === 'imported') throw new AppError(409, 'import.already_imported');
      const checked = await this.check(tx, run, sheet, options, locale);
      checkMs = timer();
      if (checked.problems.length > 0) return { ok: false as const, checked };
      for (const phrase of options.saveSynonyms) {
        const code = options.values[phrase];
        if (!code) continue;
        await tx.execute(sql`
          insert into fault_synonyms (normalised, phrase, category_id, created_at)
          select ${normaliseProblemType(phrase)}, ${phrase}, id, ${now.toISOString()}::timestamptz
          from fault_categories where code = ${code}
          on conflict (normalised) do nothing`);
      }
      const ids = await writeRecords(entity, checked.rows, { tx, runId: id, actorId, now });
      // Subscribers learn of the import from one event: the analytics facts of imported tickets
      // (by their id range) are added after this commits, as native tickets' are after theirs.
      // The id range (lowercase UUID text compares as PostgreSQL orders uuids): one scan, no sort.
      const firstId = ids.reduce<string | undefined>((m, i) => (m === undefined || i < m ? i : m), undefined);
      const lastId = ids.reduce<string | undefined>((m, i) => (m === undefined || i > m ? i : m), undefined);
      await this.platform.events.append(tx, {
        type: 'import.committed',
        entityType: 'import',
        entityId: id,
        actor: actorId ? { kind: 'user', id: actorId } : { kind: 'system', id: null },
        data: { entity, fileName: run.fileName, count: ids.length, firstId, lastId },
      });
      await tx
        .update(importRuns)
        .set({
          state: 'imported',
          rowCount: sheet.rows.length,
          importedCount: ids.length,
          errorCount: 0,
          errorFileKey: null,
          mapping: options.mapping,
          finishedAt: now,
        })
        .where(eq(importRuns.id, id));
      return { ok: true as const, imported: ids.length };
    });
    if (options.saveMapping) await this.saveMapping(entity, options.mapping, actorId);
    if (!outcome.ok) {
      const { problems } = outcome.checked;
      const errorFileKey = await this.errorFile(sheet, problems, outcome.checked.fields, locale);
      await this.platform.db
        .update(importRuns)
        .set({
          state: 'failed',
          rowCount: sheet.rows.length,
          errorCount: problems.length,
          errorFileKey,
          mapping: options.mapping,
          finishedAt: now,
        })
        .where(eq(importRuns.id, id));
      throw new AppError(
        422,
        'import.rows_invalid',
        { count: problems.length },
        {
          runId: id,
          errorCount: problems.length,
          errors: problems
            .slice(0, REPORTED_ERRORS)
            .map((p) => rowError(p, outcome.checked.fields, sheet.headers, options.mapping, locale)),
        },
      );
    }
    const writeMs = timer();
    this.afterImport();
    return {
      run: await this.run(id),
      imported: outcome.imported,
      timings: { parseMs, checkMs, writeMs, totalMs: parseMs + checkMs + writeMs },
    };
  }

  async errorFileOf(id: string) {
    const run = await this.loadRun(id);
    if (!run.errorFileKey) throw notFound('entity.import');
    return { key: run.errorFileKey, name: `${run.fileName.replace(/\.(xlsx|csv)$/i, '')}-errors.xlsx` };
  }

  get files() {
    return this.storage;
  }

  private async saveMapping(entity: ImportEntity, mapping: Record<string, string | null>, actorId: string | null) {
    const now = this.platform.clock.now();
    const saved = mappingToSave(mapping);
    await this.platform.db
      .insert(importMappings)
      .values({ entity, mapping: saved, updatedBy: actorId, updatedAt: now })
      .onConflictDoUpdate({
        target: importMappings.entity,
        set: { mapping: saved, updatedBy: actorId, updatedAt: now },
      });
  }

  private async errorFile(sheet: Sheet, problems: Problem[], fields: ImportFieldDef[], locale: Locale) {
    const byLine = new Map<number, string[]>();
    for (const p of problems) byLine.set(p.line, [...(byLine.get(p.line) ?? []), messageOf(p, fields, locale)]);
    return writeErrorFile(this.storage, this.tmpDir, sheet, byLine, translate('import.error_column', locale));
  }
}

/** Milliseconds since the previous call (or since it was made). */
function phaseTimer() {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return ms;
  };
}

/** A multipart text field's value (fields come before the file). */
const fieldValue = (field: unknown) => (field as { value?: unknown } | undefined)?.value;

const textOf = (cell: unknown) =>
  cell instanceof Date ? cell.toISOString() : cell === null || cell === undefined ? '' : String(cell);

/** xlsx is a zip (PK\x03\x04); a CSV is text (no NUL bytes at its start). */
async function looksLike(file: string, format: FileFormat): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead);
    if (format === 'xlsx') return head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    return !head.includes(0);
  } finally {
    await handle.close();
  }
}

function labelOf(fields: ImportFieldDef[], key: string, locale: Locale): string {
  return fields.find((f) => f.key === key)?.label[locale] ?? key;
}

function messageOf(p: Problem, fields: ImportFieldDef[], locale: Locale): string {
  const params: Record<string, unknown> = { ...p.params, value: p.value ?? '' };
  if (typeof params.other === 'string') params.other = labelOf(fields, params.other, locale);
  const text = translate(p.code, locale, params);
  return `${labelOf(fields, p.field, locale)}${locale === 'zh-CN' ? '：' : ': '}${text}`;
}

function rowError(
  p: Problem,
  fields: ImportFieldDef[],
  headers: string[],
  mapping: Record<string, string | null>,
  locale: Locale,
): RowError {
  return {
    row: p.line,
    field: p.field,
    column: headers.find((h) => mapping[h] === p.field) ?? null,
    code: p.code,
    value: p.value,
    message: messageOf(p, fields, locale),
  };
}

/** A checked row as the preview shows it: the entity's fields only, dates as ISO text. */
function previewOf(fields: ImportFieldDef[], line: number, values: Record<string, unknown>) {
  const out: Record<string, unknown> = { row: line };
  for (const f of fields) {
    const v = values[f.key];
    out[f.key] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out;
}

function present(r: RunRow, createdByName: string | null): ImportRun {
  return {
    id: r.id,
    entity: r.entity as ImportEntity,
    fileName: r.fileName,
    state: r.state as ImportRun['state'],
    rowCount: r.rowCount,
    importedCount: r.importedCount,
    errorCount: r.errorCount,
    hasErrorFile: r.errorFileKey !== null,
    createdBy: r.createdBy,
    createdByName,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

export type { ImportOptions };
