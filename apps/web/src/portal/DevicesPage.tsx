import type { Device, Page, ServiceContract } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../lib/api';

export const WARRANTY_COLOR = { in_warranty: 'green', out_of_warranty: 'red', unknown: 'default' } as const;

/** My organisation's devices with their warranty, and our service contracts. */
export default function DevicesPage() {
  const { t } = useTranslation();
  const devices = useQuery({
    queryKey: ['portal', 'devices'],
    queryFn: () => get<Page<Device>>('/devices?pageSize=200'),
  });
  const contracts = useQuery({
    queryKey: ['portal', 'contracts'],
    queryFn: () => get<Page<ServiceContract>>('/contracts?pageSize=200'),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('portal.devices.title')} styles={{ body: { padding: '0 12px' } }}>
        {!devices.isLoading && !devices.data?.items.length ? (
          <Empty />
        ) : (
          <List
            loading={devices.isLoading}
            dataSource={devices.data?.items}
            renderItem={(d) => (
              <List.Item>
                <Link to={`/portal/devices/${d.id}`} style={{ width: '100%' }} data-testid="portal-device">
                  <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                    <Typography.Text strong>{d.modelName}</Typography.Text>
                    <Tag color={WARRANTY_COLOR[d.warrantyStatus]}>{t(`portal.warranty.${d.warrantyStatus}`)}</Tag>
                  </div>
                  <Typography.Text type="secondary">
                    {d.serialNumber}
                    {d.assetCode ? ` · ${d.assetCode}` : ''}
                    {d.warrantyEndsOn ? ` · ${t('portal.devices.until', { date: d.warrantyEndsOn })}` : ''}
                  </Typography.Text>
                </Link>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={t('portal.devices.contracts')} styles={{ body: { padding: '0 12px' } }}>
        <List
          loading={contracts.isLoading}
          dataSource={contracts.data?.items}
          locale={{ emptyText: t('portal.devices.noContracts') }}
          renderItem={(c) => (
            <List.Item>
              <div style={{ width: '100%' }}>
                <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                  <Typography.Text strong>{c.number}</Typography.Text>
                  <Tag color={c.active ? 'green' : 'default'}>
                    {t(c.active ? 'portal.devices.active' : 'portal.devices.inactive')}
                  </Tag>
                </div>
                <Typography.Text type="secondary">
                  {c.startsOn} – {c.endsOn}
                </Typography.Text>
              </div>
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
