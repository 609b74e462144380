import type { AutomationRule, AutomationRun, Page } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../lib/api';
import { OutcomeTag } from './OutcomeTag';
import { TraceView } from './RuleConditions';

/** A rule's recent runs: when, on which event, whether it matched, each action's outcome. */
export function RunLog({ rule }: { rule: AutomationRule }) {
  const { t } = useTranslation();
  const runs = useQuery({
    queryKey: ['automation-runs', rule.id],
    queryFn: () => get<Page<AutomationRun>>(`/automation/rules/${rule.id}/runs?pageSize=100`),
  });
  return (
    <Table<AutomationRun>
      rowKey="id"
      size="small"
      loading={runs.isLoading}
      dataSource={runs.data?.items ?? []}
      data-testid="rule-runs"
      expandable={{ expandedRowRender: (r) => (r.trace ? <TraceView trace={r.trace} /> : t('automation.always')) }}
      columns={[
        { title: t('automation.when'), dataIndex: 'occurredAt', render: (v) => new Date(v).toLocaleString() },
        { title: t('automation.event'), dataIndex: 'eventType' },
        {
          title: t('automation.matched'),
          dataIndex: 'matched',
          render: (m) => <Tag color={m ? 'green' : undefined}>{m ? t('common.yes') : t('common.no')}</Tag>,
        },
        {
          title: t('automation.actionsTitle'),
          dataIndex: 'actions',
          render: (actions: AutomationRun['actions']) =>
            actions.map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: outcomes follow the actions' order.
              <div key={i}>
                <OutcomeTag status={a.status} /> {a.summary}
                {a.error && <Typography.Text type="danger"> {a.error}</Typography.Text>}
              </div>
            )),
        },
        { title: t('automation.duration'), dataIndex: 'durationMs', render: (ms: number) => `${ms.toFixed(1)} ms` },
      ]}
    />
  );
}
