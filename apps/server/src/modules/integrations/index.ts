/**
 * integrations — bringing history in: xlsx/csv import of tickets, customers, devices and parts
 * (upload, header detection, column mapping with saved mappings, free-text problem types
 * normalised to the fault taxonomy, a per-row validation report, all-or-nothing import with an
 * error file), and the data dictionary generated from the contracts. Imported tickets are closed
 * history with their own timestamps; the import's one `import.committed` event brings their
 * analytics facts after it commits, so every KPI counts them like native tickets.
 */
import type { FieldDefinition } from '@serviceloop/contracts';
import type { Executor } from '../../platform/db/client';
import { createFileStorage } from '../../platform/files/index';
import type { HttpApp, HttpModule } from '../../platform/http/app';
import type { Platform } from '../../platform/index';
import type { Access } from '../identity/index';
import { DataDictionaryService } from './dictionary';
import { ensureImportMessages } from './messages';
import { importRoutes } from './routes';
import { ImportService } from './service';

export { ImportService } from './service';

export interface IntegrationsModule {
  http: HttpModule;
  imports: ImportService;
}

export function createIntegrationsModule(
  platform: Platform,
  access: Access,
  options: { onImported: () => void; customFields: (db: Executor) => Promise<FieldDefinition[]> },
): IntegrationsModule {
  ensureImportMessages();
  const imports = new ImportService(
    platform,
    createFileStorage(platform.config),
    platform.config.importMaxBytes,
    options.onImported,
    options.customFields,
  );
  return {
    imports,
    http: {
      name: 'integrations',
      routes: (app: HttpApp) =>
        importRoutes(access, imports, new DataDictionaryService(platform, options.customFields))(app),
    },
  };
}
