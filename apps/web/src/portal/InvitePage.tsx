import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useAuth } from '../features/identity/auth';
import { LanguageSwitch } from '../features/identity/LanguageSwitch';
import { errorText, get, post } from '../lib/api';

interface Preview {
  name: string;
  customerName: string;
  mobile: string | null;
  email: string | null;
  expiresAt: string;
}

/** The invitation link: the contact chooses a password and is signed in with its phone or e-mail. */
export default function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const { login } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => get<Preview>(`/portal/invitations/preview?token=${encodeURIComponent(token)}`),
    retry: false,
  });
  const submit = async (values: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const accepted = await post<{ signInWith: string }>('/portal/invitations/accept', {
        token,
        password: values.password,
      });
      await login(accepted.signInWith, values.password);
      void navigate('/portal', { replace: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f7fa', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <LanguageSwitch />
        </div>
        {preview.isError ? (
          <Result status="warning" title={errorText(preview.error)} />
        ) : (
          <>
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {t('portal.invite.title')}
            </Typography.Title>
            {preview.data && (
              <Typography.Paragraph>
                {t('portal.invite.welcome', { name: preview.data.name, customer: preview.data.customerName })}
                <br />
                <Typography.Text type="secondary">
                  {t('portal.invite.signInWith', { id: preview.data.mobile ?? preview.data.email })}
                </Typography.Text>
              </Typography.Paragraph>
            )}
            {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
            <Form layout="vertical" onFinish={submit} requiredMark={false}>
              <Form.Item name="password" label={t('portal.invite.password')} rules={[{ required: true }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="repeat"
                label={t('portal.invite.repeat')}
                dependencies={['password']}
                rules={[
                  { required: true },
                  ({ getFieldValue }) => ({
                    validator: (_, v) =>
                      v === getFieldValue('password')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('portal.invite.mismatch'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy} disabled={!preview.data}>
                {t('portal.invite.accept')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
