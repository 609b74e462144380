import {
  ACTIONS,
  type Action,
  type DataScope,
  type PolicyRule,
  RESOURCES,
  type Resource,
  ROLES,
  type Role,
} from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Space, Table, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, put } from '../../lib/api';

const SCOPES: (DataScope | 'none')[] = ['all', 'region', 'team', 'organisation', 'own', 'none'];

/** The permission matrix: one tab per role, resources × actions → scope, plus hidden fields per resource. */
export default function RolesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const { data } = useQuery({ queryKey: ['policy'], queryFn: () => get<{ rules: PolicyRule[] }>('/policy') });
  const [rules, setRules] = useState<PolicyRule[]>([]);
  useEffect(() => setRules(data?.rules ?? []), [data]);

  const find = (role: Role, resource: Resource, action: Action) =>
    rules.find((r) => r.role === role && r.resource === resource && r.action === action);
  const setScope = (role: Role, resource: Resource, action: Action, scope: DataScope | 'none') => {
    const rest = rules.filter((r) => !(r.role === role && r.resource === resource && r.action === action));
    const hiddenFields = rules.find((r) => r.role === role && r.resource === resource)?.hiddenFields ?? [];
    setRules(scope === 'none' ? rest : [...rest, { role, resource, action, scope, hiddenFields }]);
  };
  const setHidden = (role: Role, resource: Resource, hiddenFields: string[]) =>
    setRules(rules.map((r) => (r.role === role && r.resource === resource ? { ...r, hiddenFields } : r)));

  const save = async () => {
    try {
      await put('/policy', { rules });
      message.success(t('policy.saved'));
      void client.invalidateQueries({ queryKey: ['policy'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('policy.title')}
        </Typography.Title>
        <Button type="primary" onClick={save}>
          {t('common.save')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('policy.help')}</Typography.Paragraph>
      <Tabs
        items={ROLES.map((role) => ({
          key: role,
          label: t(`roles.${role}`),
          children: (
            <Table
              rowKey="resource"
              pagination={false}
              size="small"
              scroll={{ x: 1100 }}
              dataSource={RESOURCES.map((resource) => ({ resource }))}
              columns={[
                {
                  title: '',
                  dataIndex: 'resource',
                  render: (r: Resource) => t(`resources.${r}`),
                  fixed: 'left',
                  width: 120,
                },
                ...ACTIONS.map((action) => ({
                  title: t(`actions.${action}`),
                  key: action,
                  render: (_: unknown, row: { resource: Resource }) => (
                    <Select
                      size="small"
                      style={{ width: 110 }}
                      value={find(role, row.resource, action)?.scope ?? 'none'}
                      onChange={(scope: DataScope | 'none') => setScope(role, row.resource, action, scope)}
                      options={SCOPES.map((s) => ({ value: s, label: t(`scopes.${s}`) }))}
                    />
                  ),
                })),
                {
                  title: t('policy.hiddenFields'),
                  key: 'hidden',
                  render: (_: unknown, row: { resource: Resource }) => (
                    <Select
                      mode="tags"
                      size="small"
                      style={{ minWidth: 160 }}
                      disabled={!rules.some((r) => r.role === role && r.resource === row.resource)}
                      value={rules.find((r) => r.role === role && r.resource === row.resource)?.hiddenFields ?? []}
                      onChange={(fields: string[]) => setHidden(role, row.resource, fields)}
                    />
                  ),
                },
              ]}
            />
          ),
        }))}
      />
    </Space>
  );
}
