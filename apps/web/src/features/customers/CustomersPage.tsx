import type { Customer } from '@serviceloop/contracts';
import { Form, Input, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { labelOf } from '../../i18n/keys';
import { RecordPage } from '../shared/RecordPage';
import { ProvinceSelect, provinceName } from './ProvinceSelect';

export const INDUSTRIES = ['machine_tools', 'elevator', 'consumer_electronics', 'other'] as const;

export default function CustomersPage() {
  const { t } = useTranslation();
  return (
    <RecordPage<Customer>
      title={t('nav.customers')}
      path="/customers"
      resource="customer"
      testId="customers-page"
      columns={[
        {
          title: t('customers.name'),
          dataIndex: 'name',
          render: (name, c) => <Link to={`/console/customers/${c.id}`}>{name}</Link>,
        },
        {
          title: t('customers.tier'),
          dataIndex: 'tier',
          render: (v) => <Tag color={v === 'vip' ? 'gold' : undefined}>{labelOf(t, 'customers.tiers', v)}</Tag>,
        },
        { title: t('customers.region'), dataIndex: 'regionCode', render: provinceName },
        { title: t('customers.industry'), dataIndex: 'industry', render: (v) => labelOf(t, 'customers.industries', v) },
        { title: t('customers.creditCode'), dataIndex: 'creditCode' },
      ]}
      form={() => (
        <>
          <Form.Item name="name" label={t('customers.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="creditCode" label={t('customers.creditCode')}>
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item name="tier" label={t('customers.tier')} initialValue="standard">
            <Select options={['vip', 'standard'].map((v) => ({ value: v, label: labelOf(t, 'customers.tiers', v) }))} />
          </Form.Item>
          <Form.Item name="regionCode" label={t('customers.region')} rules={[{ required: true }]}>
            <ProvinceSelect />
          </Form.Item>
          <Form.Item name="industry" label={t('customers.industry')} rules={[{ required: true }]}>
            <Select options={INDUSTRIES.map((v) => ({ value: v, label: t(`customers.industries.${v}`) }))} />
          </Form.Item>
        </>
      )}
      fromForm={(v) => ({ ...v, creditCode: v.creditCode || null })}
    />
  );
}
