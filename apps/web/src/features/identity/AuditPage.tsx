import { Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePagedList } from '../../lib/hooks';

interface AuditEvent {
  id: string;
  occurredAt: string;
  type: string;
  entityType: string;
  entityId: string;
  actorName: string | null;
  actorKind: string;
  changes: Record<string, { from: unknown; to: unknown }>;
}

export default function AuditPage() {
  const { t } = useTranslation();
  // Ticket events read as on the ticket's timeline; the rest from the audit catalogue. The code
  // stays beside the words (marked as a code): it is what the filter takes.
  const eventName = (type: string) =>
    type.startsWith('ticket.')
      ? t(`tickets.events.${type.slice('ticket.'.length)}`, { defaultValue: '' })
      : t(`audit.events.${type}`, { defaultValue: '' });
  const [type, setType] = useState<string>();
  const list = usePagedList<AuditEvent>('/audit', { type });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.audit')}
        </Typography.Title>
        <Input.Search
          placeholder={t('audit.typeSearch')}
          allowClear
          onSearch={(v) => setType(v || undefined)}
          style={{ width: 240 }}
        />
      </Space>
      <Table<AuditEvent>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('audit.time'),
            dataIndex: 'occurredAt',
            render: (v: string) => new Date(v).toLocaleString(),
            width: 180,
          },
          {
            title: t('audit.type'),
            dataIndex: 'type',
            render: (type: string) => (
              <Space size={4} wrap>
                {eventName(type)}
                <Typography.Text type="secondary" translate="no">
                  {type}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('audit.entity'),
            render: (_, e) => (
              <Space size={4}>
                {t(`audit.entities.${e.entityType}`, {
                  defaultValue: t(`resources.${e.entityType}`, { defaultValue: e.entityType }),
                })}
                <Typography.Text type="secondary" translate="no">
                  {e.entityId.slice(0, 8)}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('audit.actor'),
            render: (_, e) => e.actorName ?? t(`audit.actorKinds.${e.actorKind}`, { defaultValue: e.actorKind }),
          },
          {
            title: t('audit.changes'),
            dataIndex: 'changes',
            render: (c: AuditEvent['changes']) =>
              Object.entries(c)
                .map(([k, v]) => `${k}: ${JSON.stringify(v.from)} → ${JSON.stringify(v.to)}`)
                .join('; '),
          },
        ]}
      />
    </Space>
  );
}
