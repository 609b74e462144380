import type { Contact, Site } from '@serviceloop/contracts';
import { useCascaderAreaData as cascaderAreaData } from '@vant/area-data';
import { Cascader, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { PlacePicker, type Point } from '../field/PlacePicker';
import { RecordPage } from '../shared/RecordPage';
import { provinceName } from './ProvinceSelect';

type AreaOption = { text: string; value: string; children?: AreaOption[] };
type CascaderOption = { label: string; value: string; children?: CascaderOption[] };
const toCascader = (options: AreaOption[]): CascaderOption[] =>
  options.map((o) => ({ label: o.text, value: o.value, children: o.children ? toCascader(o.children) : undefined }));
// Despite its name, the package's helper is a plain function building a static tree.
const AREAS = toCascader(cascaderAreaData() as AreaOption[]);

/** Contacts of one customer, managed on its 360° page. */
export function CustomerContacts({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  return (
    <RecordPage<Contact>
      title={t('customers.contacts')}
      path="/contacts"
      resource="contact"
      filters={{ customerId }}
      columns={[
        { title: t('contacts.name'), dataIndex: 'name' },
        { title: t('contacts.title'), dataIndex: 'title' },
        { title: t('contacts.mobile'), dataIndex: 'mobile' },
        { title: t('contacts.email'), dataIndex: 'email' },
      ]}
      toForm={({ mobile: _masked, ...row }) => row}
      form={(_, editing) => (
        <>
          <Form.Item name="customerId" initialValue={customerId} hidden>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('contacts.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="title" label={t('contacts.title')}>
            <Input />
          </Form.Item>
          <Form.Item name="mobile" label={t('contacts.mobile')} rules={[{ required: editing === 'new' }]}>
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item name="email" label={t('contacts.email')}>
            <Input inputMode="email" />
          </Form.Item>
        </>
      )}
      fromForm={(v, isNew) => {
        const { customerId: id, ...rest } = v;
        const values = Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined && x !== ''));
        // A contact stays with its customer: the owner is sent only when creating.
        return isNew ? { customerId: id, ...values } : values;
      }}
    />
  );
}

/**
 * Sites of one customer; the division is picked from the national province → city → district tree,
 * the point (for travel estimates) by address or on the map, like an engineer's home base.
 */
export function CustomerSites({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  return (
    <RecordPage<Site>
      title={t('customers.sites')}
      path="/sites"
      resource="site"
      filters={{ customerId }}
      columns={[
        { title: t('sites.name'), dataIndex: 'name' },
        { title: t('sites.division'), dataIndex: 'provinceCode', render: provinceName },
        { title: t('sites.address'), dataIndex: 'address' },
      ]}
      toForm={({ lat, lng, ...s }) => ({
        ...s,
        division: [s.provinceCode, s.cityCode, s.districtCode].filter(Boolean),
        location: { lat, lng },
      })}
      form={() => (
        <>
          <Form.Item name="customerId" initialValue={customerId} hidden>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('sites.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="division" label={t('sites.division')} rules={[{ required: true }]}>
            <Cascader options={AREAS} showSearch changeOnSelect />
          </Form.Item>
          <Form.Item name="address" label={t('sites.address')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="location" label={t('sites.location')}>
            <PlacePicker testId="site-location" />
          </Form.Item>
        </>
      )}
      fromForm={({ division, customerId: id, location, ...v }, isNew) => {
        const [provinceCode, cityCode, districtCode] = (division as string[] | undefined) ?? [];
        const point = location as Point | undefined;
        const placed = typeof point?.lat === 'number' && typeof point?.lng === 'number';
        return {
          ...(isNew ? { customerId: id } : {}),
          ...v,
          provinceCode,
          cityCode,
          districtCode: districtCode ?? null,
          lat: placed ? point.lat : null,
          lng: placed ? point.lng : null,
        };
      }}
    />
  );
}
