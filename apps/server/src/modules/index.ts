import type { HttpModule } from '../platform/http/app';
import type { Platform } from '../platform/index';
import { createMailer } from '../platform/mail';
import { seedMasterData } from '../seed/master-data';
import { type AnalyticsModule, createAnalyticsModule } from './analytics/index';
import { createAssetsModule } from './assets/index';
import { createCustomersModule } from './customers/index';
import { createFieldModule, type FieldModule } from './field/index';
import { createFormsModule } from './forms/index';
import { createIdentityModule, type IdentityModule } from './identity/index';
import { createIntegrationsModule, type IntegrationsModule } from './integrations/index';
import { createNotificationsModule, type NotificationsModule } from './notifications/index';
import { createPartsModule, type PartsModule } from './parts/index';
import { createPortalModule, type PortalModule } from './portal/index';
import { createSlaModule, type SlaModule } from './sla/index';
import { createSurveysModule, type SurveysModule } from './surveys/index';
import { createTicketsModule, type TicketsModule } from './tickets/index';

export interface Modules {
  identity: IdentityModule;
  tickets: TicketsModule;
  analytics: AnalyticsModule;
  parts: PartsModule;
  sla: SlaModule;
  surveys: SurveysModule;
  portal: PortalModule;
  field: FieldModule;
  integrations: IntegrationsModule;
  notifications: NotificationsModule;
  /** Work every start does after migrating (idempotent): default data every installation needs. */
  startup(): Promise<void>;
  /** Background work of modules beside the dispatcher and job runner (notification sending). */
  startWorkers(): void;
  stopWorkers(): Promise<void>;
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
  const forms = createFormsModule(platform, identity.access);
  const tickets = createTicketsModule(platform, identity.access, customers, forms);
  const analytics = createAnalyticsModule(platform, identity.access);
  const parts = createPartsModule(platform, identity.access);
  const sla = createSlaModule(platform, identity.access, tickets.service);
  const mailer = createMailer(platform.config);
  const surveys = createSurveysModule(platform, identity.access, mailer);
  const portal = createPortalModule(platform, identity.access, {
    identity: identity.service,
    customers,
    tickets: tickets.service,
    mailer,
  });
  const field = createFieldModule(platform, identity.access, tickets.service);
  const integrations = createIntegrationsModule(platform, identity.access, {
    onImported: () => analytics.feed.notify(),
    customFields: (db) => forms.definitions(db),
  });
  const notifications = createNotificationsModule(platform, identity.access);
  return {
    identity,
    tickets,
    analytics,
    parts,
    sla,
    surveys,
    portal,
    field,
    integrations,
    notifications,
    http: [
      identity.http,
      customers.http,
      assets.http,
      forms.http,
      tickets.http,
      analytics.http,
      parts.http,
      sla.http,
      surveys.http,
      portal.http,
      field.http,
      integrations.http,
      notifications.http,
    ],
    startup: async () => {
      await tickets.startup();
      await sla.startup();
      await analytics.startup();
      await notifications.startup();
    },
    startWorkers: () => notifications.start(),
    stopWorkers: () => notifications.stop(),
    seedMasterData: (p) => seedMasterData(p, customers, assets),
  };
}
