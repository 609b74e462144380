import { z } from 'zod';

/**
 * Configuration as a JSON document that moves between installations (test → production). Each
 * module contributes sections (e.g. `forms.fields`, `sla.policies`); a section is a list of items
 * named by a natural key (a code, a name), never by a database id, so the same document applies
 * to any installation. Import only creates and updates: what the document does not mention stays.
 */
export const CONFIG_FORMAT = 'serviceloop-config';
export const CONFIG_FORMAT_VERSION = 1;

export const ConfigDocument = z.object({
  format: z.literal(CONFIG_FORMAT),
  formatVersion: z.literal(CONFIG_FORMAT_VERSION),
  /** The installation the document was exported from (its id and, when known, its public URL). */
  sourceInstallation: z.string().min(1).max(300),
  exportedAt: z.iso.datetime({ offset: true }),
  /** Section key → that section's items, shaped as the section's own schema says. */
  sections: z.record(z.string(), z.unknown()),
});
export type ConfigDocument = z.infer<typeof ConfigDocument>;

export const ConfigSectionInfo = z.object({
  key: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
});
export type ConfigSectionInfo = z.infer<typeof ConfigSectionInfo>;

export const ConfigExportQuery = z.object({
  /** Comma-separated section keys; all sections when absent. */
  sections: z.string().max(2000).optional(),
});

/** Credentials a document never carries (robot URLs, signing secrets), supplied at import. */
export const ConfigSecret = z.object({ url: z.string().max(2000).optional(), secret: z.string().max(200).optional() });

export const ConfigImportRequest = z.object({
  document: z.unknown(),
  /** Preview only: report what would change and what is wrong, write nothing. */
  dryRun: z.boolean().default(true),
  /** `section key` → `item key` → credentials for items that need them and are new here. */
  secrets: z.record(z.string(), z.record(z.string(), ConfigSecret)).default({}),
});
export type ConfigImportRequest = z.input<typeof ConfigImportRequest>;

export const ConfigSectionPlan = z.object({
  key: z.string(),
  created: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  /** Items that are new here and need credentials the document does not carry. */
  needsSecrets: z.array(z.string()).default([]),
});
export type ConfigSectionPlan = z.infer<typeof ConfigSectionPlan>;

export const ConfigImportResult = z.object({
  applied: z.boolean(),
  sourceInstallation: z.string().nullable(),
  exportedAt: z.string().nullable(),
  sections: z.array(ConfigSectionPlan),
});
export type ConfigImportResult = z.infer<typeof ConfigImportResult>;

/** One applied import: the version history of configuration that came from elsewhere. */
export const ConfigImportRecord = z.object({
  id: z.uuid(),
  sourceInstallation: z.string(),
  exportedAt: z.string(),
  formatVersion: z.number().int(),
  sections: z.array(z.string()),
  /** Section key → how many items were created and updated. */
  summary: z.record(z.string(), z.object({ created: z.number().int(), updated: z.number().int() })),
  documentSha256: z.string(),
  importedBy: z.string().nullable(),
  importedAt: z.string(),
});
export type ConfigImportRecord = z.infer<typeof ConfigImportRecord>;
