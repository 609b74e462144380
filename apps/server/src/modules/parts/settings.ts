import type { PartsSettings, RequisitionApproval } from '@serviceloop/contracts';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client';
import type { EventActor } from '../../platform/events/event-log';
import { staleVersion } from '../../platform/http/errors';
import type { Platform } from '../../platform/index';
import { partsSettings } from './tables';

/** Until an administrator chooses, the warehouse keeper approves requisitions alone. */
export const DEFAULT_SETTINGS: PartsSettings = { requisitionApproval: 'keeper', version: 0 };

/** The module's per-installation settings: one versioned row; never saved reads as the default. */
export class PartsSettingsStore {
  constructor(private readonly platform: Platform) {}

  async get(db: Executor = this.platform.db): Promise<PartsSettings> {
    const [row] = await db.select().from(partsSettings).where(eq(partsSettings.id, true));
    return row
      ? { requisitionApproval: row.requisitionApproval as RequisitionApproval, version: row.version }
      : DEFAULT_SETTINGS;
  }

  /** Saves if still at `version` (0 for never saved); a stale version is a 409. */
  async put(value: { requisitionApproval: RequisitionApproval; version: number }, actor: EventActor) {
    return this.platform.transaction(async (tx) => {
      const before = await this.get(tx);
      const now = this.platform.clock.now();
      const [row] = await tx
        .insert(partsSettings)
        .values({ id: true, requisitionApproval: value.requisitionApproval, version: 1, updatedAt: now })
        .onConflictDoUpdate({
          target: partsSettings.id,
          set: {
            requisitionApproval: value.requisitionApproval,
            version: sql`${partsSettings.version} + 1`,
            updatedAt: now,
          },
          setWhere: sql`${partsSettings.version} = ${value.version}`,
        })
        .returning();
      if (!row || before.version !== value.version) throw staleVersion(before.version);
      await this.platform.events.append(tx, {
        type: 'parts.settings_updated',
        entityType: 'parts_settings',
        entityId: 'parts',
        actor,
        changes: { requisitionApproval: { from: before.requisitionApproval, to: value.requisitionApproval } },
      });
      return { requisitionApproval: value.requisitionApproval, version: row.version };
    });
  }
}
