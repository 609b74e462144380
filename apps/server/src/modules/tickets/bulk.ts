import { ACTION_FROM, type BulkTicketAction, type BulkTicketResult, type TicketCommand } from '@serviceloop/contracts';
import type { SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/http/actor';
import { errorBody } from '../../platform/http/error-handler';
import type { Locale } from '../../platform/i18n';
import type { TicketService } from './service';

/**
 * Applies one action to each ticket in turn, each in its own transaction through the normal
 * command path (scope, roles, guards, version), and reports every ticket's outcome: a refusal
 * or a stale version fails that ticket alone. In turn, not at once: a PGlite database has one
 * connection, and a hundred at once would only queue.
 */
export async function bulkTicketAction(
  service: TicketService,
  input: BulkTicketAction,
  who: { actor: Actor; scope: SQL; canUpdate: boolean; locale: Locale; log: (error: unknown) => void },
): Promise<BulkTicketResult> {
  const { actor, scope, canUpdate } = who;
  const command = input.command;
  /** One ticket's step; resolves to its new version. */
  const apply = async (id: string, version: number): Promise<number> => {
    switch (command.action) {
      case 'priority':
        return service.reprioritise(id, version, command.priority, actor, scope);
      case 'transfer':
        return (await service.step(id, version, { command }, actor, scope, canUpdate)).version;
      case 'close': {
        // A worked ticket is closed (the reason is the manager's override where it is unconfirmed);
        // one never worked to a resolution can only be cancelled, with the same reason.
        const { state } = await service.get(id, scope, actor, canUpdate);
        const close: TicketCommand = ACTION_FROM.close.includes(state)
          ? { action: 'close', version, overrideReason: command.reason }
          : { action: 'cancel', version, reason: command.reason };
        return (await service.step(id, version, { command: close }, actor, scope, canUpdate)).version;
      }
    }
  };
  const results: BulkTicketResult = [];
  for (const { id, version } of input.tickets) {
    try {
      results.push({ id, ok: true, version: await apply(id, version) });
    } catch (error) {
      const { status, body } = errorBody(error, who.locale);
      if (status >= 500) who.log(error);
      results.push({ id, ok: false, status, error: body });
    }
  }
  return results;
}
