import type { Part, ReorderAlert, Warehouse } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Form, Input, InputNumber, Select, Space, Switch, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { RecordPage } from '../shared/RecordPage';
import { RequisitionsTab } from './RequisitionsTab';
import { StockTab } from './StockTab';

const yuan = (fen: number) => (fen / 100).toFixed(2);

function AlertsTab() {
  const { t } = useTranslation();
  const alerts = useQuery({
    queryKey: ['/parts/reorder-alerts'],
    queryFn: () => get<ReorderAlert[]>('/parts/reorder-alerts'),
  });
  return (
    <Table<ReorderAlert>
      rowKey={(r) => `${r.partId}:${r.warehouseId}`}
      size="small"
      loading={alerts.isFetching}
      dataSource={alerts.data}
      locale={{ emptyText: t('parts.alerts.empty') }}
      pagination={false}
      columns={[
        { title: t('parts.sku'), dataIndex: 'sku' },
        { title: t('parts.part'), dataIndex: 'partName' },
        { title: t('parts.warehouse'), dataIndex: 'warehouseName' },
        { title: t('parts.available'), dataIndex: 'available', align: 'right' },
        { title: t('parts.reorderPoint'), dataIndex: 'reorderPoint', align: 'right' },
        {
          title: t('parts.alerts.raisedAt'),
          dataIndex: 'raisedAt',
          render: (v: string) => new Date(v).toLocaleString(),
        },
      ]}
    />
  );
}

function CatalogueTab() {
  const { t } = useTranslation();
  return (
    <RecordPage<Part>
      title={t('parts.tabs.catalogue')}
      path="/parts"
      resource="part"
      columns={[
        { title: t('parts.sku'), dataIndex: 'sku' },
        { title: t('parts.nameZh'), dataIndex: 'nameZh' },
        { title: t('parts.nameEn'), dataIndex: 'nameEn' },
        { title: t('parts.unit'), dataIndex: 'unit' },
        { title: t('parts.unitCost'), dataIndex: 'unitCostFen', align: 'right', render: yuan },
        {
          title: t('parts.serialTracked'),
          dataIndex: 'serialTracked',
          render: (v) => (v ? t('common.yes') : t('common.no')),
        },
        { title: t('parts.active'), dataIndex: 'active', render: (v) => (v ? t('common.yes') : t('common.no')) },
      ]}
      // Money travels in fen; people type yuan.
      toForm={(p) => ({ ...p, unitCost: p.unitCostFen / 100 })}
      fromForm={({ unitCost, ...v }) => ({ ...v, unitCostFen: Math.round(Number(unitCost) * 100) })}
      form={() => (
        <>
          <Form.Item name="sku" label={t('parts.sku')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="nameZh" label={t('parts.nameZh')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="nameEn" label={t('parts.nameEn')}>
            <Input />
          </Form.Item>
          <Form.Item name="unit" label={t('parts.unit')} initialValue="个" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="unitCost" label={t('parts.unitCost')} rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="serialTracked" label={t('parts.serialTracked')} valuePropName="checked" initialValue={false}>
            <Switch />
          </Form.Item>
          <Form.Item name="active" label={t('parts.active')} valuePropName="checked" initialValue={true}>
            <Switch />
          </Form.Item>
        </>
      )}
    />
  );
}

function WarehousesTab() {
  const { t } = useTranslation();
  return (
    <RecordPage<Warehouse>
      title={t('parts.tabs.warehouses')}
      path="/warehouses"
      resource="warehouse"
      columns={[
        { title: t('parts.code'), dataIndex: 'code' },
        { title: t('parts.name'), dataIndex: 'name' },
        { title: t('parts.kind'), dataIndex: 'kind', render: (k) => labelOf(t, 'parts.kinds', k) },
        { title: t('parts.region'), dataIndex: 'regionCode' },
        { title: t('parts.active'), dataIndex: 'active', render: (v) => (v ? t('common.yes') : t('common.no')) },
      ]}
      form={() => (
        <>
          <Form.Item name="code" label={t('parts.code')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('parts.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('parts.kind')} rules={[{ required: true }]}>
            <Select
              options={(['headquarters', 'regional', 'van'] as const).map((k) => ({
                value: k,
                label: t(`parts.kinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t('parts.region')}>
            <Input placeholder="310000" />
          </Form.Item>
          <Form.Item name="ownerUserId" label={t('parts.owner')}>
            <Input placeholder="user id" />
          </Form.Item>
        </>
      )}
    />
  );
}

/** Spare parts in the console: stock, requisitions, reorder alerts, the catalogue and warehouses. */
export default function PartsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const tabs = [
    can('stock', 'read') && { key: 'stock', label: t('parts.tabs.stock'), children: <StockTab /> },
    can('requisition', 'read') && {
      key: 'requisitions',
      label: t('parts.tabs.requisitions'),
      children: <RequisitionsTab />,
    },
    can('stock', 'read') && { key: 'alerts', label: t('parts.tabs.alerts'), children: <AlertsTab /> },
    can('part', 'read') && { key: 'catalogue', label: t('parts.tabs.catalogue'), children: <CatalogueTab /> },
    can('warehouse', 'read') && { key: 'warehouses', label: t('parts.tabs.warehouses'), children: <WarehousesTab /> },
  ].filter((x): x is { key: string; label: string; children: React.JSX.Element } => !!x);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('parts.title')}
      </Typography.Title>
      <Tabs items={tabs} destroyOnHidden />
    </Space>
  );
}
