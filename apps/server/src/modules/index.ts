import type { HttpModule } from '../platform/http/app';
import type { Platform } from '../platform/index';
import { createMailer } from '../platform/mail';
import { seedMasterData } from '../seed/master-data';
import { type AnalyticsModule, createAnalyticsModule } from './analytics/index';
import { createAssetsModule } from './assets/index';
import { automationRulesSection } from './automation/config';
import { type AutomationModule, createAutomationModule } from './automation/index';
import { type ConfigModule, createConfigModule } from './config/index';
import { createCustomersModule } from './customers/index';
import { createFieldModule, type FieldModule } from './field/index';
import { formFieldsSection } from './forms/config';
import { createFormsModule } from './forms/index';
import { teamsSection } from './identity/config';
import { createIdentityModule, type IdentityModule } from './identity/index';
import { createIntegrationsModule, type IntegrationsModule } from './integrations/index';
import { notificationSections } from './notifications/config';
import { createNotificationsModule, type NotificationsModule } from './notifications/index';
import { createPartsModule, type PartsModule } from './parts/index';
import { createPortalModule, type PortalModule } from './portal/index';
import { createSearchModule } from './search/index';
import { slaCalendarsSection, slaPoliciesSection } from './sla/config';
import { createSlaModule, type SlaModule } from './sla/index';
import { summariesModule } from './summaries';
import { createSurveysModule, type SurveysModule } from './surveys/index';
import { faultCategoriesSection, faultSynonymsSection } from './tickets/config';
import { createTicketsModule, type TicketsModule } from './tickets/index';
import { workflowsSection } from './workflows/config';
import { createWorkflowsModule } from './workflows/index';

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
  automation: AutomationModule;
  /** Configuration export/import; modules' sections are registered on `config.registry` below. */
  config: ConfigModule;
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
  const workflows = createWorkflowsModule(platform, identity.access, forms);
  const tickets = createTicketsModule(platform, identity.access, customers, forms, workflows.store);
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
  const field = createFieldModule(platform, identity.access, tickets.service, parts);
  const integrations = createIntegrationsModule(platform, identity.access, {
    onImported: () => analytics.feed.notify(),
    customFields: (db) => forms.definitions(db),
  });
  const notifications = createNotificationsModule(platform, identity.access);
  const automation = createAutomationModule(platform, identity.access, { tickets: tickets.service, notifications });
  const config = createConfigModule(platform, identity.access);
  const search = createSearchModule(platform, identity.access, tickets.service);
  // Import order: a section comes after the sections its items refer to.
  for (const section of [
    teamsSection,
    formFieldsSection,
    workflowsSection(platform, forms),
    faultCategoriesSection,
    faultSynonymsSection,
    slaCalendarsSection,
    slaPoliciesSection,
    ...notificationSections(notifications.guard),
    // Rules name teams, categories, endpoints and custom fields: after all of those.
    automationRulesSection(platform),
  ])
    config.registry.register(section as never);
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
    automation,
    config,
    http: [
      identity.http,
      customers.http,
      assets.http,
      forms.http,
      workflows.http,
      tickets.http,
      analytics.http,
      parts.http,
      sla.http,
      surveys.http,
      portal.http,
      field.http,
      integrations.http,
      notifications.http,
      automation.http,
      config.http,
      search.http,
      summariesModule,
    ],
    startup: async () => {
      await tickets.startup();
      await sla.startup();
      await analytics.startup();
      await notifications.startup();
      await automation.startup();
      await config.startup();
    },
    startWorkers: () => notifications.start(),
    stopWorkers: () => notifications.stop(),
    seedMasterData: (p) => seedMasterData(p, customers, assets),
  };
}
