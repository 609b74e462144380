import { CheckCircleTwoTone, CloseCircleTwoTone } from '@ant-design/icons';
import type { ResolveCommand } from '@serviceloop/contracts';
import { Card, Descriptions, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { ShownJob } from './projection';

/** What the engineer's resolve command carried, as the server stored it or as the outbox still holds it. */
type SentResolution = Omit<z.infer<typeof ResolveCommand>, 'action' | 'version'>;

const CHECKS = ['functionalTest', 'stressTest', 'relatedPartsCheck'] as const;

/**
 * The work record as it was submitted, shown on the job once the form is gone: the engineer sees
 * what they sent (and that it still waits for the network) instead of a page that forgot it.
 */
export function SubmittedRecord({ job }: { job: ShownJob }) {
  const { t } = useTranslation();
  const r = job.ticket.resolution as SentResolution | null;
  if (!r || job.ticket.state === 'on_site') return null;
  return (
    <Card
      size="small"
      title={t('field.sections.resolution')}
      extra={job.pendingOps > 0 && <Tag color="warning">{t('field.job.pendingSync')}</Tag>}
      data-testid="field-submitted-record"
    >
      <Descriptions size="small" column={1}>
        {r.diagnosis && <Descriptions.Item label={t('field.resolution.diagnosis')}>{r.diagnosis}</Descriptions.Item>}
        <Descriptions.Item label={t('field.resolution.rootCause')}>{r.rootCause}</Descriptions.Item>
        <Descriptions.Item label={t('field.resolution.actionsTaken')}>{r.actionsTaken}</Descriptions.Item>
        <Descriptions.Item label={t('field.resolution.labourMinutes')}>{r.labourMinutes}</Descriptions.Item>
        {(r.partsUsed?.length ?? 0) > 0 && (
          <Descriptions.Item label={t('field.resolution.partsUsed')}>
            {r.partsUsed!.map((p) => `${p.name}（${p.sku}）× ${p.quantity}`).join('、')}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('field.resolution.checklist')}>
          <Space wrap size={8}>
            {CHECKS.map((c) => (
              <span key={c}>
                {r.checklist?.[c] ? (
                  <CheckCircleTwoTone twoToneColor="#52c41a" />
                ) : (
                  <CloseCircleTwoTone twoToneColor="#ff4d4f" />
                )}{' '}
                {t(`field.resolution.checks.${c}`)}
              </span>
            ))}
          </Space>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
