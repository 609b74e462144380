import type { Platform } from '../../platform/index';
import type { FormsModule } from '../forms/index';
import type { WorkflowStore } from '../workflows/index';
import { TicketCommands } from './commands';
import { TicketQueries } from './queries';
import { TicketIntake } from './reports';

export type { StepInput } from './commands';
export type { TicketRow } from './presenter';
export { caller } from './presenter';
export { COUNT_CAP, ticketScope } from './queries';

/**
 * The tickets module's service, composed of its parts: intake (reports.ts — a report becomes a
 * ticket), queries (queries.ts), the presenter (presenter.ts) and the commands (commands.ts — the
 * one path through `decide()` that changes a ticket). Other modules and the routes hold this.
 */
export class TicketService {
  readonly intake: TicketIntake;
  readonly queries: TicketQueries;
  readonly commands: TicketCommands;

  constructor(
    platform: Platform,
    workflows: Pick<WorkflowStore, 'used'>,
    forms: Pick<FormsModule, 'checkTicketFields' | 'checkChangedFields' | 'claimAttachments'>,
  ) {
    this.intake = new TicketIntake(platform);
    this.queries = new TicketQueries(platform, workflows);
    this.commands = new TicketCommands(platform, workflows, forms, this.queries);
  }

  // ---- intake
  readonly prepare: TicketIntake['prepare'] = (...a) => this.intake.prepare(...a);
  readonly create: TicketIntake['create'] = (...a) => this.intake.create(...a);

  // ---- reads
  readonly get: TicketQueries['get'] = (...a) => this.queries.get(...a);
  readonly list: TicketQueries['list'] = (...a) => this.queries.list(...a);
  readonly exportRows: TicketQueries['exportRows'] = (...a) => this.queries.exportRows(...a);
  readonly timeline: TicketQueries['timeline'] = (...a) => this.queries.timeline(...a);
  readonly links: TicketQueries['links'] = (...a) => this.queries.links(...a);
  readonly workflow: TicketQueries['workflow'] = (...a) => this.queries.workflow(...a);

  // ---- changes
  readonly step: TicketCommands['step'] = (...a) => this.commands.step(...a);
  readonly stepIn: TicketCommands['stepIn'] = (...a) => this.commands.stepIn(...a);
  readonly update: TicketCommands['update'] = (...a) => this.commands.update(...a);
  readonly reprioritise: TicketCommands['reprioritise'] = (...a) => this.commands.reprioritise(...a);
  readonly link: TicketCommands['link'] = (...a) => this.commands.link(...a);
  readonly linkIn: TicketCommands['linkIn'] = (...a) => this.commands.linkIn(...a);
  readonly setDueTimes: TicketCommands['setDueTimes'] = (...a) => this.commands.setDueTimes(...a);
  readonly addGuard: TicketCommands['addGuard'] = (...a) => this.commands.addGuard(...a);
}
