import type { ApplyResult, DayPlan, DispatchBoard, PlanTotals } from '@serviceloop/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Descriptions, Modal, Space, Spin, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../../lib/api';
import { clockOf } from './time';

/** Previews the optimiser's plan for a day beside the baseline; on confirmation dispatches each job, reporting each. */
export function OptimiseModal(props: { open: boolean; date: string; board: DispatchBoard; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [plan, setPlan] = useState<DayPlan | null>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [busy, setBusy] = useState(false);
  const names = new Map(props.board.engineers.map((e) => [e.engineerId, e.displayName]));

  useEffect(() => {
    if (!props.open) return;
    setPlan(null);
    setResult(null);
    post<DayPlan>('/dispatch/optimise', { date: props.date }).then(setPlan, (e) => message.error(errorText(e)));
  }, [props.open, props.date, message]);

  const apply = async () => {
    if (!plan) return;
    setBusy(true);
    try {
      const applied = await post<ApplyResult>('/dispatch/apply', {
        assignments: plan.assignments.map(({ ticketId, version, engineerId, plannedStart, plannedEnd }) => ({
          ticketId,
          version,
          engineerId,
          plannedStart,
          plannedEnd,
        })),
      });
      setResult(applied);
      void client.invalidateQueries({ queryKey: ['/dispatch/board'] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const totals = (label: string, x: PlanTotals) => (
    <Descriptions size="small" column={5} title={label} bordered>
      <Descriptions.Item label={t('dispatch.plan.assigned')}>{x.assigned}</Descriptions.Item>
      <Descriptions.Item label={t('dispatch.plan.unassigned')}>{x.unassigned}</Descriptions.Item>
      <Descriptions.Item label={t('dispatch.plan.travel')}>{Math.round(x.travelMinutes)}</Descriptions.Item>
      <Descriptions.Item label={t('dispatch.plan.misses')}>{x.slaMisses}</Descriptions.Item>
      <Descriptions.Item label={t('dispatch.plan.late')}>{Math.round(x.lateMinutes)}</Descriptions.Item>
    </Descriptions>
  );
  const outcome = new Map(result?.results.map((r) => [r.ticketId, r]));

  return (
    <Modal
      open={props.open}
      onCancel={props.onClose}
      title={t('dispatch.plan.title')}
      width={900}
      okText={t('dispatch.apply')}
      onOk={result ? props.onClose : apply}
      okButtonProps={
        { disabled: !plan || plan.assignments.length === 0, loading: busy, 'data-testid': 'apply-plan' } as never
      }
      destroyOnHidden
    >
      {!plan ? (
        <Spin />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="plan-preview">
          {totals(t('dispatch.plan.optimiser'), plan.totals)}
          {totals(t('dispatch.plan.baseline'), plan.baseline)}
          {result && (
            <Alert
              type={result.failed ? 'warning' : 'success'}
              message={t('dispatch.plan.summary', { applied: result.applied, failed: result.failed })}
            />
          )}
          <Table
            size="small"
            rowKey="ticketId"
            pagination={false}
            dataSource={plan.assignments}
            locale={{ emptyText: t('dispatch.plan.empty') }}
            columns={[
              { title: t('dispatch.plan.ticket'), dataIndex: 'ticketNumber' },
              {
                title: t('dispatch.plan.engineer'),
                dataIndex: 'engineerId',
                render: (id: string) => names.get(id) ?? id,
              },
              {
                title: t('dispatch.plan.window'),
                render: (_, a) => `${clockOf(a.plannedStart)}–${clockOf(a.plannedEnd)}`,
              },
              { title: t('dispatch.plan.travel'), dataIndex: 'travelMinutes', align: 'right' },
              { title: t('dispatch.plan.late'), dataIndex: 'lateMinutes', align: 'right' },
              ...(result
                ? [
                    {
                      title: t('dispatch.plan.result'),
                      key: 'result',
                      render: (_: unknown, a: { ticketId: string }) => {
                        const r = outcome.get(a.ticketId);
                        return r?.ok ? (
                          <Tag color="green">{t('dispatch.plan.ok')}</Tag>
                        ) : (
                          <Tag color="red">{`${t('dispatch.plan.failed')}: ${r?.error?.message ?? ''}`}</Tag>
                        );
                      },
                    },
                  ]
                : []),
            ]}
          />
          {plan.unassigned.length > 0 && (
            <Table
              size="small"
              rowKey="ticketId"
              pagination={false}
              dataSource={plan.unassigned}
              title={() => t('dispatch.plan.unassigned')}
              columns={[
                { title: t('dispatch.plan.ticket'), dataIndex: 'ticketNumber' },
                {
                  title: t('dispatch.plan.reason'),
                  dataIndex: 'reason',
                  render: (r: string) => t(`dispatch.unplaced.${r.replace(/^field\./, '')}`, { defaultValue: r }),
                },
              ]}
            />
          )}
        </Space>
      )}
    </Modal>
  );
}
