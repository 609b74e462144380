import type { Device, ProductModel, ServiceContract, Site } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get } from '../../lib/api';
import { queryState } from '../../lib/QueryState';
import { History } from '../customers/CustomerOverviewPage';
import { RelatedTickets } from '../tickets/RelatedTickets';

interface Overview {
  device: Device;
  model: ProductModel;
  customer: { id: string; name: string };
  site: Site | null;
  contract: ServiceContract | null;
  history: { id: string; occurredAt: string; type: string; changes: Record<string, { from: unknown; to: unknown }> }[];
}

export default function DeviceOverviewPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const overview = useQuery({
    queryKey: ['device-overview', id],
    queryFn: () => get<Overview>(`/devices/${id}/overview`),
  });
  const { data } = overview;
  if (!data) return queryState(overview);
  const { device, model, customer, site, contract } = data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large" data-testid="device-overview">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('devices.overview')} · {model.name} · {device.serialNumber}
      </Typography.Title>
      <Card>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('devices.customer')}>
            <Link to={`/console/customers/${customer.id}`}>{customer.name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('devices.site')}>
            {site ? `${site.name} · ${site.address}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('devices.assetCode')}>{device.assetCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('devices.batch')}>{device.batch ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('devices.firmware')}>{device.firmwareVersion ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('devices.installedOn')}>{device.installedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('devices.warranty')}>
            <Tag color={device.warrantyStatus === 'in_warranty' ? 'green' : 'red'}>
              {t(`devices.warrantyStatus.${device.warrantyStatus}`)}
            </Tag>{' '}
            {device.warrantyEndsOn ?? ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('devices.contract')}>
            {contract ? `${contract.number} · ${t(`contracts.slaTiers.${contract.slaTier}`)}` : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Tabs
        items={[
          {
            key: 'tickets',
            label: t('customers.tickets'),
            children: <RelatedTickets filter={{ deviceId: device.id }} />,
          },
          { key: 'history', label: t('customers.history'), children: <History entries={data.history} /> },
        ]}
      />
    </Space>
  );
}
