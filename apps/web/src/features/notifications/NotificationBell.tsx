import { BellOutlined } from '@ant-design/icons';
import type { InboxPage, NotificationPreferences } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Checkbox,
  Drawer,
  Empty,
  Form,
  List,
  Select,
  Space,
  Switch,
  Tabs,
  TimePicker,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText, get, post, put } from '../../lib/api';
import { useAuth } from '../identity/auth';

/**
 * The bell in the console header: the unread count, kept live by the server's event stream
 * (the browser's EventSource reconnects by itself; a slow poll covers the time it is away), and a
 * drawer with the inbox and the reader's own notification preferences.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const count = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => get<{ unread: number }>('/notifications/unread-count'),
    refetchInterval: 60_000,
  });
  useEffect(() => {
    const source = new EventSource('/api/v1/notifications/stream');
    source.addEventListener('notification', () => void client.invalidateQueries({ queryKey: ['notifications'] }));
    return () => source.close();
  }, [client]);

  return (
    <>
      <Badge count={count.data?.unread ?? 0} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notify.bell')}
          data-testid="notification-bell"
          onClick={() => setOpen(true)}
        />
      </Badge>
      <Drawer open={open} onClose={() => setOpen(false)} title={t('notify.inbox')} width={420} destroyOnHidden>
        <Tabs
          items={[
            { key: 'inbox', label: t('notify.inbox'), children: <InboxList onOpen={() => setOpen(false)} /> },
            { key: 'prefs', label: t('notify.preferences'), children: <Preferences /> },
          ]}
        />
      </Drawer>
    </>
  );
}

function InboxList({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useQuery({
    queryKey: ['notifications', 'list', unreadOnly],
    queryFn: () => get<InboxPage>(`/notifications?pageSize=50${unreadOnly ? '&unread=true' : ''}`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['notifications'] });
  const items = list.data?.items ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="inbox">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Checkbox checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)}>
          {t('notify.unreadOnly')}
        </Checkbox>
        <Button
          size="small"
          disabled={!list.data?.unread}
          onClick={async () => {
            await post('/notifications/read-all', items[0] ? { upTo: items[0].createdAt } : {});
            void refresh();
          }}
        >
          {t('notify.markAllRead')}
        </Button>
      </Space>
      {items.length === 0 ? (
        <Empty description={t('notify.empty')} />
      ) : (
        <List
          dataSource={items}
          renderItem={(item) => (
            <List.Item
              style={{ cursor: item.link ? 'pointer' : undefined, opacity: item.read ? 0.6 : 1 }}
              data-testid="inbox-item"
              onClick={async () => {
                if (!item.read) await post(`/notifications/${item.id}/read`);
                void refresh();
                if (item.link) {
                  onOpen();
                  void navigate(item.link);
                }
              }}
            >
              <List.Item.Meta
                title={
                  <Space>
                    {!item.read && <Badge status="processing" />}
                    <Typography.Text strong={!item.read}>{item.title}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 4 }} ellipsis={{ rows: 3 }}>
                      {item.body}
                    </Typography.Paragraph>
                    <Typography.Text type="secondary">
                      {dayjs(item.createdAt).format('YYYY-MM-DD HH:mm')}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}

function Preferences() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  // Managers receive the weekly digest unless they opt out; anyone who reads analytics may opt in.
  const isManager = me?.roles.includes('manager') ?? false;
  const canReadAnalytics = can('analytics', 'read');
  const { message } = App.useApp();
  const client = useQueryClient();
  const prefs = useQuery({
    queryKey: ['notifications', 'preferences'],
    queryFn: () => get<NotificationPreferences>('/notifications/preferences'),
  });
  const [form] = Form.useForm();
  useEffect(() => {
    if (!prefs.data) return;
    const q = prefs.data.quietHours;
    form.setFieldsValue({
      ...prefs.data.channels,
      quiet: q ? [dayjs(q.start, 'HH:mm'), dayjs(q.end, 'HH:mm')] : null,
      locale: prefs.data.locale ?? '',
      weeklyDigest: prefs.data.weeklyDigest ?? isManager,
    });
  }, [prefs.data, form, isManager]);
  if (!prefs.data) return null;
  const save = async () => {
    const v = form.getFieldsValue();
    try {
      await put('/notifications/preferences', {
        version: prefs.data.version,
        channels: { in_app: v.in_app, email: v.email, sms: v.sms },
        quietHours: v.quiet ? { start: v.quiet[0].format('HH:mm'), end: v.quiet[1].format('HH:mm') } : null,
        locale: v.locale || null,
        // Left as it was, the digest keeps following the role.
        weeklyDigest:
          v.weeklyDigest === (prefs.data.weeklyDigest ?? isManager) ? prefs.data.weeklyDigest : v.weeklyDigest,
      });
      message.success(t('common.saved'));
      void client.invalidateQueries({ queryKey: ['notifications', 'preferences'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Form form={form} layout="vertical" data-testid="notify-preferences">
      {(['in_app', 'email', 'sms'] as const).map((c) => (
        <Form.Item key={c} name={c} label={t(`notify.channels.${c}`)} valuePropName="checked">
          <Switch />
        </Form.Item>
      ))}
      <Form.Item name="quiet" label={t('notify.quietHours')} extra={t('notify.quietHint')}>
        <TimePicker.RangePicker format="HH:mm" order={false} />
      </Form.Item>
      {canReadAnalytics && (
        <Form.Item
          name="weeklyDigest"
          label={t('notify.weeklyDigest')}
          extra={t('notify.weeklyDigestHint')}
          valuePropName="checked"
        >
          <Switch data-testid="weekly-digest" />
        </Form.Item>
      )}
      <Form.Item name="locale" label={t('notify.locale')}>
        <Select
          options={[
            { value: '', label: t('notify.followAccount') },
            { value: 'zh-CN', label: '简体中文' },
            { value: 'en-US', label: 'English' },
          ]}
        />
      </Form.Item>
      <Button type="primary" onClick={save}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
