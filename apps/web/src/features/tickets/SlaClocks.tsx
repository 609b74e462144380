import type { SlaClock, TicketSla } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Progress, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../lib/api';
import { workingTime } from '../sla/duration';

const STATE_COLOR: Record<SlaClock['state'], string> = {
  running: 'processing',
  paused: 'warning',
  met: 'success',
  stopped: 'default',
};

/**
 * The ticket's SLA clocks as the server reckons them, in working time of their calendar: what is
 * left, whether paused, warned or breached.
 */
export function SlaClocks({ ticketId, version, triaged }: { ticketId: string; version: number; triaged: boolean }) {
  const { t } = useTranslation();
  const { data } = useQuery({
    queryKey: ['ticket', ticketId, 'sla', version],
    queryFn: () => get<TicketSla>(`/tickets/${ticketId}/sla`),
    // Clocks follow ticket events a moment after each command: poll, quickly while a triaged
    // ticket's clocks are still being started.
    refetchInterval: (q) => (triaged && !q.state.data?.clocks.length ? 2_000 : 15_000),
  });
  const clocks = data?.clocks ?? [];
  return (
    <Card size="small" title={t('sla.clocks')} data-testid="sla-clocks">
      {clocks.length === 0 && <Typography.Text type="secondary">{t('sla.notStarted')}</Typography.Text>}
      <Space direction="vertical" style={{ width: '100%' }}>
        {clocks.map((c) => (
          <div key={c.id} data-testid={`sla-clock-${c.kind}`} data-state={c.state} data-breached={c.breached}>
            <Space wrap>
              <Typography.Text strong>{t(`sla.kinds.${c.kind}`)}</Typography.Text>
              <Tag color={STATE_COLOR[c.state]}>{t(`sla.states.${c.state}`)}</Tag>
              {c.breached && <Tag color="error">{t('sla.breached')}</Tag>}
              {!c.breached && c.warnedAt && <Tag color="orange">{t('sla.warned')}</Tag>}
              {c.remainingMinutes >= 0 ? (
                <span>{t('sla.remaining', { time: workingTime(c.remainingMinutes, t) })}</span>
              ) : (
                <Typography.Text type="danger">
                  {t('sla.overdue', { time: workingTime(c.remainingMinutes, t) })}
                </Typography.Text>
              )}
            </Space>
            <Progress
              size="small"
              percent={Math.min(100, Math.round((c.elapsedMinutes / c.targetMinutes) * 100))}
              status={c.breached ? 'exception' : c.state === 'met' ? 'success' : 'normal'}
              format={() => `${workingTime(c.elapsedMinutes, t)} / ${workingTime(c.targetMinutes, t)}`}
            />
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('sla.dueAt')}>
                {new Date(c.dueAt).toLocaleString()}
                {c.provisional && (
                  <Tooltip title={t('sla.provisionalHelp')}>
                    <Tag color="gold" style={{ marginInlineStart: 8 }} data-testid="sla-provisional">
                      {t('sla.provisional')}
                    </Tag>
                  </Tooltip>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('sla.policy')}>
                {c.policyName} · {c.calendarName}
              </Descriptions.Item>
              {c.pausedMinutes > 0 && (
                <Descriptions.Item label={t('sla.states.paused')}>
                  {t('sla.pausedFor', { time: workingTime(c.pausedMinutes, t) })}
                </Descriptions.Item>
              )}
            </Descriptions>
          </div>
        ))}
      </Space>
    </Card>
  );
}
