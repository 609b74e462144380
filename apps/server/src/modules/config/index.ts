/**
 * config — configuration as JSON between installations. The sections come from the modules that
 * own the configuration (see registry.ts); this module only reads and writes documents:
 * `GET /config/export` and `POST /config/import` (dry run, then apply all-or-nothing).
 */
import { createHash } from 'node:crypto';
import {
  CONFIG_FORMAT,
  CONFIG_FORMAT_VERSION,
  ConfigDocument,
  ConfigExportQuery,
  ConfigImportRecord,
  ConfigImportRequest,
  ConfigImportResult,
  ConfigSectionInfo,
  type ConfigSectionPlan,
} from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, rows } from '../../platform/db/client';
import type { HttpModule } from '../../platform/http/app';
import { AppError } from '../../platform/http/errors';
import { issueMessage, type Locale, registerMessages } from '../../platform/i18n';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { type Access, eventActor, needs } from '../identity/index';
import { ConfigRegistry, type ImportContext, type SectionPlan } from './registry';

export { ConfigRegistry, type ConfigSection, keyedSection, type SectionProblem } from './registry';

registerMessages({
  'config.duplicate_item': { 'zh-CN': '“{key}”在文档中出现了两次', 'en-US': '“{key}” appears twice in the document' },
  'config.secret_needed': {
    'zh-CN': '“{key}”在本系统中是新的：请提供它的地址（和密钥），文档不携带凭据',
    'en-US': '“{key}” is new here: give its URL (and secret); documents never carry credentials',
  },
  'config.unknown_section': { 'zh-CN': '没有这个配置分区', 'en-US': 'No such configuration section' },
  'config.missing_reference': {
    'zh-CN': '引用的“{key}”既不在本系统中，也不在文档中',
    'en-US': '“{key}” is referred to but exists neither here nor in the document',
  },
  'config.missing_master_data': {
    'zh-CN': '引用的“{key}”在本系统中不存在：用户、客户、设备、备件和工单不随配置迁移，请先在本系统中创建',
    'en-US':
      '“{key}” does not exist here: users, customers, devices, parts and tickets do not travel with configuration; create it here first',
  },
});

/** Where the settings table keeps this installation's identity (made once, on first start). */
const INSTALLATION_KEY = 'installation';

export interface ConfigModule {
  http: HttpModule;
  registry: ConfigRegistry;
  startup(): Promise<void>;
}

type Secrets = Record<string, Record<string, { url?: string; secret?: string }>>;

interface FieldProblem {
  path: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

export function createConfigModule(platform: Platform, access: Access, registry = new ConfigRegistry()): ConfigModule {
  const installation = async (db: Executor) => {
    const [row] = await rows<{ value: { id: string } }>(
      db,
      sql`select value from settings where key = ${INSTALLATION_KEY}`,
    );
    const url = platform.config.publicUrl;
    return row ? (url ? `${row.value.id} ${url}` : row.value.id) : 'unknown';
  };

  /**
   * Parses the document and every section it holds; field-level problems carry the document path
   * (`sections.sla.policies.0.priority`) and a message in the caller's language.
   */
  const parse = (raw: unknown, locale: Locale) => {
    const problems: FieldProblem[] = [];
    const envelope = ConfigDocument.safeParse(raw);
    if (!envelope.success) {
      for (const issue of envelope.error.issues)
        problems.push({ path: issue.path.join('.'), code: issue.code, message: issueMessage(issue, locale) });
      return { problems };
    }
    const sections: Record<string, unknown[]> = {};
    for (const [key, items] of Object.entries(envelope.data.sections)) {
      const section = registry.get(key);
      if (!section) {
        problems.push({ path: `sections.${key}`, code: 'config.unknown_section', message: 'config.unknown_section' });
        continue;
      }
      const parsed = z.array(section.item).safeParse(items);
      if (parsed.success) sections[key] = parsed.data;
      else
        for (const issue of parsed.error.issues)
          problems.push({
            path: ['sections', key, ...issue.path].join('.'),
            code: issue.code,
            message: issueMessage(issue, locale),
          });
    }
    return { document: envelope.data, sections, problems };
  };

  /** Every section's plan against this database (or the import transaction). */
  const planAll = async (
    db: Executor,
    sections: Record<string, unknown[]>,
    base: Omit<ImportContext, 'secrets'>,
    secrets: Secrets,
  ) => {
    const plans: (SectionPlan & { key: string })[] = [];
    const problems: FieldProblem[] = [];
    for (const section of registry.list()) {
      const items = sections[section.key];
      if (!items) continue;
      const context = { ...base, secrets: secrets[section.key] ?? {} };
      const plan = await section.plan(db, items, context);
      plans.push({ key: section.key, ...plan });
      for (const p of plan.problems)
        problems.push({
          path: `sections.${section.key}.${p.path}`,
          // The message key doubles as the code, so a client can tell e.g. a missing secret apart.
          code: p.message,
          message: p.message,
          ...(p.params ? { params: p.params } : {}),
        });
    }
    return { plans, problems };
  };

  /** The sections' checks that reach beyond the database, before any transaction opens. */
  const verifyAll = async (
    sections: Record<string, unknown[]>,
    base: Omit<ImportContext, 'secrets'>,
    secrets: Secrets,
  ) => {
    const problems: FieldProblem[] = [];
    for (const section of registry.list()) {
      const items = sections[section.key];
      if (!items || !section.verify) continue;
      for (const p of await section.verify(items, { ...base, secrets: secrets[section.key] ?? {} }))
        problems.push({
          path: `sections.${section.key}.${p.path}`,
          // The message key doubles as the code, so a client can tell e.g. a missing secret apart.
          code: p.message,
          message: p.message,
          ...(p.params ? { params: p.params } : {}),
        });
    }
    return problems;
  };
  const refuse = (problems: FieldProblem[]) =>
    new AppError(
      400,
      'validation.failed',
      {},
      problems.map(({ params, ...p }) => ({ ...p, ...params })),
    );
  const present = (plans: (SectionPlan & { key: string })[]): ConfigSectionPlan[] =>
    plans.map(({ key, created, updated, unchanged, needsSecrets }) => ({
      key,
      created,
      updated,
      unchanged,
      needsSecrets,
    }));

  return {
    registry,
    async startup() {
      await platform.db.execute(sql`
        insert into settings (key, value, updated_at)
        values (${INSTALLATION_KEY}, ${JSON.stringify({ id: newId() })}::jsonb, ${platform.clock.now().toISOString()})
        on conflict (key) do nothing`);
    },
    http: {
      name: 'config',
      routes: (app) => {
        const tags = ['config'];
        app.get(
          '/config/sections',
          {
            config: needs('settings', 'update'),
            schema: { tags, response: { 200: z.array(ConfigSectionInfo) } },
          },
          async () => registry.list().map(({ key, titleZh, titleEn }) => ({ key, titleZh, titleEn })),
        );
        app.get(
          '/config/export',
          {
            config: needs('settings', 'update'),
            schema: { tags, querystring: ConfigExportQuery, response: { 200: ConfigDocument } },
          },
          async (request) => {
            const wanted = request.query.sections?.split(',').filter(Boolean);
            const unknown = wanted?.filter((k) => !registry.get(k)) ?? [];
            if (unknown.length > 0)
              throw new AppError(
                400,
                'validation.failed',
                {},
                unknown.map((k) => ({
                  path: 'querystring.sections',
                  code: 'config.unknown_section',
                  message: 'config.unknown_section',
                  key: k,
                })),
              );
            const sections: Record<string, unknown[]> = {};
            // One snapshot: every section read in the same transaction.
            await platform.transaction(async (tx) => {
              for (const section of registry.list())
                if (!wanted || wanted.includes(section.key)) sections[section.key] = await section.export(tx);
            });
            return {
              format: CONFIG_FORMAT,
              formatVersion: CONFIG_FORMAT_VERSION,
              sourceInstallation: await installation(platform.db),
              exportedAt: platform.clock.now().toISOString(),
              sections,
            } as never;
          },
        );
        app.get(
          '/config/imports',
          {
            config: needs('settings', 'update'),
            schema: { tags, response: { 200: z.array(ConfigImportRecord) } },
          },
          async () =>
            rows(
              platform.db,
              sql`select i.id, i.source_installation as "sourceInstallation",
                    to_char(i.exported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "exportedAt",
                    i.format_version as "formatVersion", i.sections, i.summary, i.document_sha256 as "documentSha256",
                    u.username as "importedBy",
                    to_char(i.imported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "importedAt"
                  from config_imports i left join users u on u.id = i.imported_by
                  order by i.imported_at desc, i.id desc limit 100`,
            ) as never,
        );
        app.post(
          '/config/import',
          {
            config: needs('settings', 'update'),
            bodyLimit: 20 * 1024 * 1024,
            schema: { tags, body: ConfigImportRequest, response: { 200: ConfigImportResult } },
          },
          async (request) => {
            const { document: raw, dryRun, secrets } = request.body;
            const parsed = parse(raw, request.locale ?? 'zh-CN');
            if (!parsed.document || parsed.problems.length > 0) throw refuse(parsed.problems);
            const { document, sections } = parsed;
            const actor = access.actor(request);
            const base = { document: sections, now: platform.clock.now(), actorId: actor.userId ?? null };
            const verified = await verifyAll(sections, base, secrets);
            if (verified.length > 0) throw refuse(verified);
            const result = (plans: (SectionPlan & { key: string })[], applied: boolean) => ({
              applied,
              sourceInstallation: document.sourceInstallation,
              exportedAt: document.exportedAt,
              sections: present(plans),
            });
            if (dryRun) {
              const { plans, problems } = await planAll(platform.db, sections, base, secrets);
              if (problems.length > 0) throw refuse(problems);
              return result(plans, false);
            }
            // All or nothing: plan again inside the transaction (the database may have moved since
            // the dry run), refuse on any problem, then every section writes in the same transaction.
            const plans = await platform.transaction(async (tx) => {
              const { plans, problems } = await planAll(tx, sections, base, secrets);
              if (problems.length > 0) throw refuse(problems);
              for (const section of registry.list()) {
                const items = sections[section.key];
                if (items) await section.import(tx, items, { ...base, secrets: secrets[section.key] ?? {} });
              }
              const summary = Object.fromEntries(
                plans.map((p) => [p.key, { created: p.created.length, updated: p.updated.length }]),
              );
              const id = newId();
              await tx.execute(sql`
                insert into config_imports (id, source_installation, exported_at, format_version, sections, summary,
                  document_sha256, imported_by, imported_at)
                values (${id}, ${document.sourceInstallation}, ${document.exportedAt}, ${document.formatVersion},
                  array(select jsonb_array_elements_text(${JSON.stringify(Object.keys(sections))}::jsonb)),
                  ${JSON.stringify(summary)}::jsonb,
                  ${createHash('sha256').update(JSON.stringify(raw)).digest('hex')},
                  ${actor.userId ?? null}, ${base.now.toISOString()})`);
              await platform.events.append(tx, {
                type: 'config.imported',
                entityType: 'config',
                entityId: id,
                actor: eventActor(actor),
                data: { sourceInstallation: document.sourceInstallation, summary },
              });
              return plans;
            });
            return result(plans, true);
          },
        );
      },
    },
  };
}
