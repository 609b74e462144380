import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, type FormInstance, Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, get, put, showFieldErrors } from '../../lib/api';

/** One settings document (`GET`/`PUT /settings/…`) as a form: loaded, edited, saved whole. */
export function SettingsCard<T extends object>({
  path,
  title,
  help,
  children,
}: {
  path: string;
  title: string;
  help?: string;
  children: (form: FormInstance<T>) => ReactNode;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<T>();
  const { data } = useQuery({ queryKey: ['settings', path], queryFn: () => get<T>(path) });
  useEffect(() => {
    if (data) form.setFieldsValue(data as Parameters<typeof form.setFieldsValue>[0]);
  }, [data, form]);
  const save = async (values: T) => {
    try {
      await put(path, values);
      message.success(t('common.saved'));
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  return (
    <Card title={title} style={{ maxWidth: 560 }}>
      {help && <Typography.Paragraph type="secondary">{help}</Typography.Paragraph>}
      <Form form={form} layout="vertical" onFinish={save}>
        {children(form)}
        <Button type="primary" htmlType="submit">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
