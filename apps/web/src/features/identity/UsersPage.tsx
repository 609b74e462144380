import { ROLES, type Team, type User } from '@serviceloop/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelOf } from '../../i18n/keys';
import { errorText, get, patch, post, showFieldErrors } from '../../lib/api';
import { usePagedList } from '../../lib/hooks';
import { ProvinceSelect } from '../customers/ProvinceSelect';
import { useAuth } from './auth';

export default function UsersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const list = usePagedList<User>('/users');
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => get<Team[]>('/teams') });
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [form] = Form.useForm();

  const open = (user: User | 'new') => {
    setEditing(user);
    form.resetFields();
    if (user !== 'new') form.setFieldsValue(user);
  };
  const save = async () => {
    const values = await form.validateFields();
    try {
      if (editing === 'new') await post('/users', values);
      else if (editing) {
        // The username is shown, not changed.
        const { username: _username, ...changes } = values;
        await patch(`/users/${editing.id}`, { ...changes, version: editing.version });
      }
      message.success(t('common.saved'));
      setEditing(null);
      void client.invalidateQueries({ queryKey: ['/users'] });
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(errorText(e));
    }
  };
  const resetPassword = (user: User) => {
    let value = '';
    modal.confirm({
      title: `${t('users.resetPassword')} · ${user.username}`,
      content: <Input.Password onChange={(e) => (value = e.target.value)} autoComplete="new-password" />,
      onOk: async () => {
        try {
          await post(`/users/${user.id}/password`, { newPassword: value });
          message.success(t('users.passwordReset'));
        } catch (e) {
          message.error(errorText(e));
          throw e;
        }
      },
    });
  };
  // Failed sign-ins slow down one account-and-address pair; this lifts every pair of the user at once.
  const unlockLogin = (user: User) =>
    modal.confirm({
      title: `${t('users.unlockLogin')} · ${user.username}`,
      content: t('users.unlockLoginConfirm'),
      onOk: async () => {
        try {
          await post(`/users/${user.id}/unlock`);
          message.success(t('users.loginUnlocked'));
        } catch (e) {
          message.error(errorText(e));
          throw e;
        }
      },
    });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.users')}
        </Typography.Title>
        <Space wrap>
          <Input.Search placeholder={t('common.search')} onSearch={list.search} allowClear style={{ width: 220 }} />
          {can('user', 'create') && (
            <Button type="primary" onClick={() => open('new')}>
              {t('common.create')}
            </Button>
          )}
        </Space>
      </Space>
      <Table<User>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={list.pagination}
        scroll={{ x: 800 }}
        columns={[
          {
            title: t('users.username'),
            dataIndex: 'username',
            // A sign-in name is a code, not a word to translate.
            render: (username: string) => <span translate="no">{username}</span>,
          },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            render: (roles: string[]) => roles.map((r) => <Tag key={r}>{labelOf(t, 'roles', r)}</Tag>),
          },
          {
            title: t('users.active'),
            dataIndex: 'active',
            render: (a: boolean) => (a ? t('common.yes') : t('common.no')),
          },
          {
            title: t('users.lastLogin'),
            dataIndex: 'lastLoginAt',
            render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—'),
          },
          {
            title: t('common.actions'),
            render: (_, user) =>
              can('user', 'update') && (
                <Space>
                  <Button size="small" onClick={() => open(user)}>
                    {t('common.edit')}
                  </Button>
                  <Button size="small" onClick={() => resetPassword(user)}>
                    {t('users.resetPassword')}
                  </Button>
                  <Button size="small" onClick={() => unlockLogin(user)}>
                    {t('users.unlockLogin')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('common.create') : t('common.edit')}
        width={420}
        extra={
          <Button type="primary" onClick={save}>
            {t('common.save')}
          </Button>
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item name="username" label={t('users.username')} rules={[{ required: true }]}>
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item name="password" label={t('users.initialPassword')} rules={[{ required: true }]}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          <Form.Item name="email" label={t('users.email')}>
            <Input />
          </Form.Item>
          <Form.Item name="mobile" label={t('users.mobile')}>
            <Input />
          </Form.Item>
          <Form.Item name="roles" label={t('users.roles')} rules={[{ required: true }]}>
            <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
          </Form.Item>
          <Form.Item name="teamIds" label={t('users.teams')}>
            <Select
              mode="multiple"
              options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
            />
          </Form.Item>
          <Form.Item name="regionCodes" label={t('users.regions')}>
            <ProvinceSelect mode="multiple" />
          </Form.Item>
          <Form.Item name="customerId" label={t('users.customerId')}>
            <Input placeholder="UUID" />
          </Form.Item>
          {editing !== 'new' && (
            <Form.Item name="active" label={t('users.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Form>
      </Drawer>
    </Space>
  );
}
