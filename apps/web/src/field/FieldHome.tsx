import { EnvironmentOutlined, PhoneOutlined } from '@ant-design/icons';
import { Empty, Space, Tag, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PRIORITY_COLOR, STATE_COLOR } from '../features/tickets/labels';
import { Panel } from '../lib/Panel';
import { queryState } from '../lib/QueryState';
import { project } from './projection';
import { today, useFieldJobs } from './queries';
import { useOutbox } from './useOutbox';

/** Today's jobs of the signed-in engineer, in planned order, as lead or as a helper. */
export default function FieldHome() {
  const { t } = useTranslation();
  const date = today();
  const jobs = useFieldJobs(date);
  const { ops } = useOutbox();
  const { token } = theme.useToken();
  const shown = (jobs.data ?? []).map((j) => project(j, ops)).filter((j) => !j.declined);

  return (
    // Panel and plain rows rather than Card and List, which bring tabs, pagination and a select
    // to the engineer's first load (lib/Panel.tsx).
    <Panel title={t('field.today')} size="small" data-testid="field-jobs" bodyStyle={{ paddingBlock: 0 }}>
      {queryState(jobs) ??
        (shown.length === 0 ? (
          <Empty description={t('field.empty')} />
        ) : (
          shown.map((job, i) => (
            <div
              key={job.visitId}
              data-testid="field-job"
              data-ticket={job.ticket.number}
              style={{ padding: '12px 0', borderTop: i ? `1px solid ${token.colorSplit}` : undefined }}
            >
              <Link to={`/field/jobs/${job.visitId}`} style={{ display: 'block', color: 'inherit' }}>
                <Space direction="vertical" size={2} style={{ width: '100%' }}>
                  <Space wrap size={4}>
                    <Typography.Text strong>
                      {i + 1}. {dayjs(job.plannedStart).format('HH:mm')}–{dayjs(job.plannedEnd).format('HH:mm')}
                    </Typography.Text>
                    <Tag color={STATE_COLOR[job.ticket.state]}>{t(`tickets.states.${job.ticket.state}`)}</Tag>
                    {job.ticket.priority && (
                      <Tag color={PRIORITY_COLOR[job.ticket.priority]}>{job.ticket.priority}</Tag>
                    )}
                    {job.role === 'assistant' && <Tag>{t('field.job.assisting', { lead: job.leadName })}</Tag>}
                    {job.pendingOps > 0 && <Tag color="warning">{t('field.job.pendingSync')}</Tag>}
                  </Space>
                  <Typography.Text>
                    {job.ticket.number} · {job.ticket.title}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    <EnvironmentOutlined /> {job.ticket.customerName ?? ''} {job.ticket.address ?? ''}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    <PhoneOutlined /> {job.ticket.contactName} {job.ticket.contactPhone ?? ''}
                  </Typography.Text>
                </Space>
              </Link>
            </div>
          ))
        ))}
    </Panel>
  );
}
