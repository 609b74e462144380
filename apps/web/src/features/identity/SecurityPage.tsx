import type { PasswordPolicy, RetentionSettings } from '@serviceloop/contracts';
import { Form, InputNumber, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { SettingsCard } from './SettingsCard';

const RETENTION_FIELDS: (keyof RetentionSettings)[] = [
  'finishedJobsDays',
  'idempotencyKeysDays',
  'endedSessionsDays',
  'finishedDeliveriesDays',
];

/** The installation's security and housekeeping settings: the password policy, how long records are kept. */
export default function SecurityPage() {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <SettingsCard<PasswordPolicy> path="/settings/password-policy" title={t('security.title')}>
        {() => (
          <>
            <Form.Item name="minLength" label={t('security.minLength')} rules={[{ required: true }]}>
              <InputNumber min={8} max={128} />
            </Form.Item>
            <Form.Item name="requireComplexity" label={t('security.requireComplexity')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="expiryDays" label={t('security.expiryDays')} rules={[{ required: true }]}>
              <InputNumber min={0} max={3650} />
            </Form.Item>
            <Form.Item name="refuseCommon" label={t('security.refuseCommon')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </>
        )}
      </SettingsCard>
      <SettingsCard<RetentionSettings>
        path="/settings/retention"
        title={t('retention.title')}
        help={t('retention.help')}
      >
        {() =>
          RETENTION_FIELDS.map((name) => (
            <Form.Item key={name} name={name} label={t(`retention.${name}`)} rules={[{ required: true }]}>
              <InputNumber min={1} max={3650} data-testid={`retention-${name}`} />
            </Form.Item>
          ))
        }
      </SettingsCard>
    </Space>
  );
}
