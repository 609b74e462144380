import type { DeviceOverview, Page, Ticket } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, List, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { z } from 'zod';
import { STATE_COLOR } from '../features/tickets/labels';
import { get } from '../lib/api';
import { WARRANTY_COLOR } from './DevicesPage';

/** One device: what it is, its warranty and contract, and every service it has had. */
export default function DevicePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const overview = useQuery({
    queryKey: ['device', id, 'overview'],
    queryFn: () => get<z.infer<typeof DeviceOverview>>(`/devices/${id}/overview`),
  });
  const history = useQuery({
    queryKey: ['portal', 'device', id, 'tickets'],
    queryFn: () => get<Page<Ticket>>(`/tickets?deviceId=${id}&pageSize=100`),
  });
  if (!overview.data) return <Spin />;
  const { device, model, site, contract } = overview.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={model.name}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('portal.devices.serial')}>{device.serialNumber}</Descriptions.Item>
          <Descriptions.Item label={t('portal.devices.assetCode')}>{device.assetCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('portal.devices.site')}>
            {site ? `${site.name} · ${site.address}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('portal.devices.warranty')}>
            <Tag color={WARRANTY_COLOR[device.warrantyStatus]}>{t(`portal.warranty.${device.warrantyStatus}`)}</Tag>
            {device.warrantyEndsOn && t('portal.devices.until', { date: device.warrantyEndsOn })}
          </Descriptions.Item>
          <Descriptions.Item label={t('portal.devices.contract')}>
            {contract ? `${contract.number}（${contract.startsOn} – ${contract.endsOn}）` : '—'}
          </Descriptions.Item>
        </Descriptions>
        {device.assetCode && (
          <Link to={`/portal/r/${encodeURIComponent(device.assetCode)}`}>
            <Button type="primary" block>
              {t('portal.devices.reportThis')}
            </Button>
          </Link>
        )}
      </Card>
      <Card size="small" title={t('portal.devices.history')} styles={{ body: { padding: '0 12px' } }}>
        <List
          loading={history.isLoading}
          dataSource={history.data?.items}
          locale={{ emptyText: t('portal.devices.noHistory') }}
          renderItem={(tk) => (
            <List.Item>
              <Link to={`/portal/tickets/${tk.id}`} style={{ width: '100%' }}>
                <div style={{ display: 'flex', justifyContent: 'space-between' }}>
                  <Typography.Text ellipsis>{tk.title}</Typography.Text>
                  <Tag color={STATE_COLOR[tk.state]}>{t(`tickets.states.${tk.state}`)}</Tag>
                </div>
                <Typography.Text type="secondary">
                  {tk.number} · {new Date(tk.reportedAt).toLocaleDateString()}
                </Typography.Text>
              </Link>
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
