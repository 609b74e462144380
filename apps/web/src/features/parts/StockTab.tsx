import type { Part, StockLevel, Warehouse } from '@serviceloop/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, post, put, showFieldErrors } from '../../lib/api';
import { usePagedList } from '../../lib/hooks';
import { useAuth } from '../identity/auth';
import { RemoteSelect } from '../shared/RemoteSelect';

/** Stock per part and warehouse, with the keeper's receipt/adjustment form and reorder points. */
export function StockTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [warehouseId, setWarehouseId] = useState<string>();
  const [belowOnly, setBelowOnly] = useState(false);
  const list = usePagedList<StockLevel>('/stock', { warehouseId, belowReorder: belowOnly ? 'true' : undefined });
  const [moving, setMoving] = useState(false);
  const [reorder, setReorder] = useState<StockLevel | null>(null);
  const [form] = Form.useForm();
  const [reorderForm] = Form.useForm();
  const kind = Form.useWatch('kind', form);

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['/stock'] });
    void client.invalidateQueries({ queryKey: ['/parts/reorder-alerts'] });
  };
  const record = async () => {
    const values = await form.validateFields();
    try {
      await post('/stock/movements', values);
      message.success(t('parts.recorded'));
      setMoving(false);
      refresh();
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  const saveReorder = async () => {
    const { reorderPoint } = await reorderForm.validateFields();
    try {
      await put('/stock/reorder-points', {
        partId: reorder!.partId,
        warehouseId: reorder!.warehouseId,
        reorderPoint: reorderPoint ?? null,
      });
      message.success(t('common.saved'));
      setReorder(null);
      refresh();
    } catch (e) {
      if (!showFieldErrors(reorderForm, e)) message.error(errorText(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="stock-tab">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <RemoteSelect<Warehouse>
            path="/warehouses"
            label={(w) => `${w.code} ${w.name}`}
            placeholder={t('parts.warehouse')}
            style={{ width: 220 }}
            value={warehouseId}
            onChange={(v) => setWarehouseId(v as string | undefined)}
          />
          <Space>
            <Switch checked={belowOnly} onChange={setBelowOnly} />
            {t('parts.belowOnly')}
          </Space>
          <Input.Search placeholder={t('common.search')} onSearch={list.search} allowClear style={{ width: 220 }} />
        </Space>
        {can('stock', 'create') && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ kind: 'receipt' });
              setMoving(true);
            }}
          >
            {t('parts.recordMovement')}
          </Button>
        )}
      </Space>
      <Table<StockLevel>
        rowKey={(r) => `${r.partId}:${r.warehouseId}`}
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        scroll={{ x: 1000 }}
        columns={[
          { title: t('parts.sku'), dataIndex: 'sku' },
          { title: t('parts.part'), dataIndex: 'partName' },
          {
            title: t('parts.warehouse'),
            render: (_, r) => `${r.warehouseName} · ${t(`parts.kinds.${r.warehouseKind}`)}`,
          },
          { title: t('parts.onHand'), dataIndex: 'onHand', align: 'right' },
          { title: t('parts.reserved'), dataIndex: 'reserved', align: 'right' },
          {
            title: t('parts.available'),
            dataIndex: 'available',
            align: 'right',
            render: (v: number, r) => (
              <Space>
                {v}
                {r.belowReorder && <Tag color="red">{t('parts.belowReorder')}</Tag>}
              </Space>
            ),
          },
          { title: t('parts.defective'), dataIndex: 'defective', align: 'right' },
          {
            title: t('parts.reorderPoint'),
            dataIndex: 'reorderPoint',
            align: 'right',
            render: (v: number | null, r) =>
              can('stock', 'update') ? (
                <Button
                  size="small"
                  type="link"
                  onClick={() => {
                    reorderForm.setFieldsValue({ reorderPoint: v });
                    setReorder(r);
                  }}
                >
                  {v ?? '—'}
                </Button>
              ) : (
                (v ?? '—')
              ),
          },
          {
            title: t('parts.lastMovement'),
            dataIndex: 'lastMovementAt',
            render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—'),
          },
        ]}
      />
      <Modal
        open={moving}
        title={t('parts.recordMovement')}
        onCancel={() => setMoving(false)}
        onOk={record}
        okText={t('common.save')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="kind" label={t('parts.movementKind')} rules={[{ required: true }]}>
            <Select
              options={(['receipt', 'adjustment'] as const).map((k) => ({
                value: k,
                label: t(`parts.movementKinds.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="partId" label={t('parts.part')} rules={[{ required: true }]}>
            <RemoteSelect<Part> path="/parts" label={(p) => `${p.sku} ${p.nameZh}`} filters={{ active: 'true' }} />
          </Form.Item>
          <Form.Item name="warehouseId" label={t('parts.warehouse')} rules={[{ required: true }]}>
            <RemoteSelect<Warehouse> path="/warehouses" label={(w) => `${w.code} ${w.name}`} />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={t('parts.quantity')}
            rules={[{ required: true }]}
            extra={kind === 'adjustment' ? t('parts.adjustmentHelp') : undefined}
          >
            <InputNumber precision={0} min={kind === 'adjustment' ? undefined : 1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label={t('parts.reason')} rules={[{ required: kind === 'adjustment' }]}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={reorder !== null}
        title={`${t('parts.setReorderPoint')} · ${reorder?.sku ?? ''} · ${reorder?.warehouseName ?? ''}`}
        onCancel={() => setReorder(null)}
        onOk={saveReorder}
        okText={t('common.save')}
        destroyOnHidden
      >
        <Form form={reorderForm} layout="vertical">
          <Form.Item name="reorderPoint" label={t('parts.reorderPoint')} extra={t('parts.reorderHelp')}>
            <InputNumber precision={0} min={0} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
