import { type Delivery, DeliveryState, type Page } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { errorText, get, post, query } from '../../lib/api';
import { useAuth } from '../identity/auth';

const STATE_COLOURS: Record<DeliveryState, string> = {
  pending: 'blue',
  delivered: 'green',
  dead: 'red',
  skipped: 'default',
};

/** The delivery log: what was sent where, what failed, and a resend for the dead ones. */
export function DeliveriesTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [state, setState] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const client = useQueryClient();
  const params = { page, pageSize: 20, state };
  const list = useQuery({
    queryKey: ['/notifications/deliveries', params],
    queryFn: () => get<Page<Delivery>>(`/notifications/deliveries${query(params)}`),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="notify-deliveries">
      <Select
        allowClear
        placeholder={t('notify.state')}
        style={{ width: 160 }}
        value={state}
        onChange={(v) => {
          setState(v);
          setPage(1);
        }}
        options={DeliveryState.options.map((s) => ({ value: s, label: t(`notify.states.${s}`) }))}
      />
      <Table<Delivery>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('notify.event'),
            dataIndex: 'eventType',
            render: (e: string) => t(`notify.events.${e}`, { defaultValue: e }),
          },
          {
            title: t('notify.kind'),
            dataIndex: 'channel',
            render: (c) => <Tag>{labelOf(t, 'notify.channels', c)}</Tag>,
          },
          { title: t('notify.target'), dataIndex: 'target', ellipsis: true },
          { title: t('notify.title'), dataIndex: 'title', ellipsis: true },
          {
            title: t('notify.state'),
            dataIndex: 'state',
            render: (s) => <Tag color={STATE_COLOURS[s as DeliveryState]}>{labelOf(t, 'notify.states', s)}</Tag>,
          },
          { title: t('notify.attempts'), dataIndex: 'attempts' },
          { title: t('notify.lastError'), dataIndex: 'lastError', ellipsis: true },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) =>
              can('notificationSetup', 'update') && (
                <Button
                  size="small"
                  onClick={async () => {
                    try {
                      await post(`/notifications/deliveries/${d.id}/redeliver`);
                      message.success(t('notify.redelivered'));
                      void client.invalidateQueries({ queryKey: ['/notifications/deliveries'] });
                    } catch (e) {
                      message.error(errorText(e));
                    }
                  }}
                >
                  {t('notify.redeliver')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}
