import type { FieldJobDetail, Page, Part, Warehouse } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Form, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../lib/api';
import { outbox } from './outbox';

/** Parts the van lacks, asked of a warehouse: a queued requisition (reserved when it syncs). */
export function RequestPartsButton({ detail }: { detail: FieldJobDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ partId: string; warehouseId: string; quantity: number }>();
  const parts = useQuery({
    queryKey: ['field', 'parts'],
    queryFn: () => get<Page<Part>>('/parts?pageSize=200'),
    enabled: open,
  });
  const warehouses = useQuery({
    queryKey: ['field', 'warehouses'],
    queryFn: () => get<Page<Warehouse>>('/warehouses?pageSize=200'),
    enabled: open,
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="request-parts">
        {t('field.request.title')}
      </Button>
      <Modal
        open={open}
        title={t('field.request.title')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ quantity: 1 }}
          onFinish={async (v) => {
            await outbox.enqueue(detail.job, { action: 'request_parts', lines: [v] });
            message.success(t('field.request.queued'));
            setOpen(false);
          }}
        >
          <Form.Item name="partId" label={t('field.request.part')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={parts.isLoading}
              options={(parts.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.sku} ${p.nameZh}` }))}
            />
          </Form.Item>
          <Form.Item name="warehouseId" label={t('field.request.warehouse')} rules={[{ required: true }]}>
            <Select
              loading={warehouses.isLoading}
              options={(warehouses.data?.items ?? [])
                .filter((w) => w.kind !== 'van')
                .map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
            />
          </Form.Item>
          <Form.Item name="quantity" label={t('field.request.quantity')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
