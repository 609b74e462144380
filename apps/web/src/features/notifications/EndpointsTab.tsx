import type { AllowedHost, Endpoint, EndpointWithSecret } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { del, errorText, get, patch, post, showFieldErrors } from '../../lib/api';
import { useAuth } from '../identity/auth';

/** Robots and webhooks with their signing secrets, and the hosts outbound calls may reach (the SSRF allow-list). */
export function EndpointsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [hostForm] = Form.useForm();
  const list = useQuery({
    queryKey: ['/notifications/endpoints'],
    queryFn: () => get<Endpoint[]>('/notifications/endpoints'),
  });
  const hosts = useQuery({
    queryKey: ['/notifications/allowed-hosts'],
    queryFn: () => get<AllowedHost[]>('/notifications/allowed-hosts'),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['/notifications/endpoints'] });
    void client.invalidateQueries({ queryKey: ['/notifications/allowed-hosts'] });
  };
  const save = async (extra: Record<string, unknown> = {}) => {
    const values = await form.validateFields();
    for (const k of Object.keys(values)) if (values[k] === '' || values[k] === undefined) delete values[k];
    try {
      const saved =
        editing === 'new'
          ? await post<EndpointWithSecret>('/notifications/endpoints', values)
          : await patch<EndpointWithSecret>(`/notifications/endpoints/${(editing as Endpoint).id}`, {
              ...values,
              ...extra,
              kind: undefined,
              version: (editing as Endpoint).version,
            });
      if (saved.secret) setSecret(saved.secret);
      message.success(t('common.saved'));
      setEditing(null);
      refresh();
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="notify-endpoints">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('notify.endpoints')}
        </Typography.Title>
        {can('notificationSetup', 'create') && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              setEditing('new');
            }}
          >
            {t('common.create')}
          </Button>
        )}
      </Space>
      <Table<Endpoint>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data}
        pagination={false}
        columns={[
          { title: t('notify.name'), dataIndex: 'name' },
          { title: t('notify.kind'), dataIndex: 'kind', render: (k) => <Tag>{labelOf(t, 'notify.channels', k)}</Tag> },
          { title: t('notify.url'), dataIndex: 'url', render: (u) => <Typography.Text code>{u}</Typography.Text> },
          {
            title: t('notify.enabled'),
            dataIndex: 'enabled',
            render: (on) => <Tag color={on ? 'green' : undefined}>{on ? t('common.yes') : t('common.no')}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, e) =>
              can('notificationSetup', 'update') && (
                <Button
                  size="small"
                  onClick={() => {
                    form.resetFields();
                    form.setFieldsValue({ name: e.name, enabled: e.enabled, kind: e.kind });
                    setEditing(e);
                  }}
                >
                  {t('common.edit')}
                </Button>
              ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('notify.allowedHosts')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('notify.hostHint')}</Typography.Paragraph>
      <Space wrap>
        {(hosts.data ?? []).map((h) => (
          <Tag
            key={h.host}
            closable={can('notificationSetup', 'delete')}
            onClose={async (ev) => {
              ev.preventDefault();
              await del(`/notifications/allowed-hosts/${encodeURIComponent(h.host)}`);
              refresh();
            }}
          >
            {h.host}
          </Tag>
        ))}
      </Space>
      {can('notificationSetup', 'create') && (
        <Form
          form={hostForm}
          layout="inline"
          onFinish={async (v) => {
            try {
              await post('/notifications/allowed-hosts', v);
              hostForm.resetFields();
              refresh();
            } catch (e) {
              if (!showFieldErrors(hostForm, e)) message.error(errorText(e));
            }
          }}
        >
          <Form.Item name="host" rules={[{ required: true }]}>
            <Input placeholder="erp.intranet.example.com" />
          </Form.Item>
          <Button htmlType="submit">{t('notify.add')}</Button>
        </Form>
      )}
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={`${editing === 'new' ? t('common.create') : t('common.edit')} · ${t('notify.endpoints')}`}
        width={460}
        destroyOnHidden
        extra={
          <Space>
            {editing !== 'new' && editing?.kind === 'webhook' && (
              <Button onClick={() => save({ rotateSecret: true })}>{t('notify.rotateSecret')}</Button>
            )}
            <Button type="primary" onClick={() => save()} data-testid="save">
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'wecom', enabled: true }}>
          <Form.Item name="kind" label={t('notify.kind')}>
            <Select
              disabled={editing !== 'new'}
              options={(['wecom', 'dingtalk', 'feishu', 'webhook'] as const).map((k) => ({
                value: k,
                label: t(`notify.channels.${k}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t('notify.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="url" label={t('notify.url')} rules={[{ required: editing === 'new' }]}>
            <Input placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" />
          </Form.Item>
          <Form.Item noStyle shouldUpdate>
            {() =>
              ['dingtalk', 'feishu'].includes(form.getFieldValue('kind')) && (
                <Form.Item name="secret" label={t('notify.secret')}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              )
            }
          </Form.Item>
          <Form.Item name="enabled" label={t('notify.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Drawer>
      <Modal
        open={secret !== null}
        onOk={() => setSecret(null)}
        onCancel={() => setSecret(null)}
        title={t('notify.secret')}
      >
        <Alert type="warning" showIcon message={t('notify.secretOnce')} />
        <Typography.Paragraph copyable code style={{ marginTop: 12 }} data-testid="webhook-secret">
          {secret}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
