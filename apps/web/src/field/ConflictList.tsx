import type { FieldJobDetail } from '@serviceloop/contracts';
import { Alert, App, Button, List, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, get } from '../lib/api';
import { outbox } from './outbox';
import { useOutbox } from './useOutbox';

/**
 * Operations the server could not apply — the ticket moved while the phone was offline, or the
 * step was no longer possible — with what happened. Nothing is dropped without the engineer saying so.
 */
export function ConflictList() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { ops, photos } = useOutbox();
  const conflicts = ops.filter((o) => o.state === 'conflict');
  const failed = photos.filter((p) => p.state === 'failed');
  if (conflicts.length === 0 && failed.length === 0) return null;

  const retry = async (opId: string, visitId: string) => {
    try {
      const detail = await get<FieldJobDetail>(`/field/jobs/${visitId}`);
      await outbox.retry(opId, detail.job.ticket.version);
    } catch (error) {
      message.error(errorText(error));
    }
  };

  return (
    <Alert
      type="error"
      style={{ marginBottom: 12 }}
      data-testid="field-conflicts"
      message={t('field.conflicts.title', { count: conflicts.length + failed.length })}
      description={
        <List
          size="small"
          dataSource={conflicts}
          renderItem={(op) => (
            <List.Item data-testid="field-conflict">
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Typography.Text strong>
                  {op.ticketNumber} · {t(`field.ops.${op.command.action}`)}
                </Typography.Text>
                <Typography.Text>{op.result?.message}</Typography.Text>
                {(op.result?.happened ?? []).map((h) => (
                  <Typography.Text type="secondary" key={`${h.type}${h.occurredAt}`} style={{ fontSize: 12 }}>
                    {dayjs(h.occurredAt).format('MM-DD HH:mm')} {h.actorName ?? ''}{' '}
                    {t(`tickets.events.${h.type.replace(/^ticket\./, '')}`, { defaultValue: h.type })}
                  </Typography.Text>
                ))}
                <Space>
                  <Button size="small" onClick={() => void outbox.discard(op.opId)} data-testid="conflict-discard">
                    {t('field.conflicts.discard')}
                  </Button>
                  <Button size="small" type="primary" ghost onClick={() => void retry(op.opId, op.visitId)}>
                    {t('field.conflicts.retry')}
                  </Button>
                </Space>
              </Space>
            </List.Item>
          )}
          footer={
            failed.length > 0 &&
            failed.map((p) => (
              <Space key={p.id}>
                <Typography.Text>
                  {p.name}: {p.error}
                </Typography.Text>
                <Button size="small" onClick={() => void outbox.discardPhoto(p.id)}>
                  {t('field.conflicts.discard')}
                </Button>
              </Space>
            ))
          }
        />
      }
    />
  );
}
