import type { Contact, Device, ServiceContract, Site } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { RelatedTickets } from '../tickets/RelatedTickets';
import { CustomerContacts, CustomerSites } from './CustomerRecords';
import { provinceName } from './ProvinceSelect';

interface Overview {
  customer: {
    id: string;
    name: string;
    creditCode?: string | null;
    tier: string;
    regionCode: string;
    industry: string;
  };
  contacts: Contact[];
  sites: Site[];
  devices: Device[];
  contracts: ServiceContract[];
  counts: Record<string, number>;
  history: { id: string; occurredAt: string; type: string; changes: Record<string, { from: unknown; to: unknown }> }[];
}

export default function CustomerOverviewPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const overview = useQuery({
    queryKey: ['customer-overview', id],
    queryFn: () => get<Overview>(`/customers/${id}/overview`),
  });
  const { data } = overview;
  if (!data) return queryState(overview);
  const { customer } = data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large" data-testid="customer-overview">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('customers.overview')} · {customer.name}
      </Typography.Title>
      <Card>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('customers.tier')}>
            <Tag color={customer.tier === 'vip' ? 'gold' : undefined}>
              {labelOf(t, 'customers.tiers', customer.tier)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.region')}>{provinceName(customer.regionCode)}</Descriptions.Item>
          <Descriptions.Item label={t('customers.industry')}>
            {labelOf(t, 'customers.industries', customer.industry)}
          </Descriptions.Item>
          {customer.creditCode !== undefined && (
            <Descriptions.Item label={t('customers.creditCode')}>{customer.creditCode ?? '—'}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Tabs
        items={[
          {
            key: 'devices',
            label: `${t('nav.devices')} (${data.counts.devices})`,
            children: (
              <Table<Device>
                rowKey="id"
                size="small"
                dataSource={data.devices}
                pagination={false}
                scroll={{ x: 700 }}
                columns={[
                  {
                    title: t('devices.serialNumber'),
                    dataIndex: 'serialNumber',
                    render: (sn, d) => <Link to={`/console/devices/${d.id}`}>{sn}</Link>,
                  },
                  { title: t('devices.model'), dataIndex: 'modelName' },
                  { title: t('devices.batch'), dataIndex: 'batch' },
                  {
                    title: t('devices.warranty'),
                    dataIndex: 'warrantyStatus',
                    render: (w) => labelOf(t, 'devices.warrantyStatus', w),
                  },
                ]}
              />
            ),
          },
          {
            key: 'tickets',
            label: t('customers.tickets'),
            children: <RelatedTickets filter={{ customerId: customer.id }} />,
          },
          {
            key: 'contacts',
            label: `${t('customers.contacts')} (${data.counts.contacts})`,
            children: <CustomerContacts customerId={customer.id} />,
          },
          {
            key: 'sites',
            label: `${t('customers.sites')} (${data.counts.sites})`,
            children: <CustomerSites customerId={customer.id} />,
          },
          {
            key: 'contracts',
            label: `${t('nav.contracts')} (${data.counts.contracts})`,
            children: (
              <Table<ServiceContract>
                rowKey="id"
                size="small"
                dataSource={data.contracts}
                pagination={false}
                columns={[
                  { title: t('contracts.number'), dataIndex: 'number' },
                  {
                    title: t('contracts.coverage'),
                    dataIndex: 'coverage',
                    render: (c) => labelOf(t, 'contracts.coverages', c),
                  },
                  {
                    title: t('contracts.slaTier'),
                    dataIndex: 'slaTier',
                    render: (s) => labelOf(t, 'contracts.slaTiers', s),
                  },
                  { title: t('contracts.endsOn'), dataIndex: 'endsOn' },
                  {
                    title: t('contracts.active'),
                    dataIndex: 'active',
                    render: (a) => (a ? t('common.yes') : t('common.no')),
                  },
                ]}
              />
            ),
          },
          {
            key: 'history',
            label: t('customers.history'),
            children: <History entries={data.history} />,
          },
        ]}
      />
    </Space>
  );
}

export function History({ entries }: { entries: Overview['history'] }) {
  return (
    <Timeline
      items={entries.map((e) => ({
        children: (
          <>
            <Typography.Text strong>{e.type}</Typography.Text>{' '}
            <Typography.Text type="secondary">{new Date(e.occurredAt).toLocaleString()}</Typography.Text>
            <div>
              {Object.entries(e.changes)
                .map(([k, v]) => `${k}: ${JSON.stringify(v.from)} → ${JSON.stringify(v.to)}`)
                .join('; ')}
            </div>
          </>
        ),
      }))}
    />
  );
}
