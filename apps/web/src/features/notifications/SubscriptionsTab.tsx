import { type Endpoint, NOTIFIABLE_EVENTS, ROLES, type Subscription } from '@serviceloop/contracts';
import { useQuery } from '@tanstack/react-query';
import { Form, Select, Space, Switch, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { get } from '../../lib/api';
import { RecordPage } from '../shared/RecordPage';
import { RemoteSelect } from '../shared/RemoteSelect';

/** Who hears about which event, on which channel: by role, by user or to an endpoint. */
export function SubscriptionsTab() {
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
