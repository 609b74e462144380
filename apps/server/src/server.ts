import { createModules, type Modules } from './modules/index';
import type { Clock } from './platform/clock';
import type { Config } from './platform/config';
import { type Database, openDatabase } from './platform/db/client';
import { type MigrationProgress, migrate } from './platform/db/migrate';
import { buildHttpApp, type HttpApp } from './platform/http/app';
import { createPlatform, type Platform } from './platform/index';

export interface Server {
  platform: Platform;
  modules: Modules;
  app: HttpApp;
  /** Starts the event dispatcher and job runner (tests usually drive them by hand). */
  startWorkers(): void;
  /** Stops everything; `keepDatabase` leaves the database open for another composition sharing it. */
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'pglite', dataDir: `${config.dataDir}/pglite` });
}

/** Composition root shared by `main.ts` and the tests: database → platform → modules → http. */
export async function createServer(input: {
  config: Config;
  database?: Database;
  clock?: Clock;
  onMigrated?: MigrationProgress;
}): Promise<Server> {
  const database = input.database ?? (await openConfiguredDatabase(input.config));
  await migrate(database, undefined, input.onMigrated);
  const platform = createPlatform({ config: input.config, database, clock: input.clock });
  const modules = await createModules(platform);
  await modules.startup();
  await platform.housekeeping.schedule();
  // Live views on this replica hear the others from the first request on.
  await platform.bus.ready();
  const app = await buildHttpApp(platform, modules.http);
  await app.ready();
  return {
    platform,
    modules,
    app,
    startWorkers() {
      platform.dispatcher.start();
      platform.jobs.start();
      modules.startWorkers();
    },
    async close(options = {}) {
      await platform.dispatcher.stop();
      await platform.jobs.stop();
      await modules.stopWorkers();
      await app.close();
      await platform.bus.close();
      if (!options.keepDatabase) await database.close();
    },
  };
}
