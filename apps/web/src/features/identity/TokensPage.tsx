import { type ApiToken, RESOURCES } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, errorText, get, post, showFieldErrors } from '../../lib/api';

export default function TokensPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => get<ApiToken[]>('/tokens') });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm();

  const create = async () => {
    const values = await form.validateFields();
    try {
      const created = await post<ApiToken & { token: string }>('/tokens', values);
      setCreating(false);
      setSecret(created.token);
      form.resetFields();
      void client.invalidateQueries({ queryKey: ['tokens'] });
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  const revoke = async (id: string) => {
    await del(`/tokens/${id}`);
    void client.invalidateQueries({ queryKey: ['tokens'] });
  };
  const scopeOptions = RESOURCES.flatMap((r) => [
    { value: `${r}:read`, label: `${t(`resources.${r}`)} · ${t('tokens.read')}` },
    { value: `${r}:write`, label: `${t(`resources.${r}`)} · ${t('tokens.write')}` },
  ]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('tokens.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('common.create')}
        </Button>
      </Space>
      <Table<ApiToken>
        rowKey="id"
        loading={tokens.isFetching}
        dataSource={tokens.data}
        pagination={false}
        scroll={{ x: 700 }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          {
            title: t('tokens.scopes'),
            dataIndex: 'scopes',
            // In words, as they were chosen when the token was made.
            render: (s: string[]) =>
              s.map((x) => <Tag key={x}>{scopeOptions.find((o) => o.value === x)?.label ?? x}</Tag>),
          },
          {
            title: t('tokens.expiresAt'),
            dataIndex: 'expiresAt',
            render: (v: string) => new Date(v).toLocaleDateString(),
          },
          {
            title: t('tokens.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—'),
          },
          {
            title: t('common.actions'),
            render: (_, token) =>
              token.revokedAt ? (
                <Tag>{t('tokens.revoked')}</Tag>
              ) : (
                <Popconfirm title={t('tokens.revoke')} onConfirm={() => revoke(token.id)}>
                  <Button size="small" danger>
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal open={creating} title={t('common.create')} onOk={create} onCancel={() => setCreating(false)} width={640}>
        <Form form={form} layout="vertical" initialValues={{ expiresInDays: 90 }}>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Form.Item name="scopes" label={t('tokens.scopes')} rules={[{ required: true }]}>
            <Checkbox.Group options={scopeOptions} style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={secret !== null}
        title={t('tokens.createdTitle')}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
      >
        <Typography.Paragraph type="warning">{t('tokens.createdHelp')}</Typography.Paragraph>
        <Typography.Paragraph code copyable={{ text: secret ?? '' }} data-testid="token-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
