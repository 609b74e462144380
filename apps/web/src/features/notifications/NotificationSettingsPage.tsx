import {
  type AllowedHost,
  type Delivery,
  DeliveryState,
  type Endpoint,
  type EndpointWithSecret,
  NOTIFIABLE_EVENTS,
  type Page,
  ROLES,
  type Subscription,
  type Template,
  type TemplatePreview,
} from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { del, errorText, get, patch, post, query, showFieldErrors } from '../../lib/api';
import { useAuth } from '../identity/auth';
import { RecordPage } from '../shared/RecordPage';
import { RemoteSelect } from '../shared/RemoteSelect';

const STATE_COLOURS: Record<DeliveryState, string> = {
  pending: 'blue',
  delivered: 'green',
  dead: 'red',
  skipped: 'default',
};

/** Admin page: who hears about what, robots and webhooks, the SSRF allow-list, templates, the delivery log. */
export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  return (
    <Tabs
      items={[
        { key: 'subscriptions', label: t('notify.subscriptions'), children: <SubscriptionsTab /> },
        { key: 'endpoints', label: t('notify.endpoints'), children: <EndpointsTab /> },
        { key: 'templates', label: t('notify.templates'), children: <TemplatesTab /> },
        { key: 'deliveries', label: t('notify.deliveries'), children: <DeliveriesTab /> },
      ]}
    />
  );
}

function SubscriptionsTab() {
  const { t } = useTranslation();
  const endpoints = useQuery({
    queryKey: ['/notifications/endpoints'],
    queryFn: () => get<Endpoint[]>('/notifications/endpoints'),
  });
  const endpointName = (id: string | null) => endpoints.data?.find((e) => e.id === id)?.name ?? '';
  return (
    <RecordPage<Subscription>
      title={t('notify.subscriptions')}
      path="/notifications/subscriptions"
      resource="notificationSetup"
      testId="notify-subscriptions"
      columns={[
        { title: t('notify.event'), dataIndex: 'eventType', render: (e) => labelOf(t, 'notify.events', e) },
        {
          title: t('notify.recipient'),
          key: 'recipient',
          render: (_, s) => (
            <Space>
              {t(`notify.recipientKinds.${s.recipientKind}`)}
              {s.role && <Tag>{t(`roles.${s.role}`)}</Tag>}
              {s.endpointId && <Tag>{endpointName(s.endpointId)}</Tag>}
            </Space>
          ),
        },
        {
          title: t('notify.channels.in_app'),
          dataIndex: 'channels',
          render: (channels: string[], s) =>
            s.recipientKind === 'endpoint'
              ? '—'
              : channels.map((c) => <Tag key={c}>{labelOf(t, 'notify.channels', c)}</Tag>),
        },
        {
          title: t('notify.enabled'),
          dataIndex: 'enabled',
          render: (on) => <Tag color={on ? 'green' : undefined}>{on ? t('common.yes') : t('common.no')}</Tag>,
        },
      ]}
      form={(form, editing) => {
        const isNew = editing === 'new';
        return (
          <>
            <Form.Item name="eventType" label={t('notify.event')} rules={[{ required: true }]}>
              <Select
                disabled={!isNew}
                options={NOTIFIABLE_EVENTS.map((e) => ({ value: e, label: t(`notify.events.${e}`) }))}
              />
            </Form.Item>
            <Form.Item name="recipientKind" label={t('notify.recipient')} rules={[{ required: true }]}>
              <Select
                disabled={!isNew}
                options={['user', 'role', 'assignee', 'reporter', 'customer_contact', 'team_manager', 'endpoint'].map(
                  (k) => ({
                    value: k,
                    label: labelOf(t, 'notify.recipientKinds', k),
                  }),
                )}
              />
            </Form.Item>
            <Form.Item noStyle shouldUpdate>
              {() => {
                const kind = form.getFieldValue('recipientKind');
                if (!isNew) return null;
                if (kind === 'user')
                  return (
                    <Form.Item name="userId" label={t('notify.recipientKinds.user')}>
                      <RemoteSelect<{ id: string; displayName: string }> path="/users" label={(u) => u.displayName} />
                    </Form.Item>
                  );
                if (kind === 'role')
                  return (
                    <Form.Item name="role" label={t('notify.recipientKinds.role')}>
                      <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
                    </Form.Item>
                  );
                if (kind === 'endpoint')
                  return (
                    <Form.Item name="endpointId" label={t('notify.endpoints')}>
                      <Select
                        options={(endpoints.data ?? []).map((e) => ({
                          value: e.id,
                          label: `${e.name} (${t(`notify.channels.${e.kind}`)})`,
                        }))}
                      />
                    </Form.Item>
                  );
                return null;
              }}
            </Form.Item>
            <Form.Item name="channels" label={t('notify.channels.in_app')} initialValue={['in_app']}>
              <Select
                mode="multiple"
                options={(['in_app', 'email', 'sms'] as const).map((c) => ({
                  value: c,
                  label: t(`notify.channels.${c}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="enabled" label={t('notify.enabled')} valuePropName="checked" initialValue={true}>
              <Switch />
            </Form.Item>
          </>
        );
      }}
      toForm={(s) => ({ ...s })}
      fromForm={(v, isNew) => {
        // Whom and what a subscription answers is fixed once created; an edit sends the rest.
        const { eventType, recipientKind, userId, role, endpointId, ...rest } = v;
        return isNew ? { eventType, recipientKind, userId, role, endpointId, ...rest } : rest;
      }}
    />
  );
}

function EndpointsTab() {
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

function TemplatesTab() {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  return (
    <RecordPage<Template>
      title={t('notify.templates')}
      path="/notifications/templates"
      resource="notificationSetup"
      testId="notify-templates"
      columns={[
        { title: t('notify.event'), dataIndex: 'eventType', render: (e) => labelOf(t, 'notify.events', e) },
        { title: t('notify.language'), dataIndex: 'locale' },
        { title: t('notify.title'), dataIndex: 'title' },
      ]}
      form={(form, editing) => (
        <>
          {editing === 'new' && (
            <>
              <Form.Item name="eventType" label={t('notify.event')} rules={[{ required: true }]}>
                <Select options={NOTIFIABLE_EVENTS.map((e) => ({ value: e, label: t(`notify.events.${e}`) }))} />
              </Form.Item>
              <Form.Item name="locale" label={t('notify.language')} rules={[{ required: true }]}>
                <Select options={['zh-CN', 'en-US'].map((l) => ({ value: l, label: l }))} />
              </Form.Item>
            </>
          )}
          <Form.Item name="title" label={t('notify.title')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="body" label={t('notify.body')} rules={[{ required: true }]}>
            <Input.TextArea rows={6} />
          </Form.Item>
          <Typography.Paragraph type="secondary">
            {t('notify.variables')}: {'{{ticketNumber}} {{title}} {{priority}} {{customer}} {{dueAt}} {{link}}'}
          </Typography.Paragraph>
          <Button
            onClick={async () => {
              const v = form.getFieldsValue();
              const base = editing === 'new' ? v : { eventType: editing.eventType, locale: editing.locale };
              setPreview(
                await post<TemplatePreview>('/notifications/templates/preview', {
                  ...base,
                  title: v.title,
                  body: v.body,
                }),
              );
            }}
          >
            {t('notify.preview')}
          </Button>
          {preview && (
            <Alert
              style={{ marginTop: 12, whiteSpace: 'pre-line' }}
              type={preview.unknownVariables.length ? 'warning' : 'info'}
              message={preview.title}
              description={
                <>
                  {preview.body}
                  {preview.unknownVariables.length > 0 && (
                    <div>
                      {t('notify.unknownVariables')}: {preview.unknownVariables.join(', ')}
                    </div>
                  )}
                </>
              }
            />
          )}
        </>
      )}
      fromForm={(v) => ({ ...v })}
    />
  );
}

function DeliveriesTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [state, setState] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const client = useQueryClient();
  const params = { page, pageSize: 20, state };
  const list = useQuery({
    queryKey: ['/notifications/deliveries', params],
    queryFn: () => get<Page<Delivery>>(`/notifications/deliveries${query(params)}`),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="notify-deliveries">
      <Select
        allowClear
        placeholder={t('notify.state')}
        style={{ width: 160 }}
        value={state}
        onChange={(v) => {
          setState(v);
          setPage(1);
        }}
        options={DeliveryState.options.map((s) => ({ value: s, label: t(`notify.states.${s}`) }))}
      />
      <Table<Delivery>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('notify.event'),
            dataIndex: 'eventType',
            render: (e: string) => t(`notify.events.${e}`, { defaultValue: e }),
          },
          {
            title: t('notify.kind'),
            dataIndex: 'channel',
            render: (c) => <Tag>{labelOf(t, 'notify.channels', c)}</Tag>,
          },
          { title: t('notify.target'), dataIndex: 'target', ellipsis: true },
          { title: t('notify.title'), dataIndex: 'title', ellipsis: true },
          {
            title: t('notify.state'),
            dataIndex: 'state',
            render: (s) => <Tag color={STATE_COLOURS[s as DeliveryState]}>{labelOf(t, 'notify.states', s)}</Tag>,
          },
          { title: t('notify.attempts'), dataIndex: 'attempts' },
          { title: t('notify.lastError'), dataIndex: 'lastError', ellipsis: true },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, d) =>
              can('notificationSetup', 'update') && (
                <Button
                  size="small"
                  onClick={async () => {
                    try {
                      await post(`/notifications/deliveries/${d.id}/redeliver`);
                      message.success(t('notify.redelivered'));
                      void client.invalidateQueries({ queryKey: ['/notifications/deliveries'] });
                    } catch (e) {
                      message.error(errorText(e));
                    }
                  }}
                >
                  {t('notify.redeliver')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}
