import type { ProductModel } from '@serviceloop/contracts';
import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { RecordPage } from '../shared/RecordPage';

const CATEGORIES = [
  'cnc_machine',
  'industrial_robot',
  'production_line',
  'elevator',
  'escalator',
  'laptop',
  'phone',
  'other',
];

export default function ProductModelsPage() {
  const { t } = useTranslation();
  return (
    <RecordPage<ProductModel>
      title={t('nav.productModels')}
      path="/product-models"
      resource="productModel"
      columns={[
        { title: t('models.code'), dataIndex: 'code' },
        { title: t('models.name'), dataIndex: 'name' },
        { title: t('models.category'), dataIndex: 'category', render: (c) => labelOf(t, 'models.categories', c) },
        { title: t('models.manufacturer'), dataIndex: 'manufacturer' },
      ]}
      form={() => (
        <>
          <Form.Item name="code" label={t('models.code')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('models.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="category" label={t('models.category')} rules={[{ required: true }]}>
            <Select options={CATEGORIES.map((c) => ({ value: c, label: labelOf(t, 'models.categories', c) }))} />
          </Form.Item>
          <Form.Item name="manufacturer" label={t('models.manufacturer')}>
            <Input />
          </Form.Item>
        </>
      )}
    />
  );
}
