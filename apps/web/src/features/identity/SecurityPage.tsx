import type { PasswordPolicy } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Switch } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, put, showFieldErrors } from '../../lib/api';

export default function SecurityPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordPolicy>();
  const { data } = useQuery({
    queryKey: ['password-policy'],
    queryFn: () => get<PasswordPolicy>('/settings/password-policy'),
  });
  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);
  const save = async (values: PasswordPolicy) => {
    try {
      await put('/settings/password-policy', values);
      message.success(t('common.saved'));
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  return (
    <Card title={t('security.title')} style={{ maxWidth: 560 }}>
      <Form form={form} layout="vertical" onFinish={save}>
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
        <Button type="primary" htmlType="submit">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
