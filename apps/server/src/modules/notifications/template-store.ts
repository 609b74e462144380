import { NOTIFIABLE_EVENTS } from '@serviceloop/contracts';
import { newId } from '../../platform/ids';
import type { Tx } from '../../platform/index';
import { notificationTemplates } from './tables';
import { DEFAULT_TEMPLATES } from './templates';

/** Adds the shipped template of any event and language that has none; an admin's edits stay. */
export async function ensureDefaultTemplates(tx: Tx, now: Date): Promise<void> {
  const values = NOTIFIABLE_EVENTS.flatMap((eventType) =>
    (['zh-CN', 'en-US'] as const).map((locale) => ({
      id: newId(now.getTime()),
      eventType,
      locale,
      ...DEFAULT_TEMPLATES[eventType][locale],
      createdAt: now,
      updatedAt: now,
      version: 1,
    })),
  );
  await tx.insert(notificationTemplates).values(values).onConflictDoNothing();
}
