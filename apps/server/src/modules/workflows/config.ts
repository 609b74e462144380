import { TicketType, WorkflowDefinition, workflowProblems } from '@serviceloop/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../platform/db/client';
import { SYSTEM_ACTOR } from '../../platform/events/event-log';
import { newId } from '../../platform/ids';
import type { Platform } from '../../platform/index';
import { keyedSection } from '../config/index';
import type { FormsModule } from '../forms/index';

const WorkflowItem = z.object({ ticketType: TicketType, definition: WorkflowDefinition });
type WorkflowItem = z.infer<typeof WorkflowItem>;

/**
 * Each ticket type's active workflow, named by the type. Importing a changed one adds a new version
 * and activates it — checked like an activation in the designer, against the custom fields this
 * installation has or the same document brings — so running tickets keep the version they started
 * with, exactly as when an administrator activates a draft. Drafts stay where they are.
 */
export function workflowsSection(platform: Platform, forms: Pick<FormsModule, 'fieldKeys'>) {
  return keyedSection<WorkflowItem>({
    key: 'workflows.active',
    titleZh: '工单类型流程',
    titleEn: 'Ticket type workflows',
    item: WorkflowItem,
    keyOf: (w) => w.ticketType,
    load: (db) =>
      rows<WorkflowItem>(
        db,
        sql`select ticket_type as "ticketType", definition from workflow_versions where status = 'active'`,
      ),
    async check(db, items, { document }) {
      const problems = [];
      for (const [index, w] of items.entries()) {
        const brought = ((document['forms.fields'] ?? []) as { ticketType: string; key: string }[])
          .filter((f) => f.ticketType === w.ticketType)
          .map((f) => f.key);
        const fields = [...new Set([...(await forms.fieldKeys(db, w.ticketType)), ...brought])];
        for (const p of workflowProblems(w.definition, fields))
          problems.push({ path: `${index}.definition.${p.path}`, message: p.code, params: p.params });
      }
      return problems;
    },
    async save(tx, w, _before, { now, actorId }) {
      const at = now.toISOString();
      const id = newId(now.getTime());
      const [{ next } = { next: 1 }] = await rows<{ next: number }>(
        tx,
        sql`select coalesce(max(version), 0) + 1 as next from workflow_versions where ticket_type = ${w.ticketType}`,
      );
      await tx.execute(
        sql`update workflow_versions set status = 'retired' where ticket_type = ${w.ticketType} and status = 'active'`,
      );
      await tx.execute(sql`
        insert into workflow_versions (id, ticket_type, version, status, definition, created_by, created_at, activated_at)
        values (${id}, ${w.ticketType}, ${next}, 'active', ${JSON.stringify(w.definition)}::jsonb, ${actorId}, ${at}, ${at})`);
      await platform.events.append(tx, {
        type: 'workflow.activated',
        entityType: 'workflow',
        entityId: id,
        actor: actorId ? { kind: 'user', id: actorId } : SYSTEM_ACTOR,
        data: { ticketType: w.ticketType, version: next, imported: true },
      });
    },
  });
}
