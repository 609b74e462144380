import type { TimelineEntry } from '@serviceloop/contracts';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';

/**
 * One timeline entry in words: its name (never the event key — an event this page doesn't know
 * yet reads as a generic record), who and when, and what it carried (note, reason, the fields it
 * changed).
 */
export function TimelineEntryText({ entry: e }: { entry: TimelineEntry }) {
  const { t } = useTranslation();
  const key = `tickets.events.${e.type.replace('ticket.', '')}`;
  const changes = Object.entries(e.changes ?? {}) as [string, { from: unknown; to: unknown }][];
  return (
    <>
      <Typography.Text strong>{t(key, { defaultValue: t('tickets.events.other') })}</Typography.Text>
      <div>
        <Typography.Text type="secondary">
          {new Date(e.occurredAt).toLocaleString()} · {e.actorName ?? t('tickets.events.system')}
        </Typography.Text>
      </div>
      {typeof e.data.note === 'string' && <div>{e.data.note}</div>}
      {typeof e.data.body === 'string' && <div>{e.data.body}</div>}
      {typeof e.data.reason === 'string' && <div>{e.data.reason}</div>}
      {typeof e.data.overrideReason === 'string' && <div>{e.data.overrideReason}</div>}
      {e.type === 'ticket.updated' &&
        changes.map(([field, change]) => (
          <div key={field}>
            {field === 'priority' ? t('tickets.priority') : field.replace(/^fields\./, '')}:{' '}
            {String(change.from ?? '—')} → {String(change.to ?? '—')}
          </div>
        ))}
      {e.type.startsWith('sla.') && typeof e.data.kind === 'string' && (
        <div>{labelOf(t, 'sla.kinds', e.data.kind)}</div>
      )}
    </>
  );
}
