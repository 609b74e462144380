import type { Customer, ServiceContract } from '@serviceloop/contracts';
import { Form, Input, InputNumber, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { RecordPage } from '../shared/RecordPage';
import { RemoteSelect } from '../shared/RemoteSelect';

export default function ContractsPage() {
  const { t } = useTranslation();
  return (
    <RecordPage<ServiceContract>
      title={t('nav.contracts')}
      path="/contracts"
      resource="contract"
      columns={[
        { title: t('contracts.number'), dataIndex: 'number' },
        { title: t('contracts.coverage'), dataIndex: 'coverage', render: (c) => labelOf(t, 'contracts.coverages', c) },
        { title: t('contracts.slaTier'), dataIndex: 'slaTier', render: (s) => labelOf(t, 'contracts.slaTiers', s) },
        { title: t('contracts.startsOn'), dataIndex: 'startsOn' },
        { title: t('contracts.endsOn'), dataIndex: 'endsOn' },
        {
          title: t('contracts.value'),
          dataIndex: 'value',
          render: (v) => (v === undefined ? '—' : (v?.toLocaleString() ?? '—')),
        },
        {
          title: t('contracts.active'),
          dataIndex: 'active',
          render: (a) => <Tag color={a ? 'green' : undefined}>{a ? t('common.yes') : t('common.no')}</Tag>,
        },
      ]}
      form={(_, editing) => (
        <>
          {editing === 'new' && (
            <Form.Item name="customerId" label={t('devices.customer')} rules={[{ required: true }]}>
              <RemoteSelect<Customer> path="/customers" label={(c) => c.name} />
            </Form.Item>
          )}
          <Form.Item name="number" label={t('contracts.number')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="coverage" label={t('contracts.coverage')} rules={[{ required: true }]}>
            <Select
              options={['full', 'parts_only', 'labour_only', 'inspection'].map((c) => ({
                value: c,
                label: labelOf(t, 'contracts.coverages', c),
              }))}
            />
          </Form.Item>
          <Form.Item name="slaTier" label={t('contracts.slaTier')} rules={[{ required: true }]}>
            <Select
              options={['gold', 'silver', 'bronze'].map((s) => ({
                value: s,
                label: labelOf(t, 'contracts.slaTiers', s),
              }))}
            />
          </Form.Item>
          <Form.Item name="startsOn" label={t('contracts.startsOn')} rules={[{ required: true }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="endsOn" label={t('contracts.endsOn')} rules={[{ required: true }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="value" label={t('contracts.value')}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
        </>
      )}
      toForm={({ active: _a, ...row }) => row}
    />
  );
}
