import type { HttpModule } from '../platform/http/app';
import type { Platform } from '../platform/index';
import { seedMasterData } from '../seed/master-data';
import { createAssetsModule } from './assets/index';
import { createCustomersModule } from './customers/index';
import { createIdentityModule, type IdentityModule } from './identity/index';
import { createSlaModule, type SlaModule } from './sla/index';
import { createTicketsModule, type TicketsModule } from './tickets/index';

export interface Modules {
  identity: IdentityModule;
  tickets: TicketsModule;
  sla: SlaModule;
  /** Work every start does after migrating (idempotent): default data every installation needs. */
  startup(): Promise<void>;
  /** In hook order: identity first, since it resolves who is calling. */
  http: HttpModule[];
  /** Demo master data for a fresh installation; returns the customer the demo contact belongs to. */
  seedMasterData?: (platform: Platform) => Promise<{ demoCustomerId: string }>;
}

/** The business capabilities of this build, wired together. */
export async function createModules(platform: Platform): Promise<Modules> {
  const identity = createIdentityModule(platform);
  const customers = createCustomersModule(platform, identity.access);
  const assets = createAssetsModule(platform, identity.access, customers);
  const tickets = createTicketsModule(platform, identity.access, customers);
  const sla = createSlaModule(platform, identity.access, tickets.service);
  return {
    identity,
    tickets,
    sla,
    http: [identity.http, customers.http, assets.http, tickets.http, sla.http],
    startup: async () => {
      await tickets.startup();
      await sla.startup();
    },
    seedMasterData: (p) => seedMasterData(p, customers, assets),
  };
}
