import { QrcodeOutlined } from '@ant-design/icons';
import type { Customer, Device, ProductModel, ServiceContract, Site } from '@serviceloop/contracts';
import { Button, Form, Input, Select, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { RecordPage } from '../shared/RecordPage';
import { RemoteSelect } from '../shared/RemoteSelect';

const WARRANTY_COLOR = { in_warranty: 'green', out_of_warranty: 'red', unknown: undefined } as const;

function DeviceForm() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const customerId = Form.useWatch('customerId', form) as string | undefined;
  return (
    <>
      <Form.Item name="modelId" label={t('devices.model')} rules={[{ required: true }]}>
        <RemoteSelect<ProductModel> path="/product-models" label={(m) => `${m.code} · ${m.name}`} />
      </Form.Item>
      <Form.Item name="serialNumber" label={t('devices.serialNumber')} rules={[{ required: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="assetCode" label={t('devices.assetCode')}>
        <Input />
      </Form.Item>
      <Form.Item name="customerId" label={t('devices.customer')} rules={[{ required: true }]}>
        <RemoteSelect<Customer>
          path="/customers"
          label={(c) => c.name}
          onChange={() => form.setFieldsValue({ siteId: undefined, contractId: undefined })}
          data-testid="device-customer"
        />
      </Form.Item>
      <Form.Item name="siteId" label={t('devices.site')}>
        <RemoteSelect<Site> path="/sites" label={(s) => s.name} filters={{ customerId }} disabled={!customerId} />
      </Form.Item>
      <Form.Item name="contractId" label={t('devices.contract')}>
        <RemoteSelect<ServiceContract>
          path="/contracts"
          label={(c) => c.number}
          filters={{ customerId }}
          disabled={!customerId}
        />
      </Form.Item>
      <Form.Item name="batch" label={t('devices.batch')}>
        <Input />
      </Form.Item>
      <Form.Item name="firmwareVersion" label={t('devices.firmware')}>
        <Input />
      </Form.Item>
      <Form.Item name="installedOn" label={t('devices.installedOn')}>
        <Input type="date" />
      </Form.Item>
      <Form.Item name="warrantyEndsOn" label={t('devices.warrantyEndsOn')}>
        <Input type="date" />
      </Form.Item>
    </>
  );
}

const emptyToNull = (v: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' || x === undefined ? null : x]));

export default function DevicesPage() {
  const { t } = useTranslation();
  const [warranty, setWarranty] = useState<string>();
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <RecordPage<Device>
      title={t('nav.devices')}
      path="/devices"
      resource="device"
      testId="devices-page"
      filters={{ warranty }}
      rowSelection={{
        selectedRowKeys: chosen,
        onChange: (keys) => setChosen(keys as string[]),
        preserveSelectedRowKeys: true,
      }}
      toolbar={
        <>
          <Button
            icon={<QrcodeOutlined />}
            disabled={chosen.length === 0 || chosen.length > 200}
            href={`/api/v1/devices/labels.pdf?ids=${chosen.join(',')}`}
            target="_blank"
            data-testid="print-labels"
          >
            {t('devices.printLabels', { count: chosen.length })}
          </Button>
          <Select
            allowClear
            placeholder={t('devices.warranty')}
            style={{ width: 130 }}
            value={warranty}
            onChange={setWarranty}
            options={['in_warranty', 'out_of_warranty', 'unknown'].map((w) => ({
              value: w,
              label: labelOf(t, 'devices.warrantyStatus', w),
            }))}
          />
        </>
      }
      columns={[
        {
          title: t('devices.serialNumber'),
          dataIndex: 'serialNumber',
          render: (sn, d) => <Link to={`/console/devices/${d.id}`}>{sn}</Link>,
        },
        { title: t('devices.model'), dataIndex: 'modelName' },
        {
          title: t('devices.customer'),
          dataIndex: 'customerName',
          render: (name, d) => <Link to={`/console/customers/${d.customerId}`}>{name}</Link>,
        },
        { title: t('devices.batch'), dataIndex: 'batch' },
        {
          title: t('devices.warranty'),
          dataIndex: 'warrantyStatus',
          render: (w: keyof typeof WARRANTY_COLOR) => (
            <Tag color={WARRANTY_COLOR[w]}>{t(`devices.warrantyStatus.${w}`)}</Tag>
          ),
        },
      ]}
      form={() => <DeviceForm />}
      fromForm={(v) => {
        const values = emptyToNull(v);
        // Required fields keep their value; optional empty ones are sent as null to clear them.
        return { ...values, modelId: v.modelId, customerId: v.customerId, serialNumber: v.serialNumber };
      }}
    />
  );
}
