import { PlusOutlined } from '@ant-design/icons';
import type { AutomationRule, Page, RuleAction, RuleTrigger } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, patch } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { blank, type Draft, RuleEditor } from './RuleEditor';
import { RunLog } from './RunLog';

/**
 * Automation rules: the list in run order with a switch each, an editor for trigger, condition
 * tree and actions with a dry run against a ticket, and each rule's run log.
 */
export default function AutomationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const client = useQueryClient();
  const [editing, setEditing] = useState<Draft | null>(null);
  const [logOf, setLogOf] = useState<AutomationRule | null>(null);
  const rules = useQuery({
    queryKey: ['automation-rules'],
    queryFn: () => get<Page<AutomationRule>>('/automation/rules?pageSize=200'),
  });
  const writable = can('automationRule', 'update');
  const toggle = async (rule: AutomationRule, enabled: boolean) => {
    try {
      await patch(`/automation/rules/${rule.id}`, { version: rule.version, enabled });
      await client.invalidateQueries({ queryKey: ['automation-rules'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card
      title={t('automation.title')}
      extra={
        writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(blank())} data-testid="rule-new">
            {t('automation.newRule')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('automation.hint')}</Typography.Paragraph>
      <Table<AutomationRule>
        rowKey="id"
        loading={rules.isLoading}
        dataSource={rules.data?.items ?? []}
        pagination={false}
        data-testid="rules"
        columns={[
          { title: t('automation.position'), dataIndex: 'position', width: 80 },
          { title: t('automation.name'), dataIndex: 'name' },
          {
            title: t('automation.trigger'),
            dataIndex: 'trigger',
            render: (trigger: RuleTrigger) => <Tag>{t(`automation.triggers.${trigger.type}`)}</Tag>,
          },
          {
            title: t('automation.actionsTitle'),
            dataIndex: 'actions',
            render: (actions: RuleAction[]) => actions.map((a) => t(`automation.actions.${a.type}`)).join('、'),
          },
          {
            title: t('automation.enabled'),
            dataIndex: 'enabled',
            render: (enabled: boolean, rule) => (
              <Switch checked={enabled} disabled={!writable} onChange={(on) => toggle(rule, on)} />
            ),
          },
          {
            key: 'ops',
            render: (_, rule) => (
              <Space>
                {writable && (
                  <Button size="small" onClick={() => setEditing({ ...rule, description: rule.description ?? null })}>
                    {t('common.edit')}
                  </Button>
                )}
                <Button size="small" onClick={() => setLogOf(rule)}>
                  {t('automation.runLog')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={!!editing}
        width={1100}
        destroyOnClose
        title={editing?.id ? t('automation.editRule') : t('automation.newRule')}
        onClose={() => setEditing(null)}
      >
        {editing && <RuleEditor initial={editing} onClose={() => setEditing(null)} />}
      </Drawer>
      <Drawer
        open={!!logOf}
        width={1000}
        title={`${t('automation.runLog')} — ${logOf?.name ?? ''}`}
        onClose={() => setLogOf(null)}
      >
        {logOf && <RunLog rule={logOf} />}
      </Drawer>
    </Card>
  );
}
